import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pruneUnread } = require("../../scripts/code-cache") as { pruneUnread: (dir: string, ageMs: number) => void };

/** The app runner's V8 code cache drops entries no run has read for a while (each rebuild of dist/ adds a set). */

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
