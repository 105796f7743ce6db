import { appendFileSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";

/**
 * `npm test` runs the test files (topics, `*.test.ts`) of a layer in a few groups, one jest file each
 * (`__tests__/groups/<layer>-<n>.ts`), so the topics of a group share one module registry: cdktf, the provider
 * classes, zod and the product load once per group instead of once per topic (about a second per synth topic, more
 * than most topics' own work; docs/performance.md). Jest still runs the groups on two workers. A topic keeps its
 * own `describe` scope (its `beforeAll` runs only for it) and its path is the first part of every test name.
 *
 * The groups are derived, not listed: topic i (sorted by path) of a layer with N group files runs in group
 * i mod N. Adding a topic or a group file changes no other file. `npm run test:one -- <pattern>` runs topics on
 * their own, each in its own registry, as plain jest would (jest.one.config.js).
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

/** The topics group `n` (from 1) of `count` runs. */
export function topicsOfGroup(layer: Layer, n: number, count: number): string[] {
  return topicsOf(layer).filter((_, index) => index % count === n - 1);
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
