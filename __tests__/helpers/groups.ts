import { appendFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";

/**
 * `npm test` runs the test files (topics, `*.test.ts`) of a layer in a few groups, one jest file each
 * (`__tests__/groups/<layer>-<n>.ts`), so the topics of a group share one module registry: cdktf, the provider
 * classes, zod and the product load once per group instead of once per topic (about a second per synth topic, more
 * than most topics' own work; docs/performance.md). Jest still runs the groups on two workers. A topic keeps its
 * own `describe` scope (its `beforeAll` runs only for it) and its path is the first part of every test name.
 *
 * The groups are derived, not listed: a layer's topics are dealt to its N group files heaviest first, each to the
 * group with the least time so far, by the times of a recent run (`__tests__/groups/times.json`, written by
 * `npm run test:times`; a topic it does not know counts as the median). The times only balance the groups: a
 * missing or stale file changes which group runs a topic, never whether it runs. Adding a topic or a group file
 * changes no other file. `npm run test:one -- <pattern>` runs topics on their own, each in its own registry, as
 * plain jest would (jest.one.config.js).
 *
 * TEST_TOPIC_TIMES=<file> appends each topic's time (its hooks and tests, milliseconds) and path to the file.
 */

const TESTS = join(__dirname, "..");

export type Layer = "unit" | "synth" | "process";

/** Every topic file of a layer, as paths relative to `__tests__`, sorted. */
export function topicsOf(layer: Layer): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((entry) => {
        const path = join(dir, entry);
        return statSync(path).isDirectory() ? walk(path) : entry.endsWith(".test.ts") ? [path] : [];
      });
  return walk(join(TESTS, layer)).map((path) => relative(TESTS, path));
}

/** The group files of a layer: `<layer>-<n>.ts`, n from 1, by number. */
export function groupFilesOf(layer: Layer): string[] {
  return readdirSync(join(TESTS, "groups"))
    .filter((file) => new RegExp(`^${layer}-\\d+\\.ts$`).test(file))
    .sort((a, b) => groupNumber(a) - groupNumber(b));
}

function groupNumber(file: string): number {
  return Number(/-(\d+)\.ts$/.exec(file)![1]);
}

/** Milliseconds per topic in a recent run (only to balance the groups). */
export const TIMES_FILE = join(TESTS, "groups", "times.json");

function recentTimes(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(TIMES_FILE, "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

/** The topics group `n` (from 1) of `count` runs, sorted by path. */
export function topicsOfGroup(layer: Layer, n: number, count: number, times = recentTimes()): string[] {
  const topics = topicsOf(layer);
  const known = topics.map((topic) => times[topic]).filter((time) => Number.isFinite(time) && time >= 0);
  const median = known.sort((a, b) => a - b)[Math.floor(known.length / 2)] ?? 1000;
  const weight = (topic: string) => (Number.isFinite(times[topic]) && times[topic] >= 0 ? times[topic] : median);
  const loads = new Array<number>(count).fill(0);
  const groups = loads.map((): string[] => []);
  const heaviestFirst = [...topics].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b));
  for (const topic of heaviestFirst) {
    const lightest = loads.indexOf(Math.min(...loads));
    loads[lightest] += weight(topic);
    groups[lightest].push(topic);
  }
  return groups[n - 1].sort();
}

/** Registers the topics of the calling group file (`__tests__/groups/<layer>-<n>.ts`). */
export function runGroup(groupFile: string): void {
  const match = /^(unit|synth|process)-(\d+)\.ts$/.exec(basename(groupFile));
  if (!match) throw new Error(`${groupFile}: a group file is named <unit|synth|process>-<n>.ts`);
  const layer = match[1] as Layer;
  const numbers = groupFilesOf(layer).map(groupNumber);
  if (numbers.some((number, index) => number !== index + 1))
    throw new Error(
      `__tests__/groups: the ${layer} groups are numbered ${numbers.join(", ")}; number them 1 to ${numbers.length}`,
    );
  for (const topic of topicsOfGroup(layer, Number(match[2]), numbers.length)) {
    describe(topic, () => {
      const times = process.env.TEST_TOPIC_TIMES;
      let started = 0;
      if (times) {
        beforeAll(() => void (started = Date.now()));
        afterAll(() => appendFileSync(times, `${Date.now() - started}\t${topic}\n`));
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(join(TESTS, topic));
    });
  }
}
