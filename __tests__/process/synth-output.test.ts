import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { TerraformStack, type App } from "cdktf";
import { synthesizeAtomically, type SynthStep } from "../../modules/synth";
import { forgetWithoutDestroying } from "../../modules/terraform-blocks";
import {
  crashState,
  deadPid,
  expectWorkingFilesKept,
  generation,
  newBuild,
  outdirs,
  previousOutput,
  siblings,
  stderrOf,
  STEPS,
} from "../helpers/synth-output";

/**
 * The outdir is replaced, never merged: after any interruption it holds the whole old output or the whole new
 * one, the next run cleans up, concurrent synths serialize, and Terraform's working files of remaining stacks
 * survive. Builds are tiny (one output per stack) so every case runs in milliseconds, child processes in ~1 s.
 */

const root = join(__dirname, "..", "..");
const freshOutdir = outdirs("synth-output-");

describe("replace, never merge", () => {
  it("drops stacks no longer synthesized, keeps Terraform's working files of the others, leaves nothing beside", () => {
    const outdir = freshOutdir();
    previousOutput(outdir);
    synthesizeAtomically(newBuild, outdir);
    expect(generation(outdir)).toBe("new");
    expectWorkingFilesKept(outdir);
    expect(siblings(outdir)).toEqual([]);
  });

  it("refuses to delete a dropped stack's local state, even one recording no resources, and changes nothing", () => {
    const outdir = freshOutdir();
    previousOutput(outdir);
    const dropped = join(outdir, "stacks", "dropped", "terraform.tfstate");
    writeFileSync(dropped, JSON.stringify({ resources: [{ type: "aws_eks_cluster" }] }));
    expect(() => synthesizeAtomically(newBuild, outdir)).toThrow(
      /holds state that replacing it would delete: stacks\/dropped\/terraform\.tfstate \(stack dropped is no longer synthesized\)/,
    );
    expect(generation(outdir)).toBe("old");
    expect(siblings(outdir)).toEqual([]);
    writeFileSync(dropped, JSON.stringify({ resources: [] })); // destroyed: still a state file, still kept
    expect(() => synthesizeAtomically(newBuild, outdir)).toThrow(/stacks\/dropped\/terraform\.tfstate/);
    renameSync(dropped, join(dirname(outdir), "dropped.tfstate")); // moved out, as the message says
    synthesizeAtomically(newBuild, outdir);
    expect(generation(outdir)).toBe("new");
    expect(existsSync(join(dirname(outdir), "dropped.tfstate"))).toBe(true);
  });

  it("under the cdktf CLI, a dropped stack's directory is left empty: the CLI deletes it itself and fails if it is gone", () => {
    const outdir = freshOutdir();
    previousOutput(outdir);
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true"; // what `cdktf synth` sets for the app it runs
    try {
      synthesizeAtomically(newBuild, outdir);
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
    expect(Object.keys(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks).sort()).toEqual([
      "added",
      "kept",
    ]);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["added", "dropped", "kept"]);
    expect(readdirSync(join(outdir, "stacks", "dropped"))).toEqual([]);
    expectWorkingFilesKept(outdir);
  });

  it("refuses to replace a directory that is no cdktf output", () => {
    const outdir = freshOutdir();
    mkdirSync(outdir);
    writeFileSync(join(outdir, "notes.txt"), "mine");
    expect(() => synthesizeAtomically(newBuild, outdir)).toThrow(
      `${outdir} is not a cdktf output (no manifest.json) but holds notes.txt`,
    );
    expect(readdirSync(outdir)).toEqual(["notes.txt"]);
    expect(siblings(outdir)).toEqual([]);
  });

  it("cdktf synth --hcl writes removed.tf into the new output; a JSON synth after it drops the HCL files", () => {
    const outdir = freshOutdir();
    const build = (app: App) =>
      forgetWithoutDestroying(new TerraformStack(app, "migrating"), "helm_release.metrics_server");
    process.env.SYNTH_HCL_OUTPUT = "true";
    try {
      synthesizeAtomically(build, outdir);
    } finally {
      delete process.env.SYNTH_HCL_OUTPUT;
    }
    const stackDir = join(outdir, "stacks", "migrating");
    expect(readdirSync(stackDir).sort()).toEqual(["cdk.tf", "metadata.json", "removed.tf"]);
    mkdirSync(join(stackDir, ".terraform"));
    synthesizeAtomically(build, outdir);
    expect(readdirSync(stackDir).sort()).toEqual([".terraform", "cdk.tf.json"]); // metadata.json is written in HCL mode only
  });
});

