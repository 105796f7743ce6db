import { linkSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";

/**
 * The outdir's lock (modules/synth.ts): one commit at a time per outdir. The lock file holds `<pid> <host>`.
 *   - No owner process on this host (or a previous process with our own pid, a restarted container): taken over
 *     at once, silently: the owner is certainly gone.
 *   - Another host's lock (a CI container that was restarted under a new name, a shared outdir): its pid cannot
 *     be probed from here, so it is taken over once it has been unchanged for longer than the lock timeout (a
 *     synth holds the lock only while it renames directories), with one line saying what was taken over; until
 *     then the run waits.
 *   - A live process on this host: waited for, and an error naming it after the lock timeout.
 */

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

const seconds = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`);

/** Runs `action` holding `lock` (the lock of `target`); `timeoutMs` bounds the wait for a live holder. */
export function withLock<T>(lock: string, target: string, timeoutMs: number, action: () => T): T {
  const mine = `${process.pid} ${hostname()}\n`;
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      writeFileSync(lock, mine, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let held: string;
    try {
      held = readFileSync(lock, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue; // released meanwhile
      throw error;
    }
    const [pid, host = ""] = held.trim().split(" ");
    const owner = /^\d+$/.test(pid) ? Number(pid) : 0;
    const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    const local = host === hostname();
    const unreadable = owner === 0 && age > 10_000; // an empty lock is being written, unless its writer died
    if (unreadable || (owner > 0 && local && (owner === process.pid || !isAlive(owner)))) {
      reclaim(lock, held);
      continue;
    }
    if (owner > 0 && !local && age >= timeoutMs) {
      if (reclaim(lock, held))
        process.stderr.write(
          `took over ${lock} from pid ${pid} on ${host || "an unnamed host"}: unchanged for ${seconds(age)}, longer than the ${seconds(timeoutMs)} a synth may hold it, so that synth is taken to be dead\n`,
        );
      continue;
    }
    // Another host's lock is never an error: it is taken over once it is old enough (above).
    if (local && Date.now() > deadline) {
      throw new Error(
        `${target} is locked by pid ${pid} (${lock}): if that process is stuck, stop it; if it is not a synth, delete the lock file`,
      );
    }
    if (!announced)
      process.stderr.write(`waiting for pid ${pid}${local ? "" : ` on ${host}`}, which is writing ${target} ...\n`);
    announced = true;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  try {
    return action();
  } finally {
    try {
      if (readFileSync(lock, "utf8") === mine) unlinkSync(lock);
    } catch {
      // already gone
    }
  }
}

/**
 * Takes a stale lock away by renaming it (atomic: of two reclaimers only one gets it) and checks that what it
 * took is still the stale one: a live process may have reclaimed it first; its lock goes back. True when the
 * stale lock was taken.
 */
function reclaim(lock: string, held: string): boolean {
  const claimed = `${lock}.stale-${process.pid}`;
  try {
    renameSync(lock, claimed);
  } catch {
    return false;
  }
  let took = true;
  try {
    if (readFileSync(claimed, "utf8") !== held) {
      took = false;
      linkSync(claimed, lock);
    }
  } catch {
    // a third process took the free lock meanwhile: the lock it holds is the valid one
  }
  rmSync(claimed, { force: true });
  return took;
}
