import { CST, Lexer, parseDocument, visit, type Document } from "yaml";
import { PlatformConfigError, type ConfigIssue } from "../errors";
import { fail, locate, MAX_ALIAS_COUNT, MAX_NESTING, tooDeep } from "./read-limits";

/**
 * YAML config text to a value, bounded: nesting too deep for the yaml parser's recursion is refused from the lexer's
 * tokens before parsing, alias expansions are limited, and every error (a duplicate key with the key's name and its
 * first line, an alias before its anchor) says where it is.
 */

/** The parsed value of a YAML config, or a `PlatformConfigError` (up to ten issues for malformed YAML). */
export function parseYaml(text: string, fileName: string): unknown {
  // The yaml parser recurses per level and aborts the process (out of memory, not an exception) at a few
  // thousand levels, so the lexer's tokens (linear, no tree) are checked first.
  const deepAt = yamlNestingEstimateBeyond(text, 2 * MAX_NESTING);
  if (deepAt !== undefined) {
    const where = locate(text, deepAt, fileName);
    fail(fileName, tooDeep(where.path, `at ${where.at}`));
  }
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true }); // prettyErrors would reword messages
  if (document.errors.length > 0) {
    const issues = document.errors.slice(0, 10).map((error): ConfigIssue => {
      const where = locate(text, error.pos[0], fileName);
      if (error.code === "DUPLICATE_KEY") return duplicateYamlKey(document, text, error.pos[0], where);
      const fix =
        error.code === "TAB_AS_INDENT" ? "indent with spaces" : "check the indentation and quoting at that line";
      return { path: where.path, message: `malformed YAML at ${where.at}: ${error.message.split("\n")[0]}`, fix };
    });
    throw new PlatformConfigError(issues, fileName);
  }
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = (error as Error).message;
    if (/alias count/i.test(message)) {
      return fail(fileName, {
        path: "<file>",
        message: `YAML aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias expansions; an alias bomb?)`,
        fix: "write repeated blocks out, or reuse an anchor fewer times",
      });
    }
    // An alias before (or without) its anchor: toJS does not say where, so find the first such alias.
    let unresolved: number | undefined;
    visit(document, {
      Alias: (_, alias) => {
        if (unresolved === undefined && alias.resolve(document) === undefined) unresolved = alias.range?.[0];
      },
    });
    const where = unresolved === undefined ? undefined : locate(text, unresolved, fileName);
    return fail(fileName, {
      path: where?.path ?? "<file>",
      message: `malformed YAML${where ? ` at ${where.at}` : ` in ${fileName}`}: ${message.split("\n")[0]}`,
      fix: "define the anchor (&name) before its alias (*name)",
    });
  }
}

/** yaml says "Map keys must be unique" without the key; name it and where it first appears. */
function duplicateYamlKey(
  document: Document,
  text: string,
  offset: number,
  where: { path: string; at: string },
): ConfigIssue {
  let key = "?";
  let first: number | undefined;
  visit(document, {
    Pair: (_, pair, path) => {
      const node = pair.key as { value?: unknown; range?: [number, number, number] } | null;
      if (node?.range?.[0] !== offset) return;
      key = String(node.value);
      const map = path[path.length - 1] as { items?: ReadonlyArray<{ key: unknown }> };
      const earlier = map.items
        ?.map((item) => item.key as typeof node)
        .find((other) => other !== node && other?.value === node.value);
      first = earlier?.range?.[0];
    },
  });
  const firstAt = first === undefined ? "" : ` (first at line ${locate(text, first, "").line})`;
  return {
    path: where.path,
    message: `duplicate key ${JSON.stringify(key)} at ${where.at}${firstAt}: keys must be unique`,
    fix: "keep one of them: with both, the last would silently win",
  };
}

/**
 * Nesting estimate from the lexer's tokens: open flow brackets plus a stack of the block indentation columns
 * on the way to each line's first node (`- - x` opens two). It can undercount sequences written at their key's
 * indentation (by at most half), hence the caller's margin; the exact check runs on the parsed value.
 */
function yamlNestingEstimateBeyond(text: string, limit: number): number | undefined {
  const columns: number[] = [];
  let offset = 0;
  let lineStart = 0;
  let flow = 0;
  let leading = true; // only indicators (`-`, `?`, `:`) seen so far on this line: the next token opens a level
  let scalar = false; // the lexer marks scalar text with a token of its own: "-" after it is text, not an indicator
  for (const token of new Lexer().lex(text)) {
    if (token === CST.DOCUMENT || token === CST.FLOW_END || token === CST.SCALAR) {
      scalar = token === CST.SCALAR;
      continue; // markers, not source text
    }
    const type = scalar ? "scalar" : CST.tokenType(token);
    scalar = false;
    const start = offset;
    offset += token.length;
    if (token === "\n" || token === "\r\n" || token.endsWith("\n")) {
      lineStart = offset;
      leading = true;
      continue;
    }
    if (token.includes("\n")) lineStart = start + token.lastIndexOf("\n") + 1;
    if (type === "flow-seq-start" || type === "flow-map-start") flow++;
    else if (type === "flow-seq-end" || type === "flow-map-end") flow = Math.max(0, flow - 1);
    else if (type === "doc-start") columns.length = 0;
    if (flow > 0 && !(flow === 1 && (type === "flow-seq-start" || type === "flow-map-start"))) {
      if (columns.length + flow > limit) return start;
      continue;
    }
    if (type === "space" || type === "comment" || !leading) continue;
    const column = start - lineStart;
    while (columns.length > 0 && columns[columns.length - 1] >= column) columns.pop();
    columns.push(column);
    if (columns.length + flow > limit) return start;
    leading = type === "seq-item-ind" || type === "explicit-key-ind" || type === "map-value-ind";
  }
  return undefined;
}
