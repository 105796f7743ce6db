/**
 * Terraform strings as HCL literals. A string in Terraform's JSON syntax (what `cdk.tf.json` holds, and what
 * cdktf resolves every attribute to) is a *template*: `${ expr }` interpolates, `%{ ... }` is a directive,
 * `$${` and `%%{` are a literal `${` and `%{`. The same template in native syntax (`cdk.tf`) is written either
 *
 * - quoted: the literal text between the sequences needs backslash escapes (`\"`, `\\`, `\n`, ...), while the
 *   text inside `${ ... }` / `%{ ... }` is an HCL expression and stays exactly as it is (a string *inside* an
 *   interpolation is written `"a"`, never `\"a\"`); or
 * - as a heredoc: a bare template, read exactly like the JSON string (no backslash escapes), ending in a newline.
 *
 * cdktf 0.21's renderer (cdktf/lib/hcl/render.js, `escapeQuotes` and `renderString`) skips all escaping as soon
 * as a string contains `${`, never escapes backslashes, and writes multi-line strings as heredocs with one newline
 * too many; `renderFuzzyJsonExpression` writes strings that start with `{` or `[`, or look like integers, as raw
 * expressions. modules/hcl/escape-strings.ts routes every such string around it.
 */

/** One piece of a template: text between sequences, or a whole `${...}` / `%{...}` sequence. */
export interface TemplatePart {
  readonly kind: "literal" | "sequence";
  readonly text: string;
}

const isOpening = (s: string, i: number): boolean => (s[i] === "$" || s[i] === "%") && s[i + 1] === "{";
const isEscapedOpening = (s: string, i: number): boolean =>
  (s[i] === "$" || s[i] === "%") && s[i + 1] === s[i] && s[i + 2] === "{";

/**
 * Index of the `}` that closes the expression starting at `from` (just after `${` or `%{`), or -1. Nested braces
 * (object constructors, `for` expressions) and quoted strings, with their own nested templates, are skipped.
 */
function expressionEnd(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i = quotedEnd(s, i + 1);
      if (i < 0) return -1;
    } else if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** Index of the `"` that closes a quoted template starting at `from`, or -1. */
function quotedEnd(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === "\\") i++;
    else if (c === '"') return i;
    else if (isEscapedOpening(s, i)) i += 2;
    else if (isOpening(s, i)) {
      i = expressionEnd(s, i + 2);
      if (i < 0) return -1;
    }
  }
  return -1;
}

/** Splits a template into literal text and `${...}` / `%{...}` sequences (an unterminated one runs to the end). */
export function templateParts(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  let i = 0;
  while (i < template.length) {
    if (isEscapedOpening(template, i)) {
      literal += template.slice(i, i + 3);
      i += 3;
    } else if (isOpening(template, i)) {
      const end = expressionEnd(template, i + 2);
      const next = end < 0 ? template.length : end + 1;
      if (literal) parts.push({ kind: "literal", text: literal });
      parts.push({ kind: "sequence", text: template.slice(i, next) });
      literal = "";
      i = next;
    } else {
      literal += template[i];
      i++;
    }
  }
  if (literal) parts.push({ kind: "literal", text: literal });
  return parts;
}

const ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Backslash escapes for literal text in a quoted HCL template (`$${` / `%%{` stay: they mean the same there). */
function escapeLiteral(text: string): string {
  return text.replace(
    /["\\\u0000-\u001f\u007f]/g,
    (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The template as a quoted HCL string: `"..."`. */
export function quotedHclString(template: string): string {
  return `"${templateParts(template)
    .map((part) => (part.kind === "literal" ? escapeLiteral(part.text) : part.text))
    .join("")}"`;
}

/**
 * The template as a heredoc when that reads better and means exactly the same: several lines ending in a newline,
 * no carriage returns or other control characters, no line break inside a `${...}`. Followed by a newline, so a
 * `,` or `]` after it (cdktf lists) stays off the closing-marker line. `undefined` when a heredoc does not fit.
 */
export function heredocHclString(template: string): string | undefined {
  const lines = template.split("\n");
  if (lines.length < 3 || lines[lines.length - 1] !== "") return undefined;
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(template)) return undefined;
  if (templateParts(template).some((part) => part.kind === "sequence" && part.text.includes("\n"))) return undefined;
  let marker = "EOT";
  for (let n = 1; lines.some((line) => line.trim() === marker); n++) marker = `EOT${n}`;
  return `<<${marker}\n${template}${marker}\n`;
}

/** The template as an HCL expression that means the same as the JSON string: a heredoc if it fits, else quoted. */
export function hclString(template: string): string {
  return heredocHclString(template) ?? quotedHclString(template);
}

/** Whether cdktf writes `value` wrongly in some position: it needs escaping, or it reads as a number or a collection. */
export function needsHclEscaping(value: string): boolean {
  return quotedHclString(value) !== `"${value}"` || /^[[{]/.test(value) || parseInt(value, 10).toString() === value;
}
