import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Script } from "node:vm";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pruneUnread, storeCachedData } = require("../../scripts/code-cache") as {
  pruneUnread: (dir: string, ageMs: number) => void;
  storeCachedData: (dir: string, fresh: Array<{ entry: string; script: Script }>, rebuildThreshold: number) => void;
};

/**
 * The V8 code cache (the app runner's, and the tests' jest runtime): compiled scripts' data stored for the next run,
 * and entries no run has read for a while dropped (each rebuild of dist/ adds a set).
 */

const dir = mkdtempSync(join(tmpdir(), "code-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("removes entries neither read nor written for longer than the age, keeps the rest", () => {
  const day = 86_400_000;
  const entry = (name: string, readAgo: number, writtenAgo: number) => {
    writeFileSync(join(dir, name), "cached");
    utimesSync(join(dir, name), (Date.now() - readAgo) / 1000, (Date.now() - writtenAgo) / 1000);
  };
  entry("read-yesterday", day, 30 * day);
  entry("written-yesterday", 30 * day, day);
  entry("untouched-for-a-month", 30 * day, 30 * day);
  pruneUnread(dir, 7 * day);
  expect(readdirSync(dir).sort()).toEqual(["read-yesterday", "written-yesterday"]);
});

it("leaves a missing directory alone", () => {
  expect(() => pruneUnread(join(dir, "missing"), 0)).not.toThrow();
});

it("stores each fresh script's data where the next compile of the same text accepts it", () => {
  const store = join(dir, "store");
  mkdirSync(store);
  const source = "(function (a, b) { return a + b; })";
  const script = new Script(source, { filename: "sum.js" });
  expect((script.runInThisContext() as (a: number, b: number) => number)(1, 2)).toBe(3);
  storeCachedData(store, [{ entry: join(store, "sum"), script }], 100);
  expect(readdirSync(store)).toEqual(["sum"]);
  const again = new Script(source, { filename: "sum.js", cachedData: readFileSync(join(store, "sum")) });
  expect(again.cachedDataRejected).toBe(false);
  // Other text does not take it.
  const other = new Script("(function () { return 1; })", { cachedData: readFileSync(join(store, "sum")) });
  expect(other.cachedDataRejected).toBe(true);
});
