import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isObject, type StackJson } from "../../../modules/terraform-json";
import { fixtureConfigData, fixtureOutdir, type FixtureConfig } from "../../helpers/fixtures";

/**
 * The synthesized app, as `npm run synth` writes it (manifest.json, stacks/<name>/cdk.tf.json): the shared
 * fixture synthesis of the config (`__tests__/helpers/fixtures.ts`), once per source state for every test file
 * and worker, read back here once per file.
 */

export const EXAMPLE_CONFIG = "config/example.yaml";
export const ALL_OPTIONS_CONFIG = "config/all-options.yaml";
/** all-options without `iam.permissionsBoundaryArn`: prod's platform roles carry the platform's own run boundary. */
export const PLATFORM_BOUNDARY_CONFIG = "config/all-options.yaml without iam.permissionsBoundaryArn";

const FIXTURE_OF: Readonly<Record<string, FixtureConfig>> = {
  [EXAMPLE_CONFIG]: "example",
  [ALL_OPTIONS_CONFIG]: "all-options",
  [PLATFORM_BOUNDARY_CONFIG]: "all-options-platform-boundary",
};

export interface Synthesized {
  /** The config: its path relative to the project root, or PLATFORM_BOUNDARY_CONFIG. */
  readonly config: string;
  /** The config as parsed, before validation (what the simulation reads its facts from). */
  readonly data: unknown;
  readonly outdir: string;
  /** Stack name -> its synthesized JSON. */
  readonly stacks: ReadonlyMap<string, StackJson>;
}

const memo = new Map<string, Synthesized>();

/** The synthesized stacks of a config (relative to the project root), synthesizing it if this run has not yet. */
export function synthesized(config: string): Synthesized {
  const known = memo.get(config);
  if (known) return known;
  const outdir = ensureSynthesized(config);
  const stacks = new Map<string, StackJson>();
  for (const name of readdirSync(join(outdir, "stacks")).sort()) {
    const json: unknown = JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
    if (!isObject(json)) throw new Error(`${outdir}/stacks/${name}/cdk.tf.json is not a JSON object`);
    stacks.set(name, json);
  }
  const result = { config, data: fixtureConfigData(fixtureOf(config)), outdir, stacks };
  memo.set(config, result);
  return result;
}

/** One stack of a synthesized config; fails loudly when the stack is not there. */
export function stackOf(synth: Synthesized, name: string): StackJson {
  const stack = synth.stacks.get(name);
  if (!stack)
    throw new Error(`${synth.config} synthesized no stack ${name} (has: ${[...synth.stacks.keys()].join(", ")})`);
  return stack;
}

function fixtureOf(config: string): FixtureConfig {
  const name = FIXTURE_OF[config];
  if (!name) throw new Error(`${config}: not a fixture config (${Object.keys(FIXTURE_OF).join(", ")})`);
  return name;
}

/** The fixture's output directory (synthesized on first use). */
function ensureSynthesized(config: string): string {
  return fixtureOutdir(fixtureOf(config));
}
