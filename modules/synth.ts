import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, normalize } from "node:path";
import { App } from "cdktf";

/**
 * Replaces the output directory as a whole, never merging into it: cdktf writes stacks one by one, so a
 * failure in the third stack, or a kill, must not leave a half-written `cdktf.out`; and stacks an earlier
 * config (or a layer switched off) produced must not linger beside the new ones, where `cdktf deploy` and
 * `npm run validate` would pick them up.
 *
 * Protocol, with `O` the outdir (siblings of O, so every rename stays on one filesystem):
 *   1. synthesize into `O.staging-<pid>` (no lock: concurrent synths build side by side);
 *   2. take `O.lock` (the owner's pid; a dead owner's lock is reclaimed at once) and recover (below);
 *   3. copy Terraform's working files of stacks that remain from O into the staging dir (hard links);
 *   4. rename O to `O.old-<pid>`, 5. rename the staging dir to O, 6. rename `O.old-<pid>` to `O.trash-<pid>`
 *      and delete it; release the lock.
 * O is the complete old output until 4 and the complete new one from 5. Between 4 and 5 it is absent and
 * `O.old-<pid>` is the whole old output: recovery (at the start of every run that finds leftovers, at step 2,
 * and when a step fails) renames it back. Any other `O.old-*`, `O.trash-*` and the staging dirs of dead
 * processes are deleted. Old output is renamed to trash before deletion, so a half-deleted directory is never
 * taken for a whole one.
 */

/** The points between steps; a test makes each one fail (or kills the process there). */
export type SynthStep =
  "synthesized" | "locked" | "carried-over" | "old-moved-aside" | "new-moved-in" | "old-moved-to-trash";

/** @internal Test seams only (failure injection, a short lock wait), never configuration. */
export interface SynthTestHooks {
  /** Called after each step; a throw there is an interruption at that point. */
  readonly onStep?: (step: SynthStep) => void;
  /** How long to wait for a live process holding the outdir's lock before giving up (default 120 s). */
  readonly lockTimeoutMs?: number;
}

