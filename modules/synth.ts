import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { App } from "cdktf";
import {
  carryOverWorkingFiles,
  droppedStacks,
  pathExists,
  refuseStateThatWouldBeDeleted,
  removeTree,
  stackDirectories,
} from "./synth-files";
import { isAlive, withLock } from "./synth-lock";

export { isAlive } from "./synth-lock";

/**
 * Replaces the output directory as a whole, never merging into it: cdktf writes stacks one by one, so a
 * failure in the third stack, or a kill, must not leave a half-written `cdktf.out`; and stacks an earlier
 * config (or a layer switched off) produced must not linger beside the new ones, where `cdktf deploy` and
 * `npm run validate` would pick them up.
 *
 * Protocol, with `O` the outdir (siblings of O, so every rename stays on one filesystem):
 *   1. synthesize into `O.staging-<pid>` (no lock: concurrent synths build side by side);
 *   2. take `O.lock` (modules/synth-lock.ts: a dead owner's lock is taken over) and recover (below);
 *   3. copy Terraform's working files of stacks that remain from O into the staging dir (hard links);
 *   4. rename O to `O.old-<pid>`, 5. rename the staging dir to O, 6. rename `O.old-<pid>` to `O.trash-<pid>`
 *      and delete it; release the lock.
 * O is the complete old output until 4 and the complete new one from 5. Between 4 and 5 it is absent and
 * `O.old-<pid>` is the whole old output: recovery (at the start of every run that finds leftovers, at step 2,
 * and when a step fails) renames it back. Any other `O.old-*`, `O.trash-*` and the staging dirs of dead
 * processes are deleted. Old output is renamed to trash before deletion, so a half-deleted directory is never
 * taken for a whole one.
 *
 * Deleting is never what fails a run: a read-only directory is made writable first; what still cannot be
 * deleted (another owner's files) stays beside O with one line saying so, and the next run tries again. A
 * failure once the lock is taken is a `SynthOutputError`, which says whether O holds the new output or still
 * the previous one (`describeSynthFailure`).
 */

/** The points between steps; a test makes each one fail (or kills the process there). */
export type SynthStep =
  "synthesized" | "locked" | "carried-over" | "old-moved-aside" | "new-moved-in" | "old-moved-to-trash";

/** @internal Test seams only (failure injection, a short lock wait), never configuration. */
export interface SynthTestHooks {
  /** Called after each step; a throw there is an interruption at that point. */
  readonly onStep?: (step: SynthStep) => void;
  /**
   * How long to wait for a live process of this host holding the outdir's lock before giving up, and how old
   * another host's lock must be to be taken over (default 120 s).
   */
  readonly lockTimeoutMs?: number;
}

/** A run that failed after taking the outdir's lock: what the outdir holds now. */
export class SynthOutputError extends Error {
  constructor(
    cause: unknown,
    readonly outdir: string,
    /** The new output is in place (the failure came after step 5). */
    readonly outputReplaced: boolean,
    previous: boolean,
  ) {
    const holds = outputReplaced
      ? "holds the new output"
      : previous
        ? "still holds the previous output"
        : "was not written";
    super(`${cause instanceof Error ? cause.message : String(cause)}; ${outdir} ${holds}`, { cause });
    this.name = "SynthOutputError";
  }
}

/** What the app prints for a failed synth that is not a config error: never "Nothing was synthesized" when it was. */
export function describeSynthFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SynthOutputError && error.outputReplaced)
    return `synth failed: ${message}\nThe new output is complete; the next synth cleans up what this one left.\n`;
  return `synth failed: ${message}\nNothing was synthesized.\n`;
}

export function synthesizeAtomically(
  build: (app: App) => void,
  outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out",
  hooks: SynthTestHooks = {},
): void {
  const out = outdirNames(outdir);
  const step = hooks.onStep ?? (() => undefined);
  const timeout = hooks.lockTimeoutMs ?? 120_000;
  const run: Run = { failed: new Set(), previous: false, replaced: false };
  mkdirSync(out.parent, { recursive: true }); // CDKTF_OUTDIR=build/out with no build/ yet
  if (leftovers(out).length > 0) withLock(out.lock, out.target, timeout, () => recover(out, run));
  const staging = out.sibling("staging", process.pid);
  const stale = removeTree(staging); // a previous process with our pid (a restarted container)
  if (stale) throw stale;
  try {
    const app = new App({ outdir: staging });
    build(app);
    app.synth();
    step("synthesized");
    try {
      withLock(out.lock, out.target, timeout, () => {
        step("locked");
        recover(out, run);
        commit(out, staging, step, run);
      });
    } catch (error) {
      throw new SynthOutputError(error, out.target, run.replaced, run.previous || pathExists(out.target));
    }
  } finally {
    removeTree(staging); // what is left of it is deleted as a dead process's staging dir
  }
}

/** One run's state: leftovers it could not delete (named once), and whether the new output is in place. */
interface Run {
  readonly failed: Set<string>;
  previous: boolean;
  replaced: boolean;
}

type OutdirNames = ReturnType<typeof outdirNames>;

