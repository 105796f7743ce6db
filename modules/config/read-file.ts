import { isUtf8 } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { extname } from "node:path";
import { CST, Lexer, parseDocument, visit, type Document } from "yaml";
import { formatPath, PlatformConfigError, type ConfigIssue } from "../errors";

/**
 * Reading and parsing a config file so that no input can hang the process, exhaust its memory or crash it:
 * `PLATFORM_CONFIG` may name anything (a pipe, `/dev/zero`, a directory, a log file), and the yaml parser
 * recurses per nesting level. Every refusal is one `PlatformConfigError` issue: the file, the problem, the fix.
 */

/** A platform config is a few KiB; the limit bounds memory and time, not legitimate use. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** Nested collections allowed (the deepest real config, Helm values included, uses about 12). */
export const MAX_NESTING = 64;
/** Alias expansions allowed in YAML (anchors reused a few times are normal; a "billion laughs" bomb is not). */
export const MAX_ALIAS_COUNT = 100;
/** Values (after alias expansion) the rest of the code may have to walk. */
export const MAX_VALUES = 1_000_000;

function fail(source: string, issue: ConfigIssue): never {
  throw new PlatformConfigError([issue], source);
}

/** The file's text. Stats before opening, so a FIFO or a device is refused without blocking on or reading it. */
export function readConfigText(path: string): string {
  let fd: number | undefined;
  try {
    refuseUnlessSmallRegularFile(path, statSync(path));
    // O_NONBLOCK: should the path be swapped for a FIFO after the stat, opening it does not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stats = fstatSync(fd);
    refuseUnlessSmallRegularFile(path, stats);
    // The size from stat is a hint only (a file may grow, /proc files report 0): read until EOF, at most the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (let read = -1; read !== 0; total += read) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stats.size + 1, 65_536), MAX_CONFIG_BYTES + 1 - total));
      read = readSync(fd, chunk, 0, chunk.length, null);
      chunks.push(chunk.subarray(0, read));
      if (total + read > MAX_CONFIG_BYTES) fail(path, tooLarge(path, total + read));
    }
    const bytes = Buffer.concat(chunks, total);
    if (!isUtf8(bytes))
      fail(path, {
        path: "<file>",
        message: `${path} is not UTF-8 text`,
        fix: "save the config as UTF-8 (YAML or JSON)",
      });
    return bytes.toString("utf8");
  } catch (error) {
    if (error instanceof PlatformConfigError) throw error;
    return fail(path, fileError(path, error));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function refuseUnlessSmallRegularFile(path: string, stats: Stats): void {
  if (stats.isDirectory())
    fail(path, {
      path: "<file>",
      message: `${path} is a directory, not a config file`,
      fix: "point PLATFORM_CONFIG at a .yaml, .yml or .json file",
    });
  if (!stats.isFile()) {
    const kind = stats.isFIFO()
      ? "a FIFO (named pipe)"
      : stats.isCharacterDevice()
        ? "a character device"
        : stats.isBlockDevice()
          ? "a block device"
          : stats.isSocket()
            ? "a socket"
            : "not a regular file";
    fail(path, {
      path: "<file>",
      message: `${path} is ${kind}, not a regular file; it was not read`,
      fix: "save the config to a regular .yaml, .yml or .json file and point PLATFORM_CONFIG at it",
    });
  }
  if (stats.size > MAX_CONFIG_BYTES) fail(path, tooLarge(path, stats.size));
}

function tooLarge(what: string, bytes: number): ConfigIssue {
  const size = bytes > MAX_CONFIG_BYTES + 1 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : "more than 4 MiB";
  return {
    path: "<file>",
    message: `${what} is ${size}, over the ${MAX_CONFIG_BYTES / 1024 / 1024} MiB limit for a config`,
    fix: "a platform config is a few KiB: check that PLATFORM_CONFIG names the right file",
  };
}

function fileError(path: string, error: unknown): ConfigIssue {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR")
    return {
      path: "<file>",
      message: `config file not found: ${path}`,
      fix: "set PLATFORM_CONFIG to an existing .yaml, .yml or .json file",
    };
  const permission = `make it readable by this user (chmod u+r ${path}, and x on its directories) or copy it somewhere readable`;
  if (code === "EACCES" || code === "EPERM")
    return { path: "<file>", message: `cannot read ${path}: permission denied`, fix: permission };
  const reason = (error as Error).message.replace(/^[A-Z]+: /, "");
  return {
    path: "<file>",
    message: `cannot read ${path}: ${reason}`,
    fix: "point PLATFORM_CONFIG at a readable .yaml, .yml or .json file",
  };
}

/** Parses config text; the format follows the file name's extension (YAML unless `.json`). */
export function parseConfigSource(text: string, fileName: string): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a BOM is not content (JSON.parse rejects it)
  if (source.trim() === "")
    fail(fileName, { path: "<file>", message: "the config file is empty", fix: "start from config/example.yaml" });
  if (source.length > MAX_CONFIG_BYTES) fail(fileName, tooLarge("the config text", source.length));
  const extension = extname(fileName).toLowerCase();
  let value: unknown;
  if (extension === ".json") value = parseJson(source, fileName);
  else if (extension === ".yaml" || extension === ".yml") value = parseYaml(source, fileName);
  else
    return fail(fileName, {
      path: "<file>",
      message: `unsupported config file type '${extension || "(none)"}'`,
      allowed: ".yaml, .yml, .json",
    });
  const shape = shapeProblem(value);
  if (shape === "too-large") {
    const message = `the config expands to more than ${MAX_VALUES} values (YAML aliases repeating a large block?)`;
    fail(fileName, {
      path: "<file>",
      message,
      fix: "write the data out, or alias it less; a platform config holds a few thousand values",
    });
  }
  if (shape) fail(fileName, tooDeep("<file>", `at ${formatPath(shape.slice(0, 6))}...`));
  return value;
}

