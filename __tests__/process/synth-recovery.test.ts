import { chmodSync, lstatSync, readdirSync, utimesSync, writeFileSync, type MakeDirectoryOptions } from "node:fs";
import { dirname, join } from "node:path";
import { describeSynthFailure, synthesizeAtomically } from "../../modules/synth";
import {
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
 * Issue 24 item 2: what is in the way of replacing the outdir is recovered from without a human, and the run
 * reports what really happened. A previous output with read-only directories is replaced (its deletion used to
 * fail after the new output was in place, the run said "Nothing was synthesized", and every later run failed);
 * an old output that cannot be deleted at all is left beside with one line, and retried by the next run; a lock
 * another host left (a restarted CI container) is taken over once it is older than the lock timeout.
 */

const freshOutdir = outdirs("synth-recovery-");

// The module object synth.ts calls through (`require`, not `import *`, which would copy it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require("node:fs") as typeof import("node:fs");

const eacces = (syscall: string, path: string) =>
  Object.assign(new Error(`EACCES: permission denied, ${syscall} '${path}'`), { code: "EACCES", syscall, path });

const writable = (directory: string) => (lstatSync(directory).mode & 0o200) !== 0;

/** The first directory in the tree at `path` (itself included) that a non-root user could not empty. */
function unremovable(path: string): string | undefined {
  const stats = lstatSync(path, { throwIfNoEntry: false });
  if (!stats?.isDirectory()) return undefined;
  const entries = readdirSync(path);
  if (entries.length > 0 && !writable(path)) return join(path, entries[0]);
  for (const entry of entries) {
    const found = unremovable(join(path, entry));
    if (found) return found;
  }
  return undefined;
}

/**
 * Runs `action` with the file permissions a non-root user meets (these tests run as root, where a mode stops no
 * write): creating or deleting an entry in a directory without owner write fails with EACCES. `stuck` paths
 * cannot be deleted at all (another owner's files, a busy mount), whatever their modes.
 */
function asNonRoot<T>(action: () => T, stuck: (path: string) => boolean = () => false): T {
  const real = { rmSync: fs.rmSync, mkdirSync: fs.mkdirSync, linkSync: fs.linkSync, copyFileSync: fs.copyFileSync };
  const intoWritable = (syscall: string, target: string) => {
    const parent = dirname(String(target));
    if (fs.existsSync(parent) && !writable(parent)) throw eacces(syscall, String(target));
  };
  const spies = [
    jest.spyOn(fs, "rmSync").mockImplementation((path, options) => {
      if (stuck(String(path)) && fs.existsSync(path)) throw eacces("rmdir", String(path));
      const blocked = unremovable(String(path));
      if (blocked) throw eacces("unlink", blocked);
      return real.rmSync(path, options);
    }),
    jest.spyOn(fs, "mkdirSync").mockImplementation(((path: string, options?: MakeDirectoryOptions) => {
      intoWritable("mkdir", path);
      return real.mkdirSync(path, options);
    }) as typeof fs.mkdirSync),
    jest.spyOn(fs, "linkSync").mockImplementation((from, to) => {
      intoWritable("link", String(to));
      return real.linkSync(from, to);
    }),
    jest.spyOn(fs, "copyFileSync").mockImplementation((from, to, mode) => {
      intoWritable("copyfile", String(to));
      return real.copyFileSync(from, to, mode);
    }),
  ];
  try {
    return action();
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}

describe("a previous output with read-only directories", () => {
  it.each(["", "stacks", "stacks/kept", "stacks/kept/.terraform", "stacks/dropped"])(
    "read-only '%s': replaced, nothing left beside, the same on the next run",
    (directory) => {
      const outdir = freshOutdir();
      previousOutput(outdir);
      chmodSync(join(outdir, directory), 0o555);
      const written = stderrOf(() => asNonRoot(() => synthesizeAtomically(newBuild, outdir)));
      expect(written).toEqual([]);
      expect(generation(outdir)).toBe("new");
      expectWorkingFilesKept(outdir);
      expect(siblings(outdir)).toEqual([]);
      if (directory === "stacks/kept/.terraform") expect(lstatSync(join(outdir, directory)).mode & 0o777).toBe(0o555);
      asNonRoot(() => synthesizeAtomically(newBuild, outdir));
      expect(generation(outdir)).toBe("new");
      expect(siblings(outdir)).toEqual([]);
    },
  );

  it("an old output that cannot be deleted at all: the run succeeds and says so in one line; a later run deletes it", () => {
    const outdir = freshOutdir();
    previousOutput(outdir);
    const inTrash = (path: string) => path.includes("cdktf.out.trash-");
    const first = stderrOf(() => asNonRoot(() => synthesizeAtomically(newBuild, outdir), inTrash));
    expect(generation(outdir)).toBe("new");
    const trash = siblings(outdir);
    expect(trash).toEqual([`cdktf.out.trash-${process.pid}`]);
    expect(first).toEqual([
      `${outdir} holds the new output; the previous one, moved to ${join(dirname(outdir), trash[0])}, could not be deleted (EACCES: permission denied, rmdir '${join(dirname(outdir), trash[0])}'): the next synth tries again\n`,
    ]);
    // Still stuck: the next run is not blocked by it, says so again, and leaves its own old output beside too.
    const second = stderrOf(() => asNonRoot(() => synthesizeAtomically(newBuild, outdir), inTrash));
    expect(generation(outdir)).toBe("new");
    expect(second).toHaveLength(2);
    expect(second.every((line) => /could not be deleted \(EACCES/.test(String(line)))).toBe(true);
    expect(siblings(outdir)).toHaveLength(2);
    // Deletable again: the next run removes every leftover, silently.
    expect(stderrOf(() => synthesizeAtomically(newBuild, outdir))).toEqual([]);
    expect(generation(outdir)).toBe("new");
    expectWorkingFilesKept(outdir);
    expect(siblings(outdir)).toEqual([]);
  });
});

describe("a failed run says what the outdir holds", () => {
  it.each(STEPS)("failing after %s", (failAt) => {
    const outdir = freshOutdir();
    previousOutput(outdir);
    let caught: unknown;
    try {
      synthesizeAtomically(newBuild, outdir, {
        onStep: (step) => {
          if (step === failAt) throw new Error(`interrupted after ${step}`);
        },
      });
    } catch (error) {
      caught = error;
    }
    const report = describeSynthFailure(caught);
    expect(report).toMatch(new RegExp(`^synth failed: interrupted after ${failAt}`));
    if (failAt === "new-moved-in" || failAt === "old-moved-to-trash") {
      expect(generation(outdir)).toBe("new");
      expect(report).toContain(`${outdir} holds the new output`);
      expect(report).not.toContain("Nothing was synthesized");
    } else {
      expect(generation(outdir)).toBe("old");
      expect(report).toMatch(/Nothing was synthesized\.\n$/);
      if (failAt !== "synthesized") expect(report).toContain(`${outdir} still holds the previous output`);
    }
  });
});

describe("a lock another host left", () => {
  const lock = (outdir: string, age: number) => {
    writeFileSync(`${outdir}.lock`, "4242 ci-runner-7f3a\n");
    const at = new Date(Date.now() - age);
    utimesSync(`${outdir}.lock`, at, at);
  };

  it("older than the lock timeout (a restarted CI container): taken over at once, in one line", () => {
    const outdir = freshOutdir();
    previousOutput(outdir);
    lock(outdir, 600_000);
    const started = Date.now();
    const written = stderrOf(() => synthesizeAtomically(newBuild, outdir, { lockTimeoutMs: 30_000 }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(written).toEqual([
      expect.stringMatching(
        new RegExp(
          `^took over ${outdir.replace(/[.\\]/g, "\\$&")}\\.lock from pid 4242 on ci-runner-7f3a: unchanged for 60\\d s, longer than the 30 s a synth may hold it, so that synth is taken to be dead\\n$`,
        ),
      ),
    ]);
    expect(generation(outdir)).toBe("new");
    expect(siblings(outdir)).toEqual([]);
  });

  it("a fresh one: waited for until it is older than the lock timeout, then taken over", () => {
    const outdir = freshOutdir();
    previousOutput(outdir);
    lock(outdir, 0);
    const started = Date.now();
    const written = stderrOf(() => synthesizeAtomically(newBuild, outdir, { lockTimeoutMs: 1_000 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(written).toEqual([
      `waiting for pid 4242 on ci-runner-7f3a, which is writing ${outdir} ...\n`,
      expect.stringMatching(
        /^took over .*\.lock from pid 4242 on ci-runner-7f3a: unchanged for 1 s, longer than the 1 s/,
      ),
    ]);
    expect(generation(outdir)).toBe("new");
    expect(siblings(outdir)).toEqual([]);
  });
});