describe("a failure at each step leaves the whole old or the whole new output", () => {
  it.each(STEPS)("failing after %s", (failAt) => {
    const outdir = freshOutdir();
    previousOutput(outdir);
    let atThatInstant = "";
    const onStep = (step: SynthStep) => {
      if (step !== failAt) return;
      atThatInstant = crashState(outdir);
      throw new Error(`interrupted after ${step}`);
    };
    expect(() => synthesizeAtomically(newBuild, outdir, { onStep })).toThrow(`interrupted after ${failAt}`);
    const newInPlace = failAt === "new-moved-in" || failAt === "old-moved-to-trash";
    expect(atThatInstant).toBe(failAt === "old-moved-aside" ? "absent, old aside" : newInPlace ? "new" : "old");
    expect(generation(outdir)).toBe(newInPlace ? "new" : "old");
    expect(siblings(outdir)).toEqual([]);
    synthesizeAtomically(newBuild, outdir);
    expect(generation(outdir)).toBe("new");
    expectWorkingFilesKept(outdir);
  });
});

const run = promisify(execFile);

/** Runs synthesizeAtomically in a child process, from the dist/ the process tests share (like app.test.ts runs main.ts). */
async function synthInChild(options: {
  outdir: string;
  marker: string;
  names: string[];
  killAt?: SynthStep;
  holdAt?: SynthStep;
  signal?: string;
  waitFor?: string;
}) {
  const script = `
    const { existsSync, writeFileSync } = require("node:fs");
    const { TerraformOutput, TerraformStack } = require("cdktf");
    const { synthesizeAtomically } = require("./dist/modules/synth");
    const o = JSON.parse(process.argv[1]);
    const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    while (o.waitFor && !existsSync(o.waitFor)) pause(20);
    synthesizeAtomically((app) => {
      for (const name of o.names) new TerraformOutput(new TerraformStack(app, name), "marker", { value: o.marker });
    }, o.outdir, { onStep: (step) => {
      if (step === o.killAt) { process.kill(process.pid, "SIGKILL"); pause(60000); }
      if (step === o.holdAt) { writeFileSync(o.signal, String(process.pid)); pause(1500); }
    } });`;
  try {
    const { stderr } = await run(process.execPath, ["-e", script, JSON.stringify(options)], {
      cwd: root,
      timeout: 60_000,
    });
    return { code: 0, signal: null, stderr };
  } catch (error) {
    const failed = error as { code?: number; signal?: string; stderr?: string };
    return { code: failed.code, signal: failed.signal ?? null, stderr: failed.stderr ?? "" };
  }
}

// The child processes start as this file loads and run while the tests before theirs (and, in a group, the other
// files') run: most of their time is waiting (a held lock, a kill), which would leave a core idle.
const killed = STEPS.filter((step) => step !== "synthesized");
const killedRuns = Promise.all(
  killed.map(async (killAt) => {
    const outdir = freshOutdir();
    previousOutput(outdir);
    const child = await synthInChild({ outdir, marker: "new", names: ["kept", "added"], killAt });
    return [killAt, { outdir, state: crashState(outdir), signal: child.signal }] as const;
  }),
);
const lockedOutdir = freshOutdir();
previousOutput(lockedOutdir);
const lockSignal = join(dirname(lockedOutdir), "first-holds-the-lock");
const lockedRuns = Promise.all([
  synthInChild({
    outdir: lockedOutdir,
    marker: "old",
    names: ["kept", "dropped"],
    holdAt: "locked",
    signal: lockSignal,
  }),
  synthInChild({ outdir: lockedOutdir, marker: "new", names: ["kept", "added"], waitFor: lockSignal }),
]);

