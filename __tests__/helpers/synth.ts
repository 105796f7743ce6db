import type {} from "cdktf/lib/testing/adapters/jest";
import type { Resources } from "./network";
import { Testing, TerraformStack, type App } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { Platform } from "../../stacks/platform";
import { readSynthesizedApp, type StackJson } from "./config";

/** Synthesis helpers for the synth tests (these load cdktf and the provider classes). */

type LayerName = "foundation" | "network" | "storage" | "operators";

/**
 * Synthesizes one layer of every environment, with cross-stack references resolved as `app.synth()` would
 * (outputs in foundation, `terraform_remote_state` in the reader). Keyed by environment name: the JSON text (for
 * the cdktf matchers) and the parsed stack.
 */
export function synthesizeLayer(
  environments: ReadonlyArray<unknown>,
  layer: LayerName,
): { synthesized: Record<string, string>; stacks: Record<string, StackJson> } {
  const app = Testing.app();
  const platform = new Platform(app, { config: validateConfig({ environments }) });
  app.node
    .findAll()
    .filter(TerraformStack.isStack)
    .forEach((stack) => stack.prepareStack());
  const synthesized = Object.fromEntries(
    platform.environments.map((env) => [env.environment.name, Testing.synth(env[layer]!)]),
  );
  const stacks = Object.fromEntries(
    Object.entries(synthesized).map(([name, json]) => [name, JSON.parse(json) as StackJson]),
  );
  return { synthesized, stacks };
}

export interface SynthesizedNetwork {
  readonly json: string;
  readonly resources: Resources;
}

export function synthNetwork(environment: Record<string, unknown>): SynthesizedNetwork {
  const app = Testing.app();
  const platform = new Platform(app, { config: validateConfig({ environments: [environment] }) });
  const json = Testing.synth(platform.environments[0].network!);
  return { json, resources: (JSON.parse(json) as { resource: Resources }).resource };
}

/** An app synthesized once for a test file, as Terraform sees it (set in `beforeAll`, read in the tests). */
export interface SynthesizedApp {
  readonly manifest: StackJson;
  readonly stacks: Map<string, StackJson>;
  /** A stack's JSON; fails the test naming a stack that was not synthesized. */
  readonly stack: (name: string) => StackJson;
}

/** Synthesizes the app `build` fills (`app.synth()`) in a `beforeAll` of the calling file. */
export function synthesizeAppOnce(build: (app: App) => void): SynthesizedApp {
  let read: { manifest: StackJson; stacks: Map<string, StackJson> } | undefined;
  beforeAll(() => {
    const app = Testing.app();
    build(app);
    app.synth();
    read = readSynthesizedApp(app.outdir);
  }, 120_000);
  const synthesized = () => {
    if (!read) throw new Error("the app is synthesized in beforeAll: read it inside a test");
    return read;
  };
  return {
    get manifest() {
      return synthesized().manifest;
    },
    get stacks() {
      return synthesized().stacks;
    },
    stack: (name) => {
      const json = synthesized().stacks.get(name);
      if (!json) throw new Error(`stack ${name} was not synthesized`);
      return json;
    },
  };
}
