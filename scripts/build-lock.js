// One build of dist/ at a time per checkout, for the app runner (scripts/app.js): a lock file in the system temp
// directory naming its owner's pid and host, taken over at once when that process is gone.
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const { hostname, tmpdir } = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");

/** `kill(pid, 0)` probes without signalling; EPERM means the process exists under another user. */
function isAlive(pid) {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false; // 0 and negatives would address process groups
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * One build at a time per checkout (several people and CI jobs may run synth together). The lock file holds the
 * owner's pid and host:
 *   - a lock left by a killed run on this host is taken over at once when its process is gone (a lock our own pid
 *     left belongs to an earlier process: a restarted container);
 *   - another host's lock (a CI container restarted under a new name, a shared temp directory) cannot be probed: it
 *     is taken over once unchanged for longer than a build can take (`staleAfterMs`, 2 minutes; a build takes
 *     seconds), with one line saying so, instead of failing until someone deletes it;
 *   - a live owner on this host is waited for, and named after 10 minutes.
 */
function withBuildLock(action, options = {}) {
  const lock = options.lock ?? buildLockPath();
  const staleAfterMs = options.staleAfterMs ?? 120_000;
  const mine = `${process.pid} ${hostname()}\n`;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, mine, { flag: "wx" });
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    let held;
    try {
      held = fs.readFileSync(lock, "utf8");
    } catch (error) {
      if (error.code === "ENOENT") continue; // released meanwhile
      throw error;
    }
    const [pid, host] = held.trim().split(" ");
    const owner = /^\d+$/.test(pid) ? Number(pid) : 0;
    // An empty lock is being written right now, unless its writer died between creating and writing it.
    const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    const local = host === hostname();
    const stale = owner === 0 ? age > 10_000 : local && (owner === process.pid || !isAlive(owner));
    if (stale) {
      reclaim(lock, held);
      continue;
    }
    if (owner > 0 && !local && age >= staleAfterMs) {
      if (reclaim(lock, held))
        process.stderr.write(
          `took over the build lock ${lock} from pid ${pid} on ${host || "an unnamed host"}: unchanged for ${Math.round(age / 1000)} s, longer than a build takes, so that build is taken to be dead\n`,
        );
      continue;
    }
    // Another host's lock is never an error: it is taken over once it is old enough (above).
    if (local && Date.now() > deadline) {
      process.stderr.write(
        `pid ${pid} has held the build lock ${lock} for 10 minutes: stop it if it is stuck (or delete the lock if that pid is no build)\n`,
      );
      process.exit(1);
    }
    if (!announced)
      process.stderr.write(
        `waiting for pid ${pid}${host === hostname() ? "" : ` on ${host}`}, which is compiling this checkout into dist/ ...\n`,
      );
    announced = true;
    sleep(100);
  }
  try {
    return action();
  } finally {
    try {
      if (fs.readFileSync(lock, "utf8") === mine) fs.unlinkSync(lock);
    } catch {
      // already gone
    }
  }
}

/**
 * Takes a dead owner's lock by renaming it (atomic: of two processes reclaiming it, one wins), then checks it took
 * what it judged stale: if a live process had reclaimed it first, that process's lock is linked back.
 */
function reclaim(lock, held) {
  const claimed = `${lock}.stale-${process.pid}`;
  try {
    fs.renameSync(lock, claimed);
  } catch {
    return false;
  }
  let took = true;
  try {
    if (fs.readFileSync(claimed, "utf8") !== held) {
      took = false;
      fs.linkSync(claimed, lock);
    }
  } catch {
    // a third process took the free lock meanwhile: the lock it holds is the valid one
  }
  fs.rmSync(claimed, { force: true });
  return took;
}

/** The build lock of this checkout, in the system temp directory. */
function buildLockPath() {
  return path.join(
    tmpdir(),
    `cdktf-eks-platform-build-${createHash("sha1").update(ROOT).digest("hex").slice(0, 12)}.pid.lock`,
  );
}

module.exports = { buildLockPath, isAlive, withBuildLock };
