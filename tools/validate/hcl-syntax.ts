/**
 * The structure of an HCL native-syntax file (`.tf`), as far as nesting goes: which keys of a body are attributes
 * (`name = expression`) and which are blocks (`name "label" { body }`). HashiCorp's parser as packaged for
 * JavaScript (@cdktf/hcl2json) answers in JSON, where both look the same; this reader keeps the difference.
 *
 * A tokenizer that knows every construct which can hide a brace or a line break: quoted templates (backslash
 * escapes, `${ ... }` and `%{ ... }` sequences holding expressions with strings of their own, `$${` / `%%{`),
 * heredocs (`<<EOT`, `<<-EOT`, with templates), comments (`#`, `//`, `/* ... *\/`); then a parser of bodies that
 * skips over expressions (an attribute's expression ends at a line break outside brackets). Expressions are not
 * parsed beyond their first token, which tells an object constructor (`{`) or a tuple (`[`) from anything else.
 */

export type TokenKind = "identifier" | "number" | "string" | "heredoc" | "punctuation" | "newline" | "eof";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 1-based line of the token's first character. */
  readonly line: number;
}

export class HclSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const OPERATORS = ["...", "==", "!=", "<=", ">=", "&&", "||", "=>"];
const isIdentifierStart = (c: string): boolean => /[\p{L}_]/u.test(c);
const isIdentifierPart = (c: string): boolean => /[\p{L}\p{N}_-]/u.test(c);

/** Every token of an HCL file; comments and whitespace other than line breaks are dropped. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const fail = (message: string): never => {
    throw new HclSyntaxError(line, message);
  };
  /** Advances over text[i..end), counting line breaks. */
  const advance = (end: number): void => {
    for (; i < end; i++) if (text[i] === "\n") line++;
  };

  /** Index just after the `}` closing a template sequence whose expression starts at `from`. */
  const sequenceEnd = (from: number): number => {
    let depth = 0;
    for (let j = from; j < text.length; j++) {
      const c = text[j];
      if (c === '"') j = quotedEnd(j + 1) - 1;
      else if (c === "<" && text[j + 1] === "<" && /[-A-Za-z_]/.test(text[j + 2] ?? "")) j = heredocEnd(j) - 1;
      else if (c === "{") depth++;
      else if (c === "}") {
        if (depth === 0) return j + 1;
        depth--;
      }
    }
    return fail("unterminated template sequence");
  };

  /** Index just after the `"` closing a quoted template whose content starts at `from`. */
  const quotedEnd = (from: number): number => {
    for (let j = from; j < text.length; j++) {
      const c = text[j];
      if (c === "\\") j++;
      else if (c === '"') return j + 1;
      else if (c === "\n") fail("line break in a quoted string (outside ${ ... })");
      else if ((c === "$" || c === "%") && text[j + 1] === c && text[j + 2] === "{") j += 2;
      else if ((c === "$" || c === "%") && text[j + 1] === "{") j = sequenceEnd(j + 2) - 1;
    }
    return fail("unterminated string");
  };

  /** Index just after the line holding a heredoc's closing marker; `from` is at `<<`. */
  const heredocEnd = (from: number): number => {
    const opening = /^<<-?([\p{L}_][\p{L}\p{N}_-]*)\r?\n/u.exec(text.slice(from, from + 256));
    if (!opening) return fail("a heredoc needs a marker and a line break after `<<`");
    const marker = opening[1];
    for (let j = from + opening[0].length; j < text.length;) {
      const lineEnd = text.indexOf("\n", j) < 0 ? text.length : text.indexOf("\n", j);
      if (text.slice(j, lineEnd).replace(/\r$/, "").trim() === marker) return lineEnd;
      // Literal text up to the line break; a template sequence may run over several lines: the line ends after it.
      let end = lineEnd;
      for (let k = j; k < end; k++) {
        const c = text[k];
        if ((c === "$" || c === "%") && text[k + 1] === c && text[k + 2] === "{") k += 2;
        else if ((c === "$" || c === "%") && text[k + 1] === "{") {
          k = sequenceEnd(k + 2) - 1;
          if (k >= end) end = text.indexOf("\n", k) < 0 ? text.length : text.indexOf("\n", k);
        }
      }
      j = end + 1;
    }
    return fail(`heredoc without its closing marker ${marker}`);
  };

  while (i < text.length) {
    const c = text[i];
    const start = i;
    const startLine = line;
    const push = (kind: TokenKind, end: number): void => {
      tokens.push({ kind, text: text.slice(start, end), line: startLine });
      advance(end);
    };
    if (c === "\n") push("newline", i + 1);
    else if (c === " " || c === "\t" || c === "\r") i++;
    else if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) fail("unterminated /* comment");
      advance(end + 2);
    } else if (c === '"') push("string", quotedEnd(i + 1));
    else if (c === "<" && text[i + 1] === "<" && /[-\p{L}_]/u.test(text[i + 2] ?? "")) push("heredoc", heredocEnd(i));
    else if (isIdentifierStart(c)) {
      let end = i + 1;
      while (end < text.length && isIdentifierPart(text[end])) end++;
      push("identifier", end);
    } else if (/[0-9]/.test(c))
      push("number", i + /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i))![0].length);
    else push("punctuation", i + (OPERATORS.find((op) => text.startsWith(op, i))?.length ?? 1));
  }
  tokens.push({ kind: "eof", text: "", line });
  return tokens;
}

