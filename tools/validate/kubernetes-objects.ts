import {
  asObject,
  asString,
  hasInterpolation,
  isObject,
  isPureInterpolation,
  type JsonObject,
} from "../../modules/terraform-json";
import { groupOf, isBuiltInGroup, lookupBuiltIn, versionOf } from "./builtin-kinds";
import type { CrdCatalog } from "./crds";
import { releaseValues } from "./helm-values";
import { describeJsonType, joinPath } from "./json";
import { FindingSink } from "./report";
import { resourcesOf, type ResourceView, type SynthStack } from "./stacks";
import { parseDocuments } from "./tokens";

/**
 * Finds every Kubernetes object the stacks create, wherever it ends up, and checks it: custom resources
 * against their CRD's `openAPIV3Schema`, built-in kinds for apiVersion/kind/metadata. Where objects hide is
 * pluggable: an `ObjectExtractor` looks at one resource and returns the objects it carries, with a location
 * for messages. The defaults cover `kubernetes_manifest.manifest`, `helm_release` values holding an
 * `objects` or `manifests` list (a generic "raw manifests" chart), and `yaml_body` strings
 * (`kubectl_manifest` and alikes). Add one for a new carrier and pass it to `validateKubernetesObjects`.
 */

export interface ExtractedObject {
  /** Where in the resource the object sits, e.g. `manifest` or `values.objects[2]`. */
  readonly location: string;
  readonly object: unknown;
}

export interface Extraction {
  readonly objects: ExtractedObject[];
  /** Carriers that cannot be read (invalid YAML): reported as errors. */
  readonly problems?: string[];
  /** Carriers only known at apply time (an expression): reported as skipped. */
  readonly computed?: string[];
}

export interface ObjectExtractor {
  readonly name: string;
  /** Returns undefined when the resource does not carry objects this extractor knows about. */
  extract(resource: ResourceView): Extraction | undefined;
}

export const kubernetesManifestExtractor: ObjectExtractor = {
  name: "kubernetes_manifest",
  extract(resource) {
    if (resource.mode !== "resource" || resource.type !== "kubernetes_manifest") return undefined;
    const manifest = resource.body.manifest;
    if (isPureInterpolation(manifest)) return { objects: [], computed: ["manifest"] };
    return { objects: [{ location: "manifest", object: manifest }] };
  },
};

/** Values keys a raw-manifests chart reads its objects from. */
export const RAW_CHART_OBJECT_KEYS: ReadonlyArray<string> = ["objects", "manifests"];

export const helmValuesObjectsExtractor: ObjectExtractor = {
  name: "helm_release values objects/manifests",
  extract(resource) {
    if (resource.mode !== "resource" || resource.type !== "helm_release") return undefined;
    // Unreadable or computed `values` entries are reported once, by the chart values check.
    const { values } = releaseValues(resource);
    const problems: string[] = [];
    const computed: string[] = [];
    const objects: ExtractedObject[] = [];
    for (const key of RAW_CHART_OBJECT_KEYS) {
      const list = values[key];
      if (!Array.isArray(list) || !list.some(looksLikeObjectOrYaml)) continue;
      list.forEach((item, index) => {
        const location = `values.${key}[${index}]`;
        if (typeof item !== "string") return void objects.push({ location, object: item });
        if (isPureInterpolation(item)) return void computed.push(location);
        const parsed = parseDocuments(item);
        if (parsed.kind === "parsed")
          parsed.documents.forEach((object, doc) =>
            objects.push({ location: parsed.documents.length > 1 ? `${location}#${doc}` : location, object }),
          );
        else if (parsed.kind === "invalid") problems.push(`${location}: not valid YAML: ${parsed.reason}`);
      });
    }
    if (objects.length === 0 && problems.length === 0) return undefined;
    return { objects, problems, computed };
  },
};

function looksLikeObjectOrYaml(item: unknown): boolean {
  if (typeof item === "string") return /(^|\n)\s*kind\s*:/.test(item);
  return isObject(item) && ("kind" in item || "apiVersion" in item);
}

export const yamlBodyExtractor: ObjectExtractor = {
  name: "yaml_body",
  extract(resource) {
    const body = resource.body.yaml_body;
    if (typeof body !== "string") return undefined;
    const parsed = parseDocuments(body);
    if (parsed.kind === "expression") return { objects: [], computed: ["yaml_body"] };
    if (parsed.kind === "invalid") return { objects: [], problems: [`yaml_body: not valid YAML: ${parsed.reason}`] };
    return {
      objects: parsed.documents.map((object, index) => ({
        location: parsed.documents.length > 1 ? `yaml_body#${index}` : "yaml_body",
        object,
      })),
    };
  },
};

export const defaultObjectExtractors: ReadonlyArray<ObjectExtractor> = [
  kubernetesManifestExtractor,
  helmValuesObjectsExtractor,
  yamlBodyExtractor,
];