function tooDeep(path: string, where: string): ConfigIssue {
  return {
    path,
    message: `nested more than ${MAX_NESTING} levels deep (${where})`,
    fix: "flatten the structure; no setting needs this depth",
  };
}

/** Where `offset` is, for an issue path (`<file> line 3, column 1`) and a clickable `file:3:1` in the message. */
function locate(text: string, offset: number, fileName: string): { path: string; at: string; line: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1))
    [line, lineStart] = [line + 1, index + 1];
  // 1-based, in characters as an editor counts them: offsets are UTF-16 units, and é is one, 😀 two.
  let col = 1;
  for (let index = lineStart; index < offset; index += text.codePointAt(index)! > 0xffff ? 2 : 1) col++;
  return { path: `<file> line ${line}, column ${col}`, at: `${fileName}:${line}:${col}`, line };
}

function parseYaml(text: string, fileName: string): unknown {
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

/**
 * Walks the parsed value as the rest of the code will (schema checks, merges), without recursion. YAML aliases
 * share one block between many places, nesting deeper than the text shows or expanding a block thousands of
 * times (yaml's alias limit only counts aliases inside aliased blocks). Returns the path of a collection nested
 * too deeply, or "too-large".
 */
function shapeProblem(root: unknown): PropertyKey[] | "too-large" | undefined {
  type Entry = { readonly value: unknown; readonly key?: PropertyKey; readonly parent?: Entry; readonly depth: number };
  const pending: Entry[] = [{ value: root, depth: 0 }];
  let values = 0;
  for (let entry = pending.pop(); entry; entry = pending.pop()) {
    if (++values > MAX_VALUES) return "too-large";
    const { value, depth } = entry;
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_NESTING) {
      const path: PropertyKey[] = [];
      for (let at: Entry | undefined = entry; at?.parent; at = at.parent) path.unshift(at.key!);
      return path;
    }
    if (Array.isArray(value))
      value.forEach((child, key) => pending.push({ value: child, key, parent: entry, depth: depth + 1 }));
    else
      for (const key of Object.keys(value))
        pending.push({ value: (value as Record<string, unknown>)[key], key, parent: entry, depth: depth + 1 });
  }
  return undefined;
}

