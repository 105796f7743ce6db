import { PlatformConfigError, type ConfigIssue } from "../errors";

/**
 * The limits on reading a config (read-file.ts, parse-yaml.ts, parse-json.ts), which bound the memory and time any
 * input may take, and how a refusal is worded: one `PlatformConfigError` issue naming the file, the problem (with its
 * line and column when it has one) and the fix.
 */

/** A platform config is a few KiB; the limit bounds memory and time, not legitimate use. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** Nested collections allowed (the deepest real config, Helm values included, uses about 12). */
export const MAX_NESTING = 64;
/** Alias expansions allowed in YAML (anchors reused a few times are normal; a "billion laughs" bomb is not). */
export const MAX_ALIAS_COUNT = 100;
/** Values (after alias expansion) the rest of the code may have to walk. */
export const MAX_VALUES = 1_000_000;

/** Refuses the config `source` with one issue. */
export function fail(source: string, issue: ConfigIssue): never {
  throw new PlatformConfigError([issue], source);
}

/** The issue for a file or text over MAX_CONFIG_BYTES (`bytes` read so far, or its size). */
export function tooLarge(what: string, bytes: number): ConfigIssue {
  const size = bytes > MAX_CONFIG_BYTES + 1 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : "more than 4 MiB";
  return {
    path: "<file>",
    message: `${what} is ${size}, over the ${MAX_CONFIG_BYTES / 1024 / 1024} MiB limit for a config`,
    fix: "a platform config is a few KiB: check that PLATFORM_CONFIG names the right file",
  };
}

/** The issue for a value nested deeper than MAX_NESTING, at `path`, found `where`. */
export function tooDeep(path: string, where: string): ConfigIssue {
  return {
    path,
    message: `nested more than ${MAX_NESTING} levels deep (${where})`,
    fix: "flatten the structure; no setting needs this depth",
  };
}

/** Where `offset` is, for an issue path (`<file> line 3, column 1`) and a clickable `file:3:1` in the message. */
export function locate(text: string, offset: number, fileName: string): { path: string; at: string; line: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1))
    [line, lineStart] = [line + 1, index + 1];
  // 1-based, in characters as an editor counts them: offsets are UTF-16 units, and é is one, 😀 two.
  let col = 1;
  for (let index = lineStart; index < offset; index += text.codePointAt(index)! > 0xffff ? 2 : 1) col++;
  return { path: `<file> line ${line}, column ${col}`, at: `${fileName}:${line}:${col}`, line };
}
