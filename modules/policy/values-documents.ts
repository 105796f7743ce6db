import {
  isObject,
  isPureInterpolation,
  parseDocuments,
  releaseValues,
  resources,
  type JsonObject,
  type ResourceBlock,
  type StackJson,
} from "../terraform-json";
import type { Violation } from "./types";

/**
 * The values documents the values rules read, each with the reading of a boolean its receiver applies:
 *
 * - a Helm release's values as Helm computes them (modules/terraform-json/helm-values.ts: documents coalesced in
 *   order, YAML 1.1, `set` typed like `--set`), read with Go template truthiness (`helmTruthy`);
 * - an EKS add-on's `configuration_values` (JSON or YAML), which EKS hands to the add-on's chart: the same;
 * - a Kubernetes provider object's attributes, which Terraform converts to its types: `terraformTrue`.
 */

export interface ValuesDocument {
  readonly resource: ResourceBlock;
  readonly document: unknown;
  /** Whether a value would switch a setting on, as the document's receiver reads it. */
  readonly truthy: (value: unknown) => boolean;
}

/**
 * Go template truthiness of a value as Helm passes it (text/template `if`): false, 0, null and empty strings,
 * lists and maps are false; anything else is true, the string "false" included (`{{ if .Values.x }}`).
 * A Terraform expression (`${var.x}`) is unknown until apply and not counted.
 */
export function helmTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value.length > 0 && !isPureInterpolation(value);
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return value === true;
}

/**
 * A chart's boolean switch as its template's `if` reads it from the values Helm computes (`releaseValues`): Go
 * truthiness when the user values set it, else the chart's own default (chart defaults are not merged offline).
 */
export function helmSwitchOn(values: JsonObject, key: string, chartDefault: boolean): boolean {
  return key in values ? helmTruthy(values[key]) : chartDefault;
}

/** A Terraform bool attribute: `true`, or a string Terraform converts to true ("true", "1"). */
export function terraformTrue(value: unknown): boolean {
  return value === true || value === 1 || (typeof value === "string" && /^(true|1)$/.test(value.trim()));
}

// strconv.ParseBool's false spellings: Go flags (pflag, flag, klog) read `--flag=<value>` with it.
const GO_FALSE = new Set(["0", "f", "F", "false", "FALSE", "False"]);

/**
 * Whether a boolean command-line flag is on: given without a value, or with any value strconv.ParseBool does not
 * read as false (`=1`, `=T`, `=True`; `=yes` does not parse, and is counted rather than trusted).
 */
export function flagOn(value: string | undefined): boolean {
  return value === undefined || !GO_FALSE.has(value);
}

/** A `{ "<flag-name>": value }` entry of a chart's map-form `extraArgs`: rendered as `--<flag-name>=<value>`. */
export function mapFlagOn(value: unknown): boolean {
  if (typeof value === "string") return value === "" || (!isPureInterpolation(value) && flagOn(value));
  return helmTruthy(value);
}

/** An EKS add-on's `configuration_values` (JSON, or YAML read as YAML 1.1 like its chart): none when unreadable. */
export function eksAddonDocuments(addon: ResourceBlock): unknown[] {
  const text = addon.body.configuration_values;
  const parsed = typeof text === "string" ? parseDocuments(text, { yaml: "1.1" }) : undefined;
  return parsed?.kind === "parsed" ? parsed.documents : [];
}

/** The values documents of the stack's Helm releases and EKS add-ons, and the bodies of its Kubernetes objects. */
export function valuesDocuments(json: StackJson): ValuesDocument[] {
  const documents: ValuesDocument[] = [];
  for (const release of resources(json, "helm_release"))
    documents.push({ resource: release, document: releaseValues(release).values, truthy: helmTruthy });
  for (const addon of resources(json, "aws_eks_addon"))
    for (const document of eksAddonDocuments(addon)) documents.push({ resource: addon, document, truthy: helmTruthy });
  for (const object of resources(json).filter((block) => block.type.startsWith("kubernetes_")))
    documents.push({ resource: object, document: object.body, truthy: terraformTrue });
  return documents;
}

/** What a check sees of one key/value pair (`key` is "" for a string in a list, such as one of `args`). */
export interface ValueVisit {
  readonly key: string;
  readonly value: unknown;
  readonly path: string;
  readonly truthy: (value: unknown) => boolean;
}

/**
 * Calls `visit` on every key/value pair of a document, depth first (`path` like `a.b[0].c`), and on every string
 * in a list with `key` "" (one of `args`); cdktf's `//` metadata is skipped.
 */
export function eachPair(document: unknown, visit: (key: string, value: unknown, path: string) => void): void {
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (isObject(value)) {
      for (const [key, inner] of Object.entries(value)) {
        if (key === "//") continue;
        const at = path ? `${path}.${key}` : key;
        visit(key, inner, at);
        walk(inner, at);
      }
    } else if (typeof value === "string") visit("", value, path);
  };
  walk(document, "");
}

/** Runs `check` on every key/value pair of every values document; each problem is a violation on its resource. */
export function eachValue(json: StackJson, check: (visit: ValueVisit) => string | undefined): Violation[] {
  const violations: Violation[] = [];
  for (const { resource, document, truthy } of valuesDocuments(json))
    eachPair(document, (key, value, path) => {
      const problem = check({ key, value, path, truthy });
      if (problem) violations.push({ resource, problem: `${problem} (values ${path})` });
    });
  return violations;
}