/** `name = expression`. */
export interface HclAttribute {
  readonly kind: "attribute";
  readonly name: string;
  readonly line: number;
  /** The expression's first token: `{` (object constructor), `[` (tuple), or anything else. */
  readonly valueStart: string;
}

/** `name "label"... { body }`. */
export interface HclBlock {
  readonly kind: "block";
  readonly name: string;
  readonly labels: ReadonlyArray<string>;
  readonly line: number;
  readonly body: ReadonlyArray<HclItem>;
}

export type HclItem = HclAttribute | HclBlock;

const OPENING = new Set(["{", "[", "("]);
const CLOSING = new Set(["}", "]", ")"]);

/** A label's value: the quoted string unescaped when it is a plain literal, as written otherwise. */
function labelValue(token: Token): string {
  if (token.kind !== "string" || /\$\{|%\{/.test(token.text)) return token.text;
  try {
    return JSON.parse(token.text) as string;
  } catch {
    return token.text;
  }
}

/** The attributes and blocks of an HCL file, nested as written. Throws `HclSyntaxError`. */
export function parseHcl(text: string): HclItem[] {
  const tokens = tokenize(text);
  let i = 0;
  const fail = (message: string): never => {
    throw new HclSyntaxError(tokens[i].line, message);
  };

  const skipExpression = (): void => {
    let depth = 0;
    for (; tokens[i].kind !== "eof"; i++) {
      const token = tokens[i];
      if (token.kind === "punctuation" && OPENING.has(token.text)) depth++;
      else if (token.kind === "punctuation" && CLOSING.has(token.text)) {
        if (depth === 0) {
          if (token.text === "}") return; // `name { a = 1 }` on one line: the body ends here
          fail(`unexpected ${token.text}`);
        }
        depth--;
      } else if (token.kind === "newline" && depth === 0) return;
    }
    if (depth > 0) fail("unclosed bracket at the end of the file");
  };

  const parseBody = (nested: boolean): HclItem[] => {
    const items: HclItem[] = [];
    for (;;) {
      while (tokens[i].kind === "newline") i++;
      const token = tokens[i];
      if (token.kind === "eof") {
        if (nested) fail("unclosed block at the end of the file");
        return items;
      }
      if (token.kind === "punctuation" && token.text === "}") {
        if (!nested) fail("unexpected }");
        return items;
      }
      if (token.kind !== "identifier") fail(`expected an attribute or block name, got ${token.text}`);
      i++;
      if (tokens[i].kind === "punctuation" && tokens[i].text === "=") {
        i++;
        if (tokens[i].kind === "newline" || tokens[i].kind === "eof") fail(`${token.text} = needs an expression`);
        const valueStart = tokens[i].text.split("\n")[0];
        items.push({ kind: "attribute", name: token.text, line: token.line, valueStart });
        skipExpression();
        continue;
      }
      const labels: string[] = [];
      while (tokens[i].kind === "string" || tokens[i].kind === "identifier") labels.push(labelValue(tokens[i++]));
      if (tokens[i].text !== "{" || tokens[i].kind !== "punctuation")
        fail(`expected = or { after ${token.text}, got ${tokens[i].text || "the end of the file"}`);
      i++;
      const body = parseBody(true);
      i++; // the closing }
      items.push({ kind: "block", name: token.text, labels, line: token.line, body });
    }
  };

  return parseBody(false);
}
