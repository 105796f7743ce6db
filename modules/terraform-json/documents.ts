import YAML from "yaml";
import { isPureInterpolation, maskInterpolations } from "./interpolation";

/**
 * JSON/YAML documents embedded in synthesized stacks (Helm values, IAM policies, `yaml_body`) may hold
 * Terraform interpolations whose quotes would break the surrounding syntax: they are masked while parsing
 * and put back into the parsed values.
 */

export type ParsedDocuments =
  | { readonly kind: "parsed"; readonly documents: unknown[] }
  | { readonly kind: "expression" }
  | { readonly kind: "invalid"; readonly reason: string };

export interface ParseOptions {
  /**
   * The YAML version of a document that is not JSON. Helm reads values files as YAML 1.1 (`yes`, `on` and `True`
   * are booleans); kubectl and the Kubernetes provider read YAML 1.2. Default 1.2.
   */
  readonly yaml?: "1.1" | "1.2";
}

/**
 * Parses a JSON or (multi-document) YAML string that may embed interpolations. A string that is one
 * expression (`${jsonencode(local.values)}`) has no document to check until apply: `expression`.
 */
export function parseDocuments(text: string, options: ParseOptions = {}): ParsedDocuments {
  if (isPureInterpolation(text.trim())) return { kind: "expression" };
  const { masked, restore } = maskInterpolations(text);
  try {
    return { kind: "parsed", documents: [restore(JSON.parse(masked))] };
  } catch {
    // Not JSON: YAML is a superset, and the only other format Helm and kubectl accept.
  }
  try {
    const documents = YAML.parseAllDocuments(masked, { version: options.yaml ?? "1.2" });
    const list = Array.isArray(documents) ? documents : [documents];
    const errors = list.flatMap((doc) => doc.errors);
    if (errors.length > 0) return { kind: "invalid", reason: errors[0].message.split("\n")[0].replace(/:$/, "") };
    return {
      kind: "parsed",
      documents: list.map((doc) => restore(doc.toJS())).filter((doc) => doc !== null && doc !== undefined),
    };
  } catch (error) {
    return { kind: "invalid", reason: error instanceof Error ? error.message.split("\n")[0] : String(error) };
  }
}
