import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readConfigFile } from "../../modules/config/load";
import { validateConfig } from "../../modules/plan";
import type { StackJson } from "./config";
import { FOUNDATION_DEFAULTS_CONFIG } from "./foundation-config";
import { terraformCloudEnvironments } from "./terraform-cloud-config";

/**
 * One synthesis per fixture config per source state, shared by every test file and worker that reads it: the
 * output of `cdktf synth` (manifest.json, stacks/<name>/cdk.tf.json) for config/<name>.yaml, cached under the
 * system temp directory by a fingerprint of the product's sources and the config. The first file that asks
 * synthesizes (atomically, so a parallel worker waits or builds beside it and the last complete one wins); the
 * rest read JSON. An edit to any source gives a new fingerprint, so a cached output is never stale.
 *
 * cdktf and the stacks load only when a fixture is synthesized (`require` below): a file that reads a cached
 * fixture pays for JSON, not for cdktf and the provider classes.
 */

export type FixtureConfig =
  "example" | "all-options" | "all-options-platform-boundary" | "foundation-defaults" | "terraform-cloud-managed";

type FixtureSource =
  | {
      /** config/<file>.yaml */
      readonly file: "example" | "all-options";
      /** An edit of the parsed config, for a fixture that is a variant of a config file. */
      readonly edit?: (config: Record<string, any>) => void;
    }
  | {
      /** A config a test helper writes (plain data): one synthesis whose assertions span several test files. */
      readonly data: () => unknown;
    };

const FIXTURES: Readonly<Record<FixtureConfig, FixtureSource>> = {
  example: { file: "example" },
  "all-options": { file: "all-options" },
  // all-options without the organizations' permissions boundaries: prod's platform roles then carry the platform's
  // own run boundary (tfc-prod-main-boundary), which the IAM simulation judges too.
  "all-options-platform-boundary": {
    file: "all-options",
    edit: (config) => {
      for (const entry of [config.defaults ?? {}, ...config.environments]) delete entry.iam;
    },
  },
  // One environment with every default and a principal per access level (foundation.test.ts, foundation-karpenter).
  "foundation-defaults": { data: () => FOUNDATION_DEFAULTS_CONFIG },
  // Two environments that manage their workspaces and one that does not (terraform-cloud*.test.ts).
  "terraform-cloud-managed": { data: () => ({ environments: terraformCloudEnvironments() }) },
};

/** The fixture's config file, relative to the project root; undefined for a config a helper writes. */
export function fixtureConfigFile(name: FixtureConfig): string | undefined {
  const source = FIXTURES[name];
  return "file" in source ? join("config", `${source.file}.yaml`) : undefined;
}

/** The fixture's config as parsed (a variant's edit applied), before validation. */
export function fixtureConfigData(name: FixtureConfig): unknown {
  const source = FIXTURES[name];
  if (!("file" in source)) return source.data();
  const data = readConfigFile(join(ROOT, join("config", `${source.file}.yaml`))) as Record<string, any>;
  source.edit?.(data);
  return data;
}

const ROOT = join(__dirname, "..", "..");
const SOURCES = ["index.ts", "main.ts", "modules", "stacks", "charts", "config", "package-lock.json"];

function fingerprint(): string {
  const hash = createHash("sha1");
  const visit = (relative: string) => {
    const path = join(ROOT, relative);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const entry of readdirSync(path).sort()) visit(join(relative, entry));
    else hash.update(`${relative}\0${stat.size}\0${stat.mtimeMs}\n`);
  };
  SOURCES.forEach(visit);
  return hash.digest("hex").slice(0, 16);
}

let sources: string | undefined;

/** The directory of config/<name>.yaml's synthesized output (synthesized on first use). */
export function fixtureOutdir(name: FixtureConfig): string {
  return cachedSynthesis(name, "json");
}

/**
 * The same config synthesized as HCL (`cdktf synth --hcl`: stacks/<name>/cdk.tf and its companions), cached the
 * same way; the HCL tests compare it with `fixtureOutdir`'s JSON.
 */
export function fixtureHclOutdir(name: FixtureConfig): string {
  return cachedSynthesis(name, "hcl");
}

function cachedSynthesis(name: FixtureConfig, format: "json" | "hcl"): string {
  sources ??= fingerprint();
  const configFile = fixtureConfigFile(name);
  const data = fixtureConfigData(name);
  const key = createHash("sha1")
    .update(`${sources}\0${JSON.stringify(data)}`)
    .digest("hex")
    .slice(0, 16);
  const prefix = `${name}-${format === "hcl" ? "hcl-" : ""}`;
  const outdir = join(CACHE, `${prefix}${key}`);
  if (!existsSync(join(outdir, "manifest.json"))) {
    pruneStale(prefix, outdir);
    const { synthesizeAtomically } = require("../../modules/synth") as typeof import("../../modules/synth");
    const { Platform } = require("../../stacks/platform") as typeof import("../../stacks/platform");
    // cdktf's App reads SYNTH_HCL_OUTPUT when it is constructed (stacks/environment-stack.ts repairs the HCL).
    const previous = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = String(format === "hcl");
    try {
      synthesizeAtomically((app) => void new Platform(app, { config: validateConfig(data, configFile) }), outdir);
    } finally {
      if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = previous;
    }
  }
  return outdir;
}

const CACHE = join(tmpdir(), "cdktf-eks-platform-fixtures");
/** An hour: a checkout's runs reuse their outputs within it; another checkout's run may be reading its own. */
const STALE_MS = 3_600_000;

/**
 * Removes this fixture's outputs of earlier source states (another key) not touched for an hour: every edit made
 * a new one, and nothing else removes them (hundreds of megabytes over a day of edits).
 */
function pruneStale(prefix: string, current: string): void {
  let entries: string[];
  try {
    entries = readdirSync(CACHE);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !/^[0-9a-f]{16}$/.test(entry.slice(prefix.length))) continue;
    const path = join(CACHE, entry);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (path !== current && stat && Date.now() - stat.mtimeMs > STALE_MS)
      rmSync(path, { recursive: true, force: true });
  }
}

/** Every stack of the fixture's output, by stack name, as Terraform reads it (cdk.tf.json). */
export function fixtureStacks(name: FixtureConfig): Map<string, StackJson> {
  const outdir = fixtureOutdir(name);
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  return new Map(
    Object.entries(manifest.stacks).map(([stack, entry]) => [
      stack,
      JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8")) as StackJson,
    ]),
  );
}
