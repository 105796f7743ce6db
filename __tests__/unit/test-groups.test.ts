import { readdirSync } from "node:fs";
import { join } from "node:path";
import { groupFilesOf, topicsOf, topicsOfGroup, type Layer } from "../helpers/groups";

/**
 * `npm test` runs the topics (test files) of each layer in groups (__tests__/helpers/groups.ts): every topic must
 * run exactly once, and every file in __tests__/groups must be a group jest runs.
 */

const LAYERS: Layer[] = ["unit", "synth", "process"];

describe.each(LAYERS)("the %s layer", (layer) => {
  const groups = groupFilesOf(layer);

  it("has group files numbered 1 to N", () => {
    expect(groups.length).toBeGreaterThan(0);
    expect(groups).toEqual(groups.map((_, index) => `${layer}-${index + 1}.ts`));
  });

  it("runs every topic in exactly one group", () => {
    const run = groups.flatMap((_, index) => topicsOfGroup(layer, index + 1, groups.length));
    expect([...run].sort()).toEqual(topicsOf(layer));
    expect(new Set(run).size).toBe(run.length);
  });
});

it("deals the heaviest topics to different groups, and a topic without a time as the median", () => {
  const [a, b, c, ...rest] = topicsOf("unit");
  const times = Object.fromEntries(rest.map((topic) => [topic, 1]));
  Object.assign(times, { [a]: 1e6, [b]: 1e6 });
  const first = topicsOfGroup("unit", 1, 2, times);
  const second = topicsOfGroup("unit", 2, 2, times);
  expect([first.includes(a), first.includes(b)]).toEqual([true, false]);
  expect(second).toContain(b);
  expect([...first, ...second].sort()).toEqual(topicsOf("unit"));
  expect(first.includes(c) || second.includes(c)).toBe(true);
});

it("topics are found in subfolders too (synth/iam-simulation)", () => {
  expect(topicsOf("synth").some((topic) => topic.startsWith("synth/iam-simulation/"))).toBe(true);
  expect(topicsOf("unit")).toContain("unit/test-groups.test.ts");
});

it("__tests__/groups holds group files only", () => {
  const files = readdirSync(join(__dirname, "..", "groups"));
  expect(files.filter((file) => !/^((unit|synth|process)-\d+\.ts|times\.json)$/.test(file))).toEqual([]);
});
