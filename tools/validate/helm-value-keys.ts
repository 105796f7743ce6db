import YAML from "yaml";
import { asString, closest, hasInterpolation, isObject, type JsonObject } from "../../modules/terraform-json";
import { chartName, releaseValues } from "./helm-values";
import { joinPath } from "./json";
import { FindingSink } from "./report";
import { resourcesOf, type SynthStack } from "./stacks";
import { commentedKeyPaths } from "./values-outline";

/**
 * Helm ignores a values key no template reads, silently: a misspelt or moved key (`replicaCount` where the chart
 * reads `controller.replicaCount`) installs the chart's default instead, and nothing fails. Most charts publish
 * no values schema, but every chart's default values.yaml lists the keys it reads. So every key path a release
 * sets must exist in the chart's default values.yaml at the pinned version (as a key, or as a commented-out key
 * at its place: values-outline.ts), except below free-form maps (a key whose default is `{}`, or a Kubernetes
 * object or string map such as `annotations`, `resources`, `affinity`) and inside lists (whose items the chart
 * passes through, or whose defaults are examples).
 */

/** Keys whose value the chart passes through as a Kubernetes object or a string map, even with non-empty defaults. */
const FREE_FORM_KEYS = new Set([
  "annotations",
  "labels",
  "env",
  "envFrom",
  "extraEnv",
  "extraArgs",
  "args",
  "nodeSelector",
  "tolerations",
  "affinity",
  "resources",
  "securityContext",
  "podSecurityContext",
  "containerSecurityContext",
  "topologySpreadConstraints",
  "podAnnotations",
  "podLabels",
  "strategy",
  "updateStrategy",
  "dnsConfig",
  "extraVolumes",
  "extraVolumeMounts",
]);

/** The same by suffix: `deploymentAnnotations`, `commonLabels`, `webhookSecurityContext`, `controllerResources`. */
const FREE_FORM_SUFFIX =
  /(Annotations|Labels|SecurityContext|NodeSelector|Tolerations|Affinity|Resources|Env|ExtraArgs)$/;

const isFreeForm = (key: string, defaultValue: unknown): boolean =>
  FREE_FORM_KEYS.has(key) ||
  FREE_FORM_SUFFIX.test(key) ||
  (isObject(defaultValue) && Object.keys(defaultValue).length === 0);

/** One default values file: `helm-chart-values/<chart>-<version>.yaml` (`cert-manager-v1.21.1.yaml` too). */
export interface ChartValuesSource {
  readonly chart: string;
  /** Without a leading `v`. */
  readonly version: string;
  readonly origin: string;
  readonly load: () => string;
}

/** `karpenter-1.14.1.yaml` -> karpenter @ 1.14.1; `cert-manager-v1.21.1.yaml` -> cert-manager @ 1.21.1. */
export function chartOfValuesFile(fileName: string): { chart: string; version: string } | undefined {
  const match = /^(.+?)-v?(\d+\.\d+\.\d+[\w.+-]*)\.ya?ml$/.exec(fileName);
  return match ? { chart: match[1], version: match[2] } : undefined;
}

/** A chart's default values: the parsed file, and the key paths its comments document. */
export interface ChartDefaults {
  readonly values: JsonObject;
  readonly commented: ReadonlyArray<ReadonlyArray<string>>;
}

export type ChartValuesLookup =
  | { readonly kind: "found"; readonly defaults: ChartDefaults; readonly origin: string }
  | { readonly kind: "absent"; readonly versions: string[] };

/** Default values files by chart and version, each parsed only when a release of that chart is checked. */
export class ChartValuesCatalog {
  private readonly sources: ChartValuesSource[];
  private readonly parsed = new Map<ChartValuesSource, ChartDefaults>();

  constructor(sources: ReadonlyArray<ChartValuesSource> = []) {
    this.sources = [...sources];
  }

  get size(): number {
    return this.sources.length;
  }

  lookup(chart: string, version: string): ChartValuesLookup {
    const wanted = version.replace(/^v/, "");
    const source = this.sources.find((candidate) => candidate.chart === chart && candidate.version === wanted);
    if (!source)
      return {
        kind: "absent",
        versions: this.sources.filter((candidate) => candidate.chart === chart).map((candidate) => candidate.version),
      };
    let defaults = this.parsed.get(source);
    if (!defaults) {
      const text = source.load();
      const document = YAML.parseDocument(text);
      if (document.errors.length > 0)
        throw new Error(
          `Reference file ${source.origin} is not valid YAML: ${document.errors[0].message.split("\n")[0]}`,
        );
      const values: unknown = document.toJS();
      // An empty values.yaml is a chart that reads no values: every key is unknown.
      defaults = { values: isObject(values) ? values : {}, commented: commentedKeyPaths(text) };
      this.parsed.set(source, defaults);
    }
    return { kind: "found", defaults, origin: source.origin };
  }
}

/** A key path set by a release that the chart's defaults do not have. */
export interface UnknownKey {
  /** Segments from the values root. */
  readonly path: ReadonlyArray<string>;
  /** The nearest key path the chart does have, when one is close enough to be what was meant. */
  readonly suggestion?: ReadonlyArray<string>;
}

