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
