#!/usr/bin/env node
// `npm run test:times`: runs the whole suite, recording each test file's (topic's) time, and writes them to
// __tests__/groups/times.json, which only balances the groups `npm test` runs (__tests__/helpers/groups.ts).
// Run it on a quiet machine after adding or much changing a slow test file. Extra arguments go to jest.
"use strict";
const { spawnSync } = require("node:child_process");
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "test-times-"));
const log = path.join(dir, "times.tsv");
writeFileSync(log, "");
const jest = spawnSync(
  process.execPath,
  ["--single-threaded-gc", require.resolve("jest/bin/jest"), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, TEST_TOPIC_TIMES: log },
  },
);
const times = {};
for (const line of readFileSync(log, "utf8").split("\n").filter(Boolean)) {
  const [ms, topic] = line.split("\t");
  times[topic] = Math.round(Number(ms) / 10) * 10;
}
rmSync(dir, { recursive: true, force: true });
if (jest.status !== 0) {
  process.stderr.write("test:times: the tests failed; __tests__/groups/times.json is unchanged\n");
  process.exit(jest.status ?? 1);
}
const sorted = Object.fromEntries(
  Object.keys(times)
    .sort()
    .map((topic) => [topic, times[topic]]),
);
writeFileSync(path.join(root, "__tests__", "groups", "times.json"), `${JSON.stringify(sorted, null, 2)}\n`);
process.stdout.write(`test:times: ${Object.keys(sorted).length} topics written to __tests__/groups/times.json\n`);