/**
 * JSON.parse lets the last of duplicate keys win silently and reports errors without a line (quoting the whole
 * input, newlines included). This single pass validates the grammar with an explicit stack (no recursion, so no
 * depth limit of its own), finding the first error, duplicate key or excess depth at its offset.
 */
function parseJson(text: string, fileName: string): unknown {
  const problem = (offset: number, message: string, fix = "fix the JSON at that position"): never => {
    const where = locate(text, offset, fileName);
    // A truncated file is a problem of the whole file (`<file>`); its end is still given in the message.
    return fail(fileName, {
      path: offset >= text.length ? "<file>" : where.path,
      message: message.replace("{at}", where.at),
      fix,
    });
  };
  const open: Array<Map<string, number> | null> = []; // keys seen per open object (null: an array)
  type Expect = "value" | "value-or-close" | "key" | "key-or-close" | "colon" | "after";
  let expect: Expect = "value";
  let index = 0;
  for (;;) {
    while (index < text.length && " \t\n\r".includes(text[index])) index++;
    if (index >= text.length) {
      if (expect === "after" && open.length === 0) return JSON.parse(text);
      return problem(
        index,
        "malformed JSON at {at}: unexpected end of input",
        "close every { and [ and finish the last value",
      );
    }
    const char = text[index];
    const top = open[open.length - 1];
    if (expect === "after") {
      if (open.length === 0)
        problem(index, `malformed JSON at {at}: unexpected ${JSON.stringify(char)} after the end of the value`);
      if (char === ",") expect = top ? "key" : "value";
      else if (char === (top ? "}" : "]")) open.pop();
      else
        problem(index, `malformed JSON at {at}: expected ',' or '${top ? "}" : "]"}', found ${JSON.stringify(char)}`);
      index++;
    } else if (expect === "colon") {
      if (char !== ":")
        problem(index, `malformed JSON at {at}: expected ':' after the key, found ${JSON.stringify(char)}`);
      expect = "value";
      index++;
    } else if ((char === "}" && expect === "key-or-close") || (char === "]" && expect === "value-or-close")) {
      open.pop(); // an empty object or array
      expect = "after";
      index++;
    } else if (expect === "key" || expect === "key-or-close") {
      if (char !== '"')
        problem(index, `malformed JSON at {at}: expected a double-quoted key, found ${JSON.stringify(char)}`);
      const end =
        jsonStringEnd(text, index) ?? problem(index, "malformed JSON at {at}: unterminated or invalid string");
      const key = JSON.parse(text.slice(index, end)) as string;
      const first = top!.get(key);
      if (first !== undefined)
        problem(
          index,
          `duplicate key ${JSON.stringify(key)} at {at} (first at line ${locate(text, first, fileName).line}): keys must be unique`,
          "keep one of them: with both, the last would silently win",
        );
      top!.set(key, index);
      index = end;
      expect = "colon";
    } else if (char === "{" || char === "[") {
      if (open.length >= MAX_NESTING)
        problem(
          index,
          `nested more than ${MAX_NESTING} levels deep (at {at})`,
          "flatten the structure; no setting needs this depth",
        );
      open.push(char === "{" ? new Map() : null);
      expect = char === "{" ? "key-or-close" : "value-or-close";
      index++;
    } else if (char === '"') {
      index = jsonStringEnd(text, index) ?? problem(index, "malformed JSON at {at}: unterminated or invalid string");
      expect = "after";
    } else {
      const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
      literal.lastIndex = index;
      const match = literal.exec(text) ?? problem(index, `malformed JSON at {at}: unexpected ${JSON.stringify(char)}`);
      index += match[0].length;
      expect = "after";
    }
  }
}

/** Offset just past the JSON string starting at `start`, or undefined when it is unterminated or invalid. */
function jsonStringEnd(text: string, start: number): number | undefined {
  for (let index = start + 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22) return index + 1;
    if (code < 0x20) return undefined; // raw control characters (a newline) are not allowed inside strings
    if (code === 0x5c) {
      const escape = text[index + 1];
      if (escape === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) index += 5;
      else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) index++;
      else return undefined;
    }
  }
  return undefined;
}
