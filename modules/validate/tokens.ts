import YAML from "yaml";
import { isObject } from "./json";

/**
 * Terraform interpolations (`${...}`) in synthesized JSON are values only known at plan or apply time.
 * The validator accepts them wherever a value could come from an expression; these helpers find them,
 * and let JSON/YAML documents that embed them (Helm values, IAM policies, `yaml_body`) be parsed even
 * when the expression itself contains quotes that would break the surrounding syntax.
 */

interface Span {
  readonly start: number;
  readonly end: number;
}

/** `${...}` spans, with nested braces; `$${` is Terraform's escape for a literal `${` and is skipped. */
export function interpolationSpans(text: string): Span[] {
  const spans: Span[] = [];
  let index = text.indexOf("${");
  while (index !== -1) {
    if (index > 0 && text[index - 1] === "$") {
      index = text.indexOf("${", index + 2);
      continue;
    }
    let depth = 0;
    let end = -1;
    for (let i = index + 1; i < text.length; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}" && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    if (end === -1) break;
    spans.push({ start: index, end });
    index = text.indexOf("${", end);
  }
  return spans;
}

export function hasInterpolation(value: unknown): value is string {
  return typeof value === "string" && interpolationSpans(value).length > 0;
}

/** The whole string is one expression: its value may be of any type (a list, an object, a number). */
export function isPureInterpolation(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const spans = interpolationSpans(value);
  return spans.length === 1 && spans[0].start === 0 && spans[0].end === value.length;
}

const placeholderPattern = /__TFEXPR_(\d+)__/g;

/** Replaces interpolations by inert placeholders; `restore` puts the original text back into parsed values. */
function shieldInterpolations(text: string): { shielded: string; restore: (value: unknown) => unknown } {
  const spans = interpolationSpans(text);
  if (spans.length === 0) return { shielded: text, restore: (value) => value };
  const originals: string[] = [];
  let shielded = "";
  let last = 0;
  for (const span of spans) {
    shielded += text.slice(last, span.start) + `__TFEXPR_${originals.length}__`;
    originals.push(text.slice(span.start, span.end));
    last = span.end;
  }
  shielded += text.slice(last);
  const restoreString = (s: string): string => s.replace(placeholderPattern, (_, i: string) => originals[Number(i)] ?? _);
  const restore = (value: unknown): unknown => {
    if (typeof value === "string") return restoreString(value);
    if (Array.isArray(value)) return value.map(restore);
    if (isObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) out[restoreString(key)] = restore(child);
      return out;
    }
    return value;
  };
  return { shielded, restore };
}

export type ParsedDocuments =
  | { readonly kind: "parsed"; readonly documents: unknown[] }
  | { readonly kind: "expression" }
  | { readonly kind: "invalid"; readonly reason: string };

/**
 * Parses a JSON or (multi-document) YAML string that may embed interpolations. A string that is one
 * expression (`${jsonencode(local.values)}`) has no document to check until apply: `expression`.
 */
export function parseDocuments(text: string): ParsedDocuments {
  if (isPureInterpolation(text.trim())) return { kind: "expression" };
  const { shielded, restore } = shieldInterpolations(text);
  try {
    return { kind: "parsed", documents: [restore(JSON.parse(shielded))] };
  } catch {
    // Not JSON: YAML is a superset, and the only other format Helm and kubectl accept.
  }
  try {
    const documents = YAML.parseAllDocuments(shielded);
    const list = Array.isArray(documents) ? documents : [documents];
    const errors = list.flatMap((doc) => doc.errors);
    if (errors.length > 0) return { kind: "invalid", reason: errors[0].message.split("\n")[0].replace(/:$/, "") };
    return { kind: "parsed", documents: list.map((doc) => restore(doc.toJS())).filter((doc) => doc !== null && doc !== undefined) };
  } catch (error) {
    return { kind: "invalid", reason: error instanceof Error ? error.message.split("\n")[0] : String(error) };
  }
}
