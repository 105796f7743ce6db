import { mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The app runner's build lock (scripts/build-lock.js): one build of dist/ per checkout at a time. A lock another
 * host left (a CI container restarted under a new name) is taken over once older than a build can take, with one
 * line saying so, instead of failing every later run until someone deletes it; a dead owner on this host is taken
 * over at once, silently.
 */

const { withBuildLock } = require("../../scripts/build-lock.js") as {
  withBuildLock: <T>(action: () => T, options?: { lock?: string; staleAfterMs?: number; timeoutMs?: number }) => T;
};

const dir = mkdtempSync(join(tmpdir(), "build-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let stderr: string[];
beforeEach(() => {
  stderr = [];
  jest.spyOn(process.stderr, "write").mockImplementation((text) => {
    stderr.push(String(text));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

/** A lock file held by `pid` on `host`, last changed `ageMs` ago. */
function lockHeldBy(name: string, pid: number, host: string, ageMs: number): string {
  const lock = join(dir, name);
  writeFileSync(lock, `${pid} ${host}\n`);
  const then = (Date.now() - ageMs) / 1000;
  utimesSync(lock, then, then);
  return lock;
}

it("takes over another host's lock older than a build can take, and says so", () => {
  const lock = lockHeldBy("foreign-old.lock", 4242, "ci-runner-7f3a", 600_000);
  expect(withBuildLock(() => "built", { lock, staleAfterMs: 120_000 })).toBe("built");
  expect(stderr.join("")).toMatch(
    /^took over the build lock .*foreign-old\.lock from pid 4242 on ci-runner-7f3a: unchanged for 600 s, longer than a build takes/,
  );
  expect(existsSync(lock)).toBe(false); // released after the build
});

it("waits for another host's fresh lock until it is old enough, then takes it over", () => {
  const lock = lockHeldBy("foreign-fresh.lock", 4242, "ci-runner-7f3a", 0);
  const started = Date.now();
  expect(withBuildLock(() => "built", { lock, staleAfterMs: 400 })).toBe("built");
  expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  expect(stderr[0]).toMatch(/^waiting for pid 4242 on ci-runner-7f3a, which is compiling this checkout/);
  expect(stderr.join("")).toContain("took over the build lock");
});

it("takes over a lock of a process on this host that is gone, at once and silently", () => {
  const gone = spawnSync(process.execPath, ["-e", ""]).pid;
  const lock = lockHeldBy("local-dead.lock", gone, hostname(), 0);
  const started = Date.now();
  expect(withBuildLock(() => "built", { lock })).toBe("built");
  expect(Date.now() - started).toBeLessThan(1000);
  expect(stderr).toEqual([]);
});