/** Every key path of `values` that is not in `defaults` (see the file comment for what is accepted as is). */
export function unknownValueKeys(values: JsonObject, defaults: ChartDefaults): UnknownKey[] {
  const unknown: UnknownKey[] = [];
  const commented = new Set(defaults.commented.map(pathKey));
  const known = [...knownPaths(defaults.values), ...defaults.commented];
  const visit = (value: JsonObject, defaultsHere: JsonObject, path: string[]): void => {
    for (const [key, child] of Object.entries(value)) {
      const at = [...path, key];
      if (!(key in defaultsHere)) {
        // Helm hands `global` to every chart and subchart, declared or not; a templated key is only known at apply.
        if ((path.length === 0 && key === "global") || hasInterpolation(key)) continue;
        // Documented only as a comment: the chart reads it, and what it holds below is not written down.
        if (commented.has(pathKey(at))) continue;
        const siblings = [
          ...Object.keys(defaultsHere),
          ...defaults.commented
            .filter((known) => known.length === at.length && pathKey(known.slice(0, -1)) === pathKey(path))
            .map((known) => known[known.length - 1]),
        ];
        unknown.push({ path: at, suggestion: nearestKey(key, path, siblings, known) });
        continue;
      }
      const defaultValue = defaultsHere[key];
      if (isFreeForm(key, defaultValue) || !isObject(child) || !isObject(defaultValue)) continue;
      visit(child, defaultValue, at);
    }
  };
  visit(values, defaults.values, []);
  return unknown;
}

const pathKey = (path: ReadonlyArray<string>): string => path.join("\u0000");

/** Key paths of the defaults, not below free-form maps or into lists: where a misplaced key may belong. */
function knownPaths(defaults: JsonObject): string[][] {
  const paths: string[][] = [];
  const visit = (value: JsonObject, path: string[]): void => {
    for (const [key, child] of Object.entries(value)) {
      paths.push([...path, key]);
      if (!isFreeForm(key, child) && isObject(child)) visit(child, [...path, key]);
    }
  };
  visit(defaults, []);
  return paths;
}

/**
 * A sibling one typo away; else the same key elsewhere (a setting that lives under a component, such as
 * `controller.replicaCount`), the one sharing most of the path, then the shallowest.
 */
function nearestKey(
  key: string,
  parent: ReadonlyArray<string>,
  siblings: ReadonlyArray<string>,
  known: ReadonlyArray<ReadonlyArray<string>>,
): ReadonlyArray<string> | undefined {
  const sibling = closest(key, siblings);
  if (sibling !== undefined) return [...parent, sibling];
  const shared = (path: ReadonlyArray<string>): number => {
    const differs = path.findIndex((segment, index) => parent[index] !== segment);
    return differs < 0 ? path.length : differs;
  };
  const elsewhere = known.filter((path) => path[path.length - 1].toLowerCase() === key.toLowerCase());
  return elsewhere.sort((a, b) => shared(b) - shared(a) || a.length - b.length)[0];
}

const valuesPath = (path: ReadonlyArray<string>): string =>
  path.reduce<string>((text, segment) => joinPath(text, segment), "values");

/** A chart shipped inside the synthesized stack (a cdktf asset, or a path): the project's own chart. */
const isLocalChart = (chart: unknown): boolean => typeof chart === "string" && /^(\.{1,2}\/|\/)/.test(chart);

export interface HelmValueKeysOptions {
  /** `helm-chart-values/` is missing from the reference directory. */
  readonly absent?: boolean;
}

export function validateHelmValueKeys(
  stacks: ReadonlyArray<SynthStack>,
  catalog: ChartValuesCatalog,
  sink: FindingSink,
  options: HelmValueKeysOptions = {},
): void {
  let wanted = false;
  for (const stack of stacks) {
    for (const release of resourcesOf(stack)) {
      if (release.mode !== "resource" || release.type !== "helm_release") continue;
      // Unreadable `values` entries are reported once, by the chart values check.
      const { values, computed } = releaseValues(release);
      if (Object.keys(values).length === 0 && computed.length === 0) continue;
      const skip = (message: string): void => sink.skipped(stack.name, release.address, "helm-value-keys", message);
      wanted = true;
      if (options.absent) continue;
      if (isLocalChart(release.body.chart)) {
        skip(
          `chart ${String(release.body.chart)} is the project's own (no upstream default values); value keys not checked`,
        );
        continue;
      }
      const chart = chartName(release) ?? "?";
      const version = asString(release.body.version);
      if (!version || hasInterpolation(version)) {
        skip(`version: ${chart} is not pinned to a literal version; value keys not checked`);
        continue;
      }
      const lookup = catalog.lookup(chart, version);
      if (lookup.kind === "absent") {
        const others = lookup.versions.length ? ` (it has ${lookup.versions.join(", ")})` : "";
        skip(`no default values.yaml for ${chart} ${version} in the reference${others}; value keys not checked`);
        continue;
      }
      for (const index of computed)
        skip(`values[${index}]: computed at apply time; keys not checked against ${lookup.origin}`);
      for (const { path, suggestion } of unknownValueKeys(values, lookup.defaults)) {
        const hint = suggestion ? `did you mean "${valuesPath(suggestion)}"?` : "no similar key in the chart";
        sink.error(
          stack.name,
          release.address,
          "helm-value-keys",
          `${valuesPath(path)}: not a key of ${chart} ${version}'s default values, so Helm ignores it (${hint}) (${lookup.origin})`,
        );
      }
    }
  }
  if (options.absent && wanted)
    sink.skipped(
      "*",
      "helm-chart-values/",
      "helm-value-keys",
      "absent from the reference directory; these checks did not run",
    );
}
