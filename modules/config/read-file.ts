import { isUtf8 } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { extname } from "node:path";
import { formatPath, PlatformConfigError, type ConfigIssue } from "../errors";
import { parseJson } from "./parse-json";
import { parseYaml } from "./parse-yaml";
import { fail, MAX_CONFIG_BYTES, MAX_NESTING, MAX_VALUES, tooDeep, tooLarge } from "./read-limits";

export { MAX_ALIAS_COUNT, MAX_CONFIG_BYTES, MAX_NESTING, MAX_VALUES } from "./read-limits";

/**
 * Reading and parsing a config file so that no input can hang the process, exhaust its memory or crash it:
 * `PLATFORM_CONFIG` may name anything (a pipe, `/dev/zero`, a directory, a log file), and the yaml parser
 * recurses per nesting level. Every refusal is one `PlatformConfigError` issue: the file, the problem, the fix.
 * The formats' own parsers are parse-yaml.ts and parse-json.ts; the limits are declared in read-limits.ts.
 */

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
