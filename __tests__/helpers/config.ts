import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { formatIssue, PlatformConfigError, type ConfigIssue } from "../../modules/errors";
import { deepMerge, isPlainObject } from "../../modules/merge";

/** Shared test data and helpers for the config, app, backend and engine tests: plain data, no cdktf. */
/**
 * A minimal valid environment with `overrides` deep-merged over it (an `undefined` override removes the key);
 * every call returns a fresh copy the test may mutate.
 */
export function minimalEnvironment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return withoutUndefined(deepMerge(base(), overrides));
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, isPlainObject(v) ? withoutUndefined(v) : v]),
  );
}

function base(): Record<string, unknown> {
  return {
    name: "dev",
    account: "111111111111",
    region: "eu-west-1",
    vpc: {
      id: "vpc-0a1b2c3d4e5f60718",
      privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
      publicSubnetIds: [],
    },
    dns: { domain: "dev.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" },
    cluster: { access: { terraformRoleArn: "arn:aws:iam::111111111111:role/platform-terraform" } },
  };
}

/** The issues a config function reports; fails the test when it does not throw a `PlatformConfigError`. */
export function issuesOf(run: () => unknown): ReadonlyArray<ConfigIssue> {
  try {
    run();
  } catch (error) {
    if (error instanceof PlatformConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a PlatformConfigError, but the config was accepted");
}

/** What reading a config refused with: its one issue, the issue's one-line form and the error's source. */
export interface Refusal {
  readonly issue: ConfigIssue;
  readonly line: string;
  readonly source?: string;
}

/**
 * The one issue `run` fails with, without running away: the bound catches an unbounded parse (minutes, or the
 * process dying out of memory), not a slow machine; speed is the benchmark's business.
 */
export function refusal(run: () => unknown): Refusal {
  const started = performance.now();
  try {
    run();
  } catch (error) {
    expect(performance.now() - started).toBeLessThan(10_000);
    if (!(error instanceof PlatformConfigError)) throw error;
    expect(error.issues).toHaveLength(1);
    const line = formatIssue(error.issues[0]);
    expect(line).not.toContain("\n");
    return { issue: error.issues[0], line, source: error.source };
  }
  throw new Error("expected a PlatformConfigError");
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, read loosely by tests
export type StackJson = Record<string, any>;

/** An app's synthesized output as Terraform sees it: the manifest, and every stack's JSON by stack name. */
export function readSynthesizedApp(outdir: string): {
  manifest: Record<string, any>;
  stacks: Map<string, Record<string, any>>;
} {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  const stacks = new Map<string, Record<string, any>>();
  for (const [name, entry] of Object.entries<{ synthesizedStackPath: string }>(manifest.stacks))
    stacks.set(name, JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), "utf8")));
  return { manifest, stacks };
}
