import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { TerraformOutput, TerraformStack, type App } from "cdktf";
import { synthesizeAtomically, type SynthStep } from "../../modules/synth";

/**
 * Shared by the outdir tests (synth-output, synth-recovery): tiny builds (one output per stack) marked `old` or
 * `new`, a previous output with Terraform's working files, and checks that an outdir holds one whole output.
 */

export const STEPS: SynthStep[] = [
  "synthesized",
  "locked",
  "carried-over",
  "old-moved-aside",
  "new-moved-in",
  "old-moved-to-trash",
];

export function stacks(app: App, marker: string, names: ReadonlyArray<string>): void {
  for (const name of names) new TerraformOutput(new TerraformStack(app, name), "marker", { value: marker });
}
export const oldBuild = (app: App) => stacks(app, "old", ["kept", "dropped"]);
export const newBuild = (app: App) => stacks(app, "new", ["kept", "added"]);

/** A temporary directory deleted after the test file; returns a factory of fresh outdirs, each alone in its parent. */
export function outdirs(prefix: string): () => string {
  const work = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  let counter = 0;
  return () => {
    const parent = join(work, `case-${++counter}`);
    mkdirSync(parent);
    return join(parent, "cdktf.out");
  };
}

/** A previous output with what Terraform leaves in a stack's directory, and a stale file that is not Terraform's. */
export function previousOutput(outdir: string): void {
  synthesizeAtomically(oldBuild, outdir);
  const kept = join(outdir, "stacks", "kept");
  mkdirSync(join(kept, ".terraform", "providers"), { recursive: true });
  writeFileSync(join(kept, ".terraform", "providers", "aws"), "provider binary");
  writeFileSync(join(kept, ".terraform.lock.hcl"), "lock file");
  writeFileSync(join(kept, "terraform.tfstate"), JSON.stringify({ resources: [{ type: "aws_vpc" }] }));
  writeFileSync(join(kept, "cdk.tf"), "stale HCL from an earlier synth --hcl");
}

export function expectWorkingFilesKept(outdir: string): void {
  const kept = join(outdir, "stacks", "kept");
  expect(readFileSync(join(kept, ".terraform", "providers", "aws"), "utf8")).toBe("provider binary");
  expect(readFileSync(join(kept, ".terraform.lock.hcl"), "utf8")).toBe("lock file");
  expect(JSON.parse(readFileSync(join(kept, "terraform.tfstate"), "utf8")).resources).toHaveLength(1);
}

/** Which whole output `outdir` holds; fails on any mix (stacks of both, a stack missing, stray files). */
export function generation(outdir: string): "old" | "new" {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, unknown>;
  };
  const names = Object.keys(manifest.stacks).sort();
  expect(readdirSync(outdir).sort()).toEqual(["manifest.json", "stacks"]);
  expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(names);
  const markers = new Set(
    names.map(
      (name) =>
        JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")).output.marker.value as string,
    ),
  );
  expect(markers.size).toBe(1);
  const [marker] = [...markers];
  expect(names).toEqual(marker === "old" ? ["dropped", "kept"] : ["added", "kept"]);
  if (marker === "new") expect(existsSync(join(outdir, "stacks", "kept", "cdk.tf"))).toBe(false);
  return marker as "old" | "new";
}

/** The state as a crash leaves it: a whole outdir, or (between the two renames) none and a whole `.old-*`. */
export function crashState(outdir: string): string {
  if (existsSync(outdir)) return generation(outdir);
  const asides = siblings(outdir).filter((name) => name.includes(".old-"));
  expect(asides).toHaveLength(1);
  return `absent, ${generation(join(dirname(outdir), asides[0]))} aside`;
}

export const siblings = (outdir: string) =>
  readdirSync(dirname(outdir)).filter((name) => name.startsWith(`${basename(outdir)}.`));

/** What `action` writes to stderr (captured before the spy is restored, which clears its calls). */
export function stderrOf(action: () => void): unknown[] {
  const write = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    action();
    return write.mock.calls.map(([text]) => text);
  } finally {
    write.mockRestore();
  }
}

/** A pid that is certainly not running (a process that has exited). */
export const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;