export function synthesizeAtomically(
  build: (app: App) => void,
  outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out",
  hooks: SynthTestHooks = {},
): void {
  const out = outdirNames(outdir);
  const step = hooks.onStep ?? (() => undefined);
  mkdirSync(out.parent, { recursive: true }); // CDKTF_OUTDIR=build/out with no build/ yet
  if (leftovers(out).length > 0) withLock(out, hooks, () => recover(out));
  const staging = out.sibling("staging", process.pid);
  rmSync(staging, { recursive: true, force: true }); // a previous process with our pid (a restarted container)
  try {
    const app = new App({ outdir: staging });
    build(app);
    app.synth();
    step("synthesized");
    withLock(out, hooks, () => {
      step("locked");
      recover(out);
      commit(out, staging, step);
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

type OutdirNames = ReturnType<typeof outdirNames>;

function outdirNames(outdir: string) {
  const target = outdir.replace(/(.)[\\/]+$/, "$1");
  const sibling = (kind: "staging" | "old" | "trash", pid: number) => `${target}.${kind}-${pid}`;
  return { target, parent: dirname(target), base: basename(target), lock: `${target}.lock`, sibling };
}

/** Siblings an earlier run left: `O.staging-<pid>`, `O.old-<pid>`, `O.trash-<pid>`, `O.lock.stale-<pid>`. */
function leftovers(out: OutdirNames): Array<{ kind: string; path: string }> {
  const found: Array<{ kind: string; path: string }> = [];
  for (const name of existsSync(out.parent) ? readdirSync(out.parent) : []) {
    const match = name.startsWith(`${out.base}.`)
      ? /^(staging|old|trash|lock\.stale)-(\d+)$/.exec(name.slice(out.base.length + 1))
      : null;
    if (!match) continue;
    const pid = Number(match[2]);
    // A staging dir of a live process is a synth still running (it takes the lock only to commit).
    if ((match[1] === "staging" || match[1] === "lock.stale") && (pid === process.pid || isAlive(pid))) continue;
    found.push({ kind: match[1], path: join(out.parent, name) });
  }
  return found;
}

/** Puts the outdir back in one piece after an interruption; runs under the lock. */
function recover(out: OutdirNames): void {
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
  const trash = out.sibling("trash", process.pid);
  for (const leftover of found) {
    if (leftover.path === restored) continue;
    if (leftover.kind === "old") {
      rmSync(trash, { recursive: true, force: true });
      renameSync(leftover.path, trash);
      rmSync(trash, { recursive: true, force: true });
    } else rmSync(leftover.path, { recursive: true, force: true });
  }
}

function commit(out: OutdirNames, staging: string, step: (step: SynthStep) => void): void {
  const previous = pathExists(out.target);
  if (previous) {
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
  try {
    if (previous) {
      renameSync(out.target, aside);
      step("old-moved-aside");
    }
    renameSync(staging, out.target);
    step("new-moved-in");
    if (previous) {
      const trash = out.sibling("trash", process.pid);
      renameSync(aside, trash);
      step("old-moved-to-trash");
      rmSync(trash, { recursive: true, force: true });
    }
  } catch (error) {
    try {
      recover(out); // what the next run would do, done now: the old output back unless the new one is in place
    } catch {
      // the next run retries; the original error says what went wrong
    }
    throw error;
  }
}

/** Working directories (`stacks/<name>`) of the stacks just synthesized, from cdktf's manifest. */
function stackDirectories(outdir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks?: Record<string, { workingDirectory?: string }>;
  };
  return Object.values(manifest.stacks ?? {}).flatMap((stack) =>
    stack.workingDirectory ? [normalize(stack.workingDirectory)] : [],
  );
}

/**
 * Terraform's own files in a stack's directory, which a new synth must not lose: `.terraform/` (providers,
 * modules, backend settings), the dependency lock file, and local state (`*.tfstate`, `.backup`, the lock
 * info, `terraform.tfstate.d/` workspaces). Everything else there was synthesized and is replaced.
 */
const TERRAFORM_WORKING_FILE = /^\.terraform$|^\.terraform\.lock\.hcl$|\.tfstate/;

function carryOverWorkingFiles(from: string, to: string): void {
  // A stack new in this synth has no directory in the old output.
  for (const name of existsSync(from) ? readdirSync(from) : []) {
    if (TERRAFORM_WORKING_FILE.test(name) && !existsSync(join(to, name))) cloneTree(join(from, name), join(to, name));
  }
}

/** Copies a tree with hard links: instant for provider binaries of hundreds of MB, and the old tree is deleted. */
function cloneTree(from: string, to: string): void {
  const stats = lstatSync(from);
  if (stats.isDirectory()) {
    mkdirSync(to, { mode: stats.mode });
    for (const name of readdirSync(from)) cloneTree(join(from, name), join(to, name));
  } else if (stats.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to); // the plugin cache links providers in; relative links stay valid
  } else {
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to); // a filesystem without hard links
    }
  }
}

/** Stacks of the previous output that are not synthesized any more (their directories go with the old output). */
function droppedStacks(previous: string, remaining: ReadonlyArray<string>): string[] {
  const stacks = join(previous, "stacks");
  return (existsSync(stacks) ? readdirSync(stacks) : []).filter((name) => !remaining.includes(join("stacks", name)));
}

/**
 * No synth ever deletes a state file. The old output is deleted as a whole; what survives is only what
 * `carryOverWorkingFiles` copies: the top-level Terraform files of stacks synthesized again. Any other state in
 * it (`*.tfstate*` anywhere, a `*.tfstate.d` workspace directory, a dropped stack's state, even one recording no
 * resources) would be lost, so the synth refuses, naming each file, before anything is changed. `.terraform/`
 * holds Terraform's backend settings file (`terraform.tfstate`), no state: it is not looked into.
 */
function refuseStateThatWouldBeDeleted(previous: string, remaining: ReadonlyArray<string>): void {
  const lost: string[] = [];
  const visit = (relativeDir: string) => {
    for (const entry of readdirSync(join(previous, relativeDir), { withFileTypes: true })) {
      const relativePath = relativeDir === "" ? entry.name : join(relativeDir, entry.name);
      if (entry.name === ".terraform" || entry.isSymbolicLink()) continue;
      const carried =
        remaining.includes(relativeDir) && TERRAFORM_WORKING_FILE.test(entry.name) && entry.name !== ".terraform";
      if (carried) continue;
      if (entry.isDirectory()) visit(relativePath);
      else if (/\.tfstate/.test(entry.name)) lost.push(relativePath);
    }
  };
  visit("");
  if (lost.length === 0) return;
  const dropped = new Set(droppedStacks(previous, remaining));
  const named = lost.map((file) => {
    const stack = /^stacks[\\/]([^\\/]+)[\\/]/.exec(file)?.[1];
    return stack !== undefined && dropped.has(stack) ? `${file} (stack ${stack} is no longer synthesized)` : file;
  });
  throw new Error(
    `${previous} holds state that replacing it would delete: ${named.join(", ")}. A synth replaces the output directory as a whole and carries over only the top-level state files of the stacks it synthesizes again. Move each file out of ${previous} (for a stack no longer synthesized, after \`terraform destroy\` there if it still manages resources) and point the local backend's path at the new place; ${previous} was left as it was`,
  );
}

/** Unlike existsSync, true for a dangling symlink too: something is at the path, nothing may be renamed onto it. */
const pathExists = (path: string): boolean => lstatSync(path, { throwIfNoEntry: false }) !== undefined;

/** `kill(pid, 0)` checks without signalling; EPERM means it exists under another user. */
export function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false; // 0 and negatives would address process groups
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One commit at a time per outdir. The lock file holds `<pid> <host>`; a lock whose process is gone (or that a
 * previous process with our own pid left) is reclaimed at once. Another host's pid cannot be checked: wait.
 */
function withLock<T>(out: OutdirNames, hooks: SynthTestHooks, action: () => T): T {
  const mine = `${process.pid} ${hostname()}\n`;
  const deadline = Date.now() + (hooks.lockTimeoutMs ?? 120_000);
  let announced = false;
  for (;;) {
    try {
      writeFileSync(out.lock, mine, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let held: string;
    try {
      held = readFileSync(out.lock, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // released meanwhile
      throw error;
    }
    const [pid, host] = held.trim().split(" ");
    const owner = /^\d+$/.test(pid) ? Number(pid) : 0;
    const age = Date.now() - (statSync(out.lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    const unreadable = owner === 0 && age > 10_000; // an empty lock is being written, unless its writer died
    if (unreadable || (owner > 0 && host === hostname() && (owner === process.pid || !isAlive(owner)))) {
      reclaim(out.lock, held);
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${out.target} is locked by pid ${pid}${host === hostname() ? "" : ` on ${host}`} (${out.lock}): if that process is stuck, stop it; if it is not a synth, delete the lock file`,
      );
    }
    if (!announced)
      process.stderr.write(
        `waiting for pid ${pid}${host === hostname() ? "" : ` on ${host}`}, which is writing ${out.target} ...\n`,
      );
    announced = true;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  try {
    return action();
  } finally {
    try {
      if (readFileSync(out.lock, "utf8") === mine) unlinkSync(out.lock);
    } catch {
      // already gone
    }
  }
}

/**
 * Takes a dead owner's lock away by renaming it (atomic: of two reclaimers only one gets it) and checks that
 * what it took is still the dead owner's: a live process may have reclaimed it first; its lock goes back.
 */
function reclaim(lock: string, held: string): void {
  const claimed = `${lock}.stale-${process.pid}`;
  try {
    renameSync(lock, claimed);
  } catch {
    return;
  }
  try {
    if (readFileSync(claimed, "utf8") !== held) linkSync(claimed, lock);
  } catch {
    // a third process took the free lock meanwhile: the lock it holds is the valid one
  }
  rmSync(claimed, { force: true });
}
