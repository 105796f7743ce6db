import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { App } from "cdktf";
import { Platform, loadConfigFile, type PlatformConfig } from "../index";

/**
 * Normalized goldens of every synthesized stack (`__tests__/__golden__/stacks/<config>/<stack>.json`). The address
 * list golden only notices a resource that disappears; this one also notices an attribute change, which is how a
 * replacement (a new `creation_token`, cluster `name`, KMS key spec ...) sneaks into a plan. Normalized so that a
 * diff is about what Terraform would do, and readable: metadata and content hashes dropped, keys sorted, JSON
 * strings (IAM policies, helm values, add-on configuration, event patterns) expanded.
 *
 *   npm run golden               check: exit 1 with the changed paths per stack
 *   npm run golden -- --update   rewrite the goldens (after reviewing the diff)
 *   npm run generate             rewrites them too, with every other generated file (tools/generate.ts)
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** Stack name -> normalized synthesized JSON. */
export type Stacks = Record<string, Json>;

export const GOLDEN_CONFIGS = ["example", "all-options"] as const;
export type GoldenConfig = (typeof GOLDEN_CONFIGS)[number];
/** Key that wraps a JSON string parsed into its value, so the golden still says "this was a string". */
export const JSON_MARKER = "<json>";
/** The fix a stale golden names: the one command that regenerates every generated file (`npm run golden -- --update` still works). */
export const UPDATE_HINT = "npm run generate";

/** Compiled, this file is dist/tools/golden.js; from source (jest) it is tools/golden.ts. */
export const PROJECT_ROOT =
  basename(dirname(__dirname)) === "dist" ? join(__dirname, "..", "..") : join(__dirname, "..");
export const GOLDEN_ROOT = join(PROJECT_ROOT, "__tests__", "__golden__", "stacks");

export function configPath(name: GoldenConfig): string {
  return join(PROJECT_ROOT, "config", `${name}.yaml`);
}

/** Synthesizes a config into a throwaway outdir (never cdktf.out: someone may be deploying from it): each stack's JSON as written. */
export function synthesizeRawStacks(config: PlatformConfig): Stacks {
  const outdir = mkdtempSync(join(tmpdir(), "platform-golden-"));
  try {
    const app = new App({ outdir });
    new Platform(app, { config });
    app.synth();
    const stacksDir = join(outdir, "stacks");
    const stacks: Stacks = {};
    for (const name of readdirSync(stacksDir).sort()) {
      const file = join(stacksDir, name, "cdk.tf.json");
      if (existsSync(file)) stacks[name] = JSON.parse(readFileSync(file, "utf8")) as Json;
    }
    return stacks;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every stack of a config, synthesized and normalized. */
export function synthesizeStacks(config: PlatformConfig): Stacks {
  return normalizeStacks(synthesizeRawStacks(config));
}

export function normalizeStacks(raw: Stacks): Stacks {
  return Object.fromEntries(Object.entries(raw).map(([name, json]) => [name, normalizeStack(json)]));
}

export function synthesizeConfig(name: GoldenConfig): Stacks {
  return synthesizeStacks(loadConfigFile(configPath(name)));
}

/**
 * An asset directory is named by the hash of its content (`./assets/<id>/<HASH>`): a chart edit would change
 * every stack's golden although the chart's own diff is where to review it.
 */
const ASSET_PATH = /^(\.\/assets\/[^/]+\/)[0-9A-F]{32}$/;

/**
 * Drops every `//` block (cdktf metadata: construct paths, unique ids, cross-stack output bookkeeping, the cdktf
 * version; none of it reaches Terraform), masks asset hashes, expands JSON strings and sorts keys.
 */
export function normalizeStack(value: Json): Json {
  if (Array.isArray(value)) return value.map(normalizeStack);
  if (typeof value === "string") {
    const asset = ASSET_PATH.exec(value);
    if (asset) return `${asset[1]}<hash>`;
    const parsed = parseJsonString(value);
    return parsed === undefined ? value : { [JSON_MARKER]: sortKeys(parsed) };
  }
  if (value === null || typeof value !== "object") return value;
  const result: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort()) {
    if (key !== "//") result[key] = normalizeStack(value[key]);
  }
  return result;
}

/** Only objects and arrays: a string "true" or "42" is a string to Terraform and stays one. */
function parseJsonString(text: string): Json | undefined {
  const trimmed = text.trim();
  if (!(trimmed.startsWith("{") && trimmed.endsWith("}")) && !(trimmed.startsWith("[") && trimmed.endsWith("]")))
    return undefined;
  try {
    return JSON.parse(trimmed) as Json;
  } catch {
    return undefined;
  }
}

/** Inside an expanded string: keys sorted (IAM and helm compare JSON semantically), "//" kept (it is data there). */
function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const result: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort()) result[key] = sortKeys(value[key]);
  return result;
}

export function serialize(stack: Json): string {
  return `${JSON.stringify(stack, null, 2)}\n`;
}

export function goldenDir(name: GoldenConfig): string {
  return join(GOLDEN_ROOT, name);
}

export function readGoldens(name: GoldenConfig): Stacks {
  const dir = goldenDir(name);
  const stacks: Stacks = {};
  if (!existsSync(dir)) return stacks;
  for (const file of readdirSync(dir)
    .filter((entry) => entry.endsWith(".json"))
    .sort()) {
    stacks[file.slice(0, -".json".length)] = JSON.parse(readFileSync(join(dir, file), "utf8")) as Json;
  }
  return stacks;
}

