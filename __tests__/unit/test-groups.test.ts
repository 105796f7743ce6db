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

it("topics are found in subfolders too (synth/iam-simulation)", () => {
  expect(topicsOf("synth").some((topic) => topic.startsWith("synth/iam-simulation/"))).toBe(true);
  expect(topicsOf("unit")).toContain("unit/test-groups.test.ts");
});

it("__tests__/groups holds group files only", () => {
  const files = readdirSync(join(__dirname, "..", "groups"));
  expect(files.filter((file) => !/^(unit|synth|process)-\d+\.ts$/.test(file))).toEqual([]);
});
