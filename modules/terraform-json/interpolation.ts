import { isObject } from "./json";

/**
 * Terraform interpolations (`${...}`) in synthesized JSON: values only known at plan or apply time. cdktf
 * resolves tokens after `JSON.stringify`, so an expression such as `${replace(x, "https://", "")}` sits
 * unescaped inside JSON (policy documents, Helm values): its quotes would break the surrounding syntax. These
 * helpers find the expressions, so they can be set aside while such a document is parsed and put back after.
 */

export interface Span {
  /** Index of the `$` of `${`. */
  readonly start: number;
  /** Index just after the closing `}`. */
  readonly end: number;
}

interface Scan {
  readonly spans: Span[];
  /** A `${` without its closing `}`: the scan stopped there. */
  readonly unterminated: boolean;
}

/** Index of the `}` closing an interpolation whose expression starts at `from` (quoted strings may hold braces). */
function interpolationEnd(text: string, from: number): number {
  let depth = 1;
  let quoted = false;
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === "\\") index++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === "{") depth++;
    else if (char === "}" && --depth === 0) return index;
  }
  return -1;
}

function scan(text: string): Scan {
  const spans: Span[] = [];
  for (let start = text.indexOf("${"); start >= 0;) {
    // `$${` is Terraform's escape for a literal `${`: not an expression.
    if (start > 0 && text[start - 1] === "$") {
      start = text.indexOf("${", start + 2);
      continue;
    }
    const close = interpolationEnd(text, start + 2);
    if (close < 0) return { spans, unterminated: true };
    spans.push({ start, end: close + 1 });
    start = text.indexOf("${", close + 1);
  }
  return { spans, unterminated: false };
}

/** The `${...}` spans of a string, nested braces and quoted strings inside the expression included. */
export function interpolationSpans(text: string): Span[] {
  return scan(text).spans;
}

export function hasInterpolation(value: unknown): value is string {
  return typeof value === "string" && scan(value).spans.length > 0;
}

/** The whole string is one expression: its value may be of any type (a list, an object, a number). */
export function isPureInterpolation(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const spans = scan(value).spans;
  return spans.length === 1 && spans[0].start === 0 && spans[0].end === value.length;
}

/** The literal part of a string: interpolations removed, so `*` inside `${...}` is not mistaken for a wildcard. */
export function literalText(value: string): string {
  let literal = "";
  let index = 0;
  for (const span of scan(value).spans) {
    literal += value.slice(index, span.start);
    index = span.end;
  }
  return literal + value.slice(index);
}

const REFERENCE = /(?<![\w.-])([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g;

/** `type.name` addresses referenced by a value (any JSON, keys included): `${aws_iam_role.x.arn}` -> `aws_iam_role.x`. */
export function referencedAddresses(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (item: unknown): void => {
    if (typeof item === "string") {
      for (const span of scan(item).spans) {
        for (const ref of item.slice(span.start + 2, span.end - 1).matchAll(REFERENCE))
          if (ref[1] !== "data") found.add(`${ref[1]}.${ref[2]}`);
      }
    } else if (Array.isArray(item)) item.forEach(visit);
    else if (isObject(item)) {
      for (const [key, child] of Object.entries(item)) {
        visit(key);
        visit(child);
      }
    }
  };
  visit(value);
  return [...found];
}

export interface MaskedText {
  /** The text with each interpolation replaced by an inert placeholder. */
  readonly masked: string;
  /** Puts the original expressions back into strings (and keys) of a value parsed from `masked`. */
  readonly restore: (value: unknown) => unknown;
  /** The text has a `${` without its `}`; interpolations from there on are left as they are. */
  readonly unterminated: boolean;
}

// No `{`, quote or colon: the placeholder is a plain scalar in JSON strings and in YAML alike.
const PLACEHOLDER = /__TFEXPR_(\d+)__/g;

export function maskInterpolations(text: string): MaskedText {
  const { spans, unterminated } = scan(text);
  if (spans.length === 0) return { masked: text, restore: (value) => value, unterminated };
  const originals: string[] = [];
  let masked = "";
  let last = 0;
  for (const span of spans) {
    masked += `${text.slice(last, span.start)}__TFEXPR_${originals.length}__`;
    originals.push(text.slice(span.start, span.end));
    last = span.end;
  }
  masked += text.slice(last);
  const put = (s: string): string =>
    s.includes("__TFEXPR_") ? s.replace(PLACEHOLDER, (whole, n: string) => originals[Number(n)] ?? whole) : s;
  const restore = (value: unknown): unknown => {
    if (typeof value === "string") return put(value);
    if (Array.isArray(value)) return value.map(restore);
    if (isObject(value))
      return Object.fromEntries(Object.entries(value).map(([key, child]) => [put(key), restore(child)]));
    return value;
  };
  return { masked, restore, unterminated };
}

/**
 * Parses JSON that is a Terraform string template (see the file comment): each `${...}` is masked while
 * parsing and restored in the parsed strings. `undefined` when the text is not JSON.
 */
export function parseTemplateJson(text: string): unknown {
  const { masked, restore, unterminated } = maskInterpolations(text);
  if (unterminated) return undefined;
  try {
    return restore(JSON.parse(masked));
  } catch {
    return undefined;
  }
}

// Inside one `${...}` expression: `data.T.N`, `ephemeral.T.N`, `local.N`, `module.N`, or a resource `T.N`
// (resource types have an underscore; `var.x`, `path.module`, `count.index`, `each.key` do not match).
const BLOCK_REFERENCE =
  /(?<![\w.-])(?:(data|ephemeral)\.([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)|(local|module)\.([A-Za-z_][\w-]*)|([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*))/g;

/** The addresses an expression text names (no `${`): `data.a_b.c`, `local.x`, `aws_x.y`, `module.m`. */
export function addressesInExpression(expression: string): string[] {
  const found: string[] = [];
  for (const match of expression.matchAll(BLOCK_REFERENCE)) {
    if (match[1]) found.push(`${match[1]}.${match[2]}.${match[3]}`);
    else if (match[4]) found.push(`${match[4]}.${match[5]}`);
    else if (match[6] !== "data" && match[6] !== "ephemeral") found.push(`${match[6]}.${match[7]}`);
  }
  return found;
}

/**
 * Every address referenced from `${...}` interpolations in a JSON value (strings and keys, at any depth, cdktf's
 * `//` metadata skipped), of every kind: resources, `data.`, `ephemeral.`, `local.`, `module.`. The rehearsal's
 * graph and the per-call cluster tokens read dependencies with it.
 */
export function referencedBlocks(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (item: unknown): void => {
    if (typeof item === "string") {
      for (const span of scan(item).spans)
        addressesInExpression(item.slice(span.start + 2, span.end - 1)).forEach((address) => found.add(address));
    } else if (Array.isArray(item)) item.forEach(visit);
    else if (isObject(item))
      for (const [key, child] of Object.entries(item)) {
        if (key === "//") continue; // cdktf metadata
        visit(key);
        visit(child);
      }
  };
  visit(value);
  return [...found];
}