function outdirNames(outdir: string) {
  const target = outdir.replace(/(.)[\\/]+$/, "$1");
  const sibling = (kind: "staging" | "old" | "trash", pid: number) => `${target}.${kind}-${pid}`;
  /** `O.trash-<pid>`, or `O.trash-<pid>-<n>` while an undeletable one of that name is still there. */
  const freshTrash = () => {
    let trash = sibling("trash", process.pid);
    for (let n = 1; pathExists(trash); n++) trash = `${sibling("trash", process.pid)}-${n}`;
    return trash;
  };
  return { target, parent: dirname(target), base: basename(target), lock: `${target}.lock`, sibling, freshTrash };
}

/** Siblings an earlier run left: `O.staging-<pid>`, `O.old-<pid>`, `O.trash-<pid>[-<n>]`, `O.lock.stale-<pid>`. */
function leftovers(out: OutdirNames): Array<{ kind: string; path: string }> {
  const found: Array<{ kind: string; path: string }> = [];
  for (const name of existsSync(out.parent) ? readdirSync(out.parent) : []) {
    const match = name.startsWith(`${out.base}.`)
      ? /^(staging|old|trash|lock\.stale)-(\d+)(-\d+)?$/.exec(name.slice(out.base.length + 1))
      : null;
    if (!match || (match[3] !== undefined && match[1] !== "trash")) continue;
    const pid = Number(match[2]);
    // A staging dir of a live process is a synth still running (it takes the lock only to commit).
    if ((match[1] === "staging" || match[1] === "lock.stale") && (pid === process.pid || isAlive(pid))) continue;
    found.push({ kind: match[1], path: join(out.parent, name) });
  }
  return found;
}

/** Deletes a leftover; what cannot be deleted is named in one line (once per run) and left for the next run. */
function discard(path: string, run: Run, what: string): void {
  if (run.failed.has(path)) return;
  const problem = removeTree(path);
  if (!problem) return;
  run.failed.add(path);
  process.stderr.write(`${what}, could not be deleted (${problem.message}): the next synth tries again\n`);
}

/** Puts the outdir back in one piece after an interruption; runs under the lock. */
function recover(out: OutdirNames, run: Run): void {
  const found = leftovers(out);
  const asides = found.filter((leftover) => leftover.kind === "old");
  let restored: string | undefined;
  if (!pathExists(out.target) && asides.length > 0) {
    // Interrupted between moving the old output aside and moving the new one in: the old one is whole.
    restored = asides
      .map((aside) => ({ path: aside.path, at: lstatSync(aside.path).ctimeMs }))
      .sort((a, b) => b.at - a.at)[0].path;
    renameSync(restored, out.target);
  }
  for (const leftover of found) {
    if (leftover.path === restored || run.failed.has(leftover.path)) continue;
    const what = `${leftover.path}, left by an earlier synth`;
    if (leftover.kind === "old") {
      const trash = out.freshTrash();
      renameSync(leftover.path, trash);
      discard(trash, run, `${what} (now ${trash})`);
    } else if (leftover.kind === "lock.stale") rmSync(leftover.path, { force: true });
    else discard(leftover.path, run, what);
  }
}

function commit(out: OutdirNames, staging: string, step: (step: SynthStep) => void, run: Run): void {
  run.previous = pathExists(out.target);
  if (run.previous) {
    // Replacing deletes what is there: refuse a directory that is no cdktf output (CDKTF_OUTDIR=. or a typo).
    const entries = readdirSync(out.target);
    const foreign = entries.filter((entry) => entry !== "manifest.json" && entry !== "stacks");
    if (foreign.length > 0 && !entries.includes("manifest.json")) {
      throw new Error(
        `${out.target} is not a cdktf output (no manifest.json) but holds ${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", ..." : ""}: synth replaces the outdir as a whole, so choose an empty or new CDKTF_OUTDIR`,
      );
    }
    const remaining = stackDirectories(staging);
    refuseStateThatWouldBeDeleted(out.target, remaining);
    const dropped = droppedStacks(out.target, remaining);
    // The cdktf CLI deletes the directories of dropped stacks itself once the app exits, and fails (ENOENT) if
    // one is gone already: under the CLI (which sets this variable for the app), leave an empty one to delete.
    if (process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined)
      for (const name of dropped) mkdirSync(join(staging, "stacks", name), { recursive: true });
    for (const directory of remaining) carryOverWorkingFiles(join(out.target, directory), join(staging, directory));
  }
  step("carried-over");
  const aside = out.sibling("old", process.pid);
  let trash: string | undefined;
  try {
    if (run.previous) {
      renameSync(out.target, aside);
      step("old-moved-aside");
    }
    renameSync(staging, out.target);
    run.replaced = true;
    step("new-moved-in");
    if (run.previous) {
      trash = out.freshTrash();
      renameSync(aside, trash);
      step("old-moved-to-trash");
    }
  } catch (error) {
    try {
      recover(out, run); // what the next run would do, done now: the old output back unless the new one is in place
    } catch {
      // the next run retries; the original error says what went wrong
    }
    throw error;
  }
  if (trash) discard(trash, run, `${out.target} holds the new output; the previous one, moved to ${trash}`);
}
