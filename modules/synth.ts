import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";

/**
 * Synthesizes into a staging directory and moves the result into place only when every stack succeeded:
 * cdktf writes stacks one by one, so a failure in the third stack would otherwise leave a half-written
 * `cdktf.out`. Moving file by file keeps what Terraform keeps beside them (`.terraform/`, lock files).
 */
export function synthesizeAtomically(build: (app: App) => void, outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out"): void {
  const staging = `${outdir.replace(/[\\/]+$/, "")}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const app = new App({ outdir: staging });
    build(app);
    app.synth();
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  mergeInto(staging, outdir, "manifest.json");
  rmSync(staging, { recursive: true, force: true });
}

/** Moves every file of `from` into `to`, replacing what is there; `last` moves last (the manifest). */
function mergeInto(from: string, to: string, last?: string): void {
  mkdirSync(to, { recursive: true });
  const entries = readdirSync(from).sort((a, b) => Number(a === last) - Number(b === last));
  if (entries.includes("cdk.tf.json") || entries.includes("cdk.tf")) removeStaleConfiguration(to, entries);
  for (const entry of entries) {
    const source = join(from, entry);
    const target = join(to, entry);
    if (statSync(source).isDirectory() && existsSync(target) && statSync(target).isDirectory()) mergeInto(source, target);
    else {
      rmSync(target, { recursive: true, force: true });
      renameSync(source, target);
    }
  }
}

const TERRAFORM_CONFIGURATION = /\.tf(\.json)?$/;

/**
 * In a stack's directory, Terraform reads every `*.tf` and `*.tf.json`: a `cdk.tf` left by an earlier
 * `cdktf synth --hcl` beside a new `cdk.tf.json` (or the other way round) would declare everything twice.
 * Configuration files this synth did not write go; `.terraform/`, the lock file and local state stay.
 */
function removeStaleConfiguration(directory: string, synthesized: ReadonlyArray<string>): void {
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (TERRAFORM_CONFIGURATION.test(entry) && !synthesized.includes(entry) && statSync(path).isFile()) rmSync(path);
  }
}