export function validateKubernetesObjects(
  stacks: ReadonlyArray<SynthStack>,
  crds: CrdCatalog,
  sink: FindingSink,
  extractors: ReadonlyArray<ObjectExtractor> = defaultObjectExtractors,
): void {
  for (const stack of stacks) {
    for (const resource of resourcesOf(stack)) {
      for (const extractor of extractors) {
        const extraction = extractor.extract(resource);
        if (!extraction) continue;
        const report = (severity: "error" | "warning" | "skipped", message: string): void =>
          sink.add(stack.name, resource.address, severity, "kubernetes-object", message);
        for (const problem of extraction.problems ?? []) report("error", problem);
        for (const location of extraction.computed ?? [])
          report("skipped", `${location}: computed at apply time; objects not checked`);
        for (const { location, object } of extraction.objects) {
          for (const [severity, message] of checkObject(object, crds)) report(severity, `${location}: ${message}`);
        }
      }
    }
  }
}

type Problem = ["error" | "warning" | "skipped", string];

/** Checks one object; messages start with a path inside the object when there is one. */
export function checkObject(object: unknown, crds: CrdCatalog): Problem[] {
  if (!isObject(object)) return [["error", `expected a Kubernetes object, got ${describeJsonType(object)}`]];
  const problems: Problem[] = [];
  const apiVersion = asString(object.apiVersion);
  const kind = asString(object.kind);
  if (!apiVersion)
    problems.push(["error", `apiVersion: ${object.apiVersion === undefined ? "missing" : "must be a string"}`]);
  if (!kind) problems.push(["error", `kind: ${object.kind === undefined ? "missing" : "must be a string"}`]);
  const metadata = asObject(object.metadata);
  problems.push(...checkMetadata(object.metadata));
  if (!apiVersion || !kind || hasInterpolation(apiVersion) || hasInterpolation(kind)) return problems;
  const label = `${kind} ${apiVersion}`;
  const group = groupOf(apiVersion);
  const namespace = metadata?.namespace;
  if (isBuiltInGroup(group)) {
    const builtIn = lookupBuiltIn(apiVersion, kind);
    if (!builtIn.served) {
      problems.push([
        "error",
        `apiVersion: ${label} is not served by Kubernetes${builtIn.servedAs.length ? ` (use ${builtIn.servedAs.join(" or ")})` : ""}`,
      ]);
    } else if (builtIn.clusterScoped && namespace !== undefined) {
      problems.push(["warning", `metadata.namespace: ${kind} is cluster-scoped; the namespace is ignored`]);
    }
    return problems;
  }
  const lookup = crds.lookup(group, versionOf(apiVersion), kind);
  switch (lookup.kind) {
    case "unknown-group":
      problems.push(["skipped", `no CRD for ${label} in the reference; spec not checked`]);
      break;
    case "unknown-kind":
      problems.push([
        "error",
        `kind: the reference CRDs for group ${group} define ${lookup.kindsInGroup.join(", ")}, not ${kind}`,
      ]);
      break;
    case "no-such-version":
      problems.push([
        "error",
        `apiVersion: ${label} is not served by its CRD (${lookup.origin} serves ${lookup.served.join(", ") || "no version"})`,
      ]);
      break;
    case "validator": {
      const { validate, scope, origin } = lookup.validator;
      if (scope === "Cluster" && namespace !== undefined)
        problems.push(["warning", `metadata.namespace: ${kind} is cluster-scoped; the namespace is ignored`]);
      for (const problem of validate(object)) problems.push(["error", `${problem} (CRD ${origin})`]);
      break;
    }
  }
  return problems;
}

/** Names are DNS subdomains; labels and annotations map strings to strings. */
function checkMetadata(raw: unknown): Problem[] {
  const metadata = asObject(raw);
  if (!metadata)
    return [
      ["error", raw === undefined ? "metadata: missing" : `metadata: expected an object, got ${describeJsonType(raw)}`],
    ];
  const problems: Problem[] = [];
  const name = metadata.name;
  if (name === undefined && metadata.generateName === undefined) problems.push(["error", "metadata.name: missing"]);
  else if (name !== undefined && !hasInterpolation(name)) {
    if (typeof name !== "string")
      problems.push(["error", `metadata.name: must be a string, got ${describeJsonType(name)}`]);
    else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name) || name.length > 253) {
      problems.push([
        "error",
        `metadata.name: "${name}" is not a valid name (lowercase letters, digits, '-' and '.', at most 253 characters)`,
      ]);
    }
  }
  for (const key of ["labels", "annotations"]) {
    const map = metadata[key];
    if (map === undefined || isPureInterpolation(map)) continue;
    if (!isObject(map)) {
      problems.push(["error", `metadata.${key}: expected a map of strings, got ${describeJsonType(map)}`]);
      continue;
    }
    for (const [entry, value] of Object.entries(map as JsonObject)) {
      if (typeof value !== "string")
        problems.push([
          "error",
          `${joinPath(`metadata.${key}`, entry)}: must be a string, got ${describeJsonType(value)}`,
        ]);
    }
  }
  return problems;
}