describe("killed at each step (SIGKILL: no cleanup runs), the next run recovers at once", () => {
  const results = new Map<SynthStep, { outdir: string; state: string; signal: string | null }>();

  beforeAll(async () => {
    for (const [killAt, result] of await killedRuns) results.set(killAt, result);
  }, 120_000);

  it.each(killed)("killed after %s", (killAt) => {
    const { outdir, state, signal } = results.get(killAt)!;
    expect(signal).toBe("SIGKILL");
    expect(state).toBe(
      killAt === "old-moved-aside"
        ? "absent, old aside"
        : killAt === "new-moved-in" || killAt === "old-moved-to-trash"
          ? "new"
          : "old",
    );
    expect(siblings(outdir)).toContain("cdktf.out.lock");
    const started = Date.now();
    synthesizeAtomically(newBuild, outdir, { lockTimeoutMs: 30_000 });
    expect(Date.now() - started).toBeLessThan(5_000); // the dead owner's lock is reclaimed, not waited out
    expect(generation(outdir)).toBe("new");
    expectWorkingFilesKept(outdir);
    expect(siblings(outdir)).toEqual([]);
  });
});

describe("locking", () => {
  it("two processes synthesizing into one outdir: the second waits (one line naming the first), both succeed, the last output is whole", async () => {
    const [first, second] = await lockedRuns;
    expect(first).toEqual({ code: 0, signal: null, stderr: "" });
    expect(second.code).toBe(0);
    expect(second.stderr).toBe(
      `waiting for pid ${readFileSync(lockSignal, "utf8")}, which is writing ${lockedOutdir} ...\n`,
    );
    expect(generation(lockedOutdir)).toBe("new");
    expectWorkingFilesKept(lockedOutdir);
    expect(siblings(lockedOutdir)).toEqual([]);
  }, 60_000);

  it("a lock whose process is gone is taken over without waiting or a message", () => {
    const outdir = freshOutdir();
    previousOutput(outdir);
    writeFileSync(`${outdir}.lock`, `${deadPid()} ${hostname()}\n`);
    const written = stderrOf(() => synthesizeAtomically(newBuild, outdir, { lockTimeoutMs: 30_000 }));
    expect(written).toEqual([]);
    expect(generation(outdir)).toBe("new");
    expect(siblings(outdir)).toEqual([]);
  });

  it("a lock held by a live process: one waiting line, then an error naming its pid; the outdir is untouched", () => {
    const outdir = freshOutdir();
    previousOutput(outdir);
    writeFileSync(`${outdir}.lock`, `${process.ppid} ${hostname()}\n`);
    const written = stderrOf(() =>
      expect(() => synthesizeAtomically(newBuild, outdir, { lockTimeoutMs: 300 })).toThrow(
        `${outdir} is locked by pid ${process.ppid}`,
      ),
    );
    expect(written).toEqual([`waiting for pid ${process.ppid}, which is writing ${outdir} ...\n`]);
    expect(generation(outdir)).toBe("old");
    expect(siblings(outdir)).toEqual(["cdktf.out.lock"]);
  });
});

describe("leftovers of earlier runs", () => {
  it("removes staging, old and trash directories of dead processes, keeps a live process's staging", () => {
    const outdir = freshOutdir();
    previousOutput(outdir);
    const dead = deadPid();
    for (const kind of ["staging", "old", "trash"])
      mkdirSync(join(`${outdir}.${kind}-${dead}`, "stacks"), { recursive: true });
    mkdirSync(`${outdir}.staging-${process.ppid}`);
    synthesizeAtomically(newBuild, outdir);
    expect(generation(outdir)).toBe("new");
    expect(siblings(outdir)).toEqual([`cdktf.out.staging-${process.ppid}`]);
  });

  it("an outdir moved aside by a killed run is restored even by a run whose synth fails", () => {
    const outdir = freshOutdir();
    previousOutput(outdir);
    renameSync(outdir, `${outdir}.old-${deadPid()}`);
    const failing = (app: App) =>
      void new TerraformStack(app, "broken").node.addValidation({ validate: () => ["broken on purpose"] });
    expect(() => synthesizeAtomically(failing, outdir)).toThrow(/broken on purpose/);
    expect(generation(outdir)).toBe("old");
    expect(siblings(outdir)).toEqual([]);
  });
});