/** Rewrites the config's goldens; a golden of a stack that no longer exists is deleted. Returns what changed. */
export function writeGoldens(name: GoldenConfig, stacks: Stacks): string[] {
  const dir = goldenDir(name);
  mkdirSync(dir, { recursive: true });
  const changed: string[] = [];
  for (const file of readdirSync(dir).filter((entry) => entry.endsWith(".json"))) {
    if (!(file.slice(0, -".json".length) in stacks)) {
      unlinkSync(join(dir, file));
      changed.push(`${name}/${file} (deleted)`);
    }
  }
  for (const [stack, json] of Object.entries(stacks)) {
    const file = join(dir, `${stack}.json`);
    const text = serialize(json);
    if (existsSync(file) && readFileSync(file, "utf8") === text) continue;
    writeFileSync(file, text);
    changed.push(`${name}/${stack}.json`);
  }
  return changed;
}

/** One changed leaf; `before`/`after` undefined means absent on that side. */
export interface Difference {
  readonly path: string;
  readonly before?: Json;
  readonly after?: Json;
}

export interface StackDifference {
  readonly stack: string;
  /** "changed": both sides exist; "added": no golden yet; "removed": a golden without a stack. */
  readonly kind: "changed" | "added" | "removed";
  readonly differences: ReadonlyArray<Difference>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function childPath(path: string, key: string): string {
  if (key === JSON_MARKER) return `${path}${JSON_MARKER}`;
  if (!IDENTIFIER.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === "" ? key : `${path}.${key}`;
}

/**
 * Leaf-level structural diff. Arrays are compared by index: cdktf keeps list order, and for Terraform a moved list
 * element is a change of every index after it too.
 */
export function diffJson(before: Json | undefined, after: Json | undefined, path = ""): Difference[] {
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const differences: Difference[] = [];
    if (Array.isArray(before) && Array.isArray(after)) {
      for (let index = 0; index < Math.max(before.length, after.length); index++) {
        differences.push(...diffJson(before[index], after[index], `${path}[${index}]`));
      }
    } else {
      const left = before as { [key: string]: Json };
      const right = after as { [key: string]: Json };
      for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
        differences.push(...diffJson(left[key], right[key], childPath(path, key)));
      }
    }
    return differences;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path || "(root)", before, after }];
}

function isContainer(value: Json | undefined): value is Json[] | { [key: string]: Json } {
  return typeof value === "object" && value !== null;
}

export function compareStacks(golden: Stacks, current: Stacks): StackDifference[] {
  const result: StackDifference[] = [];
  for (const stack of [...new Set([...Object.keys(golden), ...Object.keys(current)])].sort()) {
    if (!(stack in golden)) result.push({ stack, kind: "added", differences: [] });
    else if (!(stack in current)) result.push({ stack, kind: "removed", differences: [] });
    else {
      const differences = diffJson(golden[stack], current[stack]);
      if (differences.length > 0) result.push({ stack, kind: "changed", differences });
    }
  }
  return result;
}

function show(value: Json | undefined): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * A readable summary of about `limit` lines: per stack, each changed path with `old -> new`. The lines are shared
 * out between the stacks, so a rename that touches every stack still shows each of them. Empty when equal.
 */
export function formatDifferences(config: string, stacks: ReadonlyArray<StackDifference>, limit = 50): string {
  if (stacks.length === 0) return "";
  const perStack = Math.max(3, Math.floor((limit - stacks.length) / stacks.length));
  const lines: string[] = [];
  for (const { stack, kind, differences } of stacks) {
    if (kind === "added") lines.push(`${config}/${stack}: new stack, no golden yet`);
    else if (kind === "removed") lines.push(`${config}/${stack}: stack no longer synthesized, but a golden exists`);
    else {
      lines.push(`${config}/${stack}: ${differences.length} change${differences.length === 1 ? "" : "s"}`);
      const shown = differences.length > perStack ? differences.slice(0, perStack - 1) : differences;
      for (const { path, before, after } of shown) lines.push(`  ${path}: ${show(before)} -> ${show(after)}`);
      if (shown.length < differences.length)
        lines.push(`  ... and ${differences.length - shown.length} more in this stack`);
    }
  }
  const capped =
    lines.length > limit ? [...lines.slice(0, limit - 1), `... and ${lines.length - limit + 1} more lines`] : lines;
  return [...capped, `Review it (a changed attribute may replace a resource), then run \`${UPDATE_HINT}\`.`].join("\n");
}

function main(argv: ReadonlyArray<string>): number {
  const update = argv.includes("--update");
  let failed = false;
  for (const name of GOLDEN_CONFIGS) {
    const current = synthesizeConfig(name);
    if (update) {
      const changed = writeGoldens(name, current);
      process.stdout.write(
        changed.length ? changed.map((file) => `wrote ${file}\n`).join("") : `${name}: goldens are up to date\n`,
      );
      continue;
    }
    const message = formatDifferences(name, compareStacks(readGoldens(name), current));
    if (message) {
      failed = true;
      process.stderr.write(`${message}\n`);
    } else process.stdout.write(`${name}: ${Object.keys(current).length} stacks match their goldens\n`);
  }
  return failed ? 1 : 0;
}

// scripts/app.js runs this file with require() after pointing argv[1] at it (require.main is app.js then); jest never does.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === __filename)
  process.exitCode = main(process.argv.slice(2));
