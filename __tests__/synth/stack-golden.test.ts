import { readFileSync } from "node:fs";
import { parseConfigText } from "../../index";
import {
  GOLDEN_CONFIGS,
  JSON_MARKER,
  UPDATE_HINT,
  compareStacks,
  configPath,
  diffJson,
  formatDifferences,
  normalizeStack,
  normalizeStacks,
  readGoldens,
  synthesizeStacks,
  type GoldenConfig,
  type Stacks,
} from "../../tools/golden";
import { GENERATE_COMMAND, staleMessage } from "../helpers/generated";
import { fixtureStacks } from "../helpers/fixtures";

const GOLDEN_DIR = "__tests__/__golden__/stacks";

/**
 * Every synthesized stack of config/example.yaml and config/all-options.yaml against its normalized golden in
 * __golden__/stacks/<config>/<stack>.json (tools/golden.ts). Unlike the address list, this catches an attribute
 * change, which is how a forced replacement (a new EFS creation_token, a renamed cluster) reaches a plan.
 * After an intended change: review the reported paths, then `npm run generate` (it rewrites every generated file;
 * `npm run golden -- --update` only these).
 */

const current = new Map<GoldenConfig, Stacks>();

function synthesized(name: GoldenConfig): Stacks {
  const stacks = current.get(name);
  if (!stacks) throw new Error(`${name} was not synthesized`);
  return stacks;
}

// Scoped to the synthesizing tests: a config that fails to build must not also fail the pure comparison tests.
describe("synthesized stacks", () => {
  beforeAll(() => {
    // The shared fixture syntheses are exactly `tools/golden.ts`'s raw stacks (cdk.tf.json of the same config).
    for (const name of GOLDEN_CONFIGS) current.set(name, normalizeStacks(Object.fromEntries(fixtureStacks(name))));
  }, 120_000);

  describe.each(GOLDEN_CONFIGS)("%s", (name) => {
    it("has a golden for every stack and a stack for every golden", () => {
      const stacks = Object.keys(synthesized(name));
      const goldens = Object.keys(readGoldens(name));
      const stale = [
        ...stacks.filter((stack) => !goldens.includes(stack)),
        ...goldens.filter((stack) => !stacks.includes(stack)),
      ];
      // One line per missing or obsolete golden, naming the command that fixes it.
      expect(stale.sort().map((stack) => staleMessage(`${GOLDEN_DIR}/${name}/${stack}.json`))).toEqual([]);
    });

    it("synthesizes every stack exactly as its golden", () => {
      const message = formatDifferences(name, compareStacks(readGoldens(name), synthesized(name)));
      // Thrown rather than `expect(...).toEqual(golden)`: the path-level summary instead of a 5000-line dump.
      if (message !== "") throw new Error(`stacks differ from their goldens:\n${message}`);
    });
  });

  it("reports a replacement: renaming the prod cluster changes the EFS creation_token", () => {
    const text = readFileSync(configPath("all-options"), "utf8");
    expect(text).toContain("name: prod-main");
    const renamed = synthesizeStacks(
      parseConfigText(text.replace("name: prod-main", "name: prod-renamed"), "all-options.yaml"),
    );
    const changes = compareStacks(synthesized("all-options"), renamed);

    // terraform-cloud too: prod's run roles are named after its cluster (tfc-<cluster>-<layer>).
    expect(changes.map((change) => change.stack)).toEqual([
      "prod-foundation",
      "prod-network",
      "prod-operators",
      "prod-storage",
      "terraform-cloud",
    ]);
    expect(changes.every((change) => change.kind === "changed")).toBe(true);
    const storage = changes.find((change) => change.stack === "prod-storage");
    expect(storage?.differences).toContainEqual({
      path: "resource.aws_efs_file_system.efs.creation_token",
      before: "prod-main-efs",
      after: "prod-renamed-efs",
    });

    const message = formatDifferences("all-options", changes);
    expect(message).toContain("all-options/prod-storage: ");
    expect(message).toContain(
      '  resource.aws_efs_file_system.efs.creation_token: "prod-main-efs" -> "prod-renamed-efs"',
    );
    expect(message).toContain(UPDATE_HINT);
    expect(UPDATE_HINT).toBe(GENERATE_COMMAND);
    expect(message.split("\n").length).toBeLessThanOrEqual(51);
  });
});

describe("golden comparison", () => {
  it("reports added and removed stacks", () => {
    const changes = compareStacks({ a: {}, b: {} }, { b: {}, c: {} });
    expect(changes).toEqual([
      { stack: "a", kind: "removed", differences: [] },
      { stack: "c", kind: "added", differences: [] },
    ]);
  });

  it("diffs leaves by path, quoting keys that are not identifiers", () => {
    const before = { resource: { x: { tags: { "kubernetes.io/role": "a" }, list: [1, 2] } } };
    const after = { resource: { x: { tags: { "kubernetes.io/role": "b" }, list: [1] } } };
    expect(diffJson(before, after)).toEqual([
      { path: "resource.x.list[1]", before: 2, after: undefined },
      { path: 'resource.x.tags["kubernetes.io/role"]', before: "a", after: "b" },
    ]);
  });
});

describe("normalization", () => {
  const raw = {
    "//": { metadata: { version: "0.21.0" } },
    resource: {
      helm_release: {
        chart: {
          "//": { metadata: { path: "dev/chart" } },
          chart: "./assets/platform-manifests-chart/AE66DF8EE014549B3632B3C0792E6029",
          values: ['{"b":1,"a":{"//":"kept"}}'],
        },
      },
      aws_iam_role: { role: { name: "[not json", description: "true" } },
    },
  };
  const normalized = normalizeStack(raw);

  it("drops cdktf metadata, masks asset hashes and expands JSON strings with sorted keys", () => {
    expect(normalized).toEqual({
      resource: {
        aws_iam_role: { role: { description: "true", name: "[not json" } },
        helm_release: {
          chart: {
            chart: "./assets/platform-manifests-chart/<hash>",
            values: [{ [JSON_MARKER]: { a: { "//": "kept" }, b: 1 } }],
          },
        },
      },
    });
  });

  it("writes keys in sorted order, so a golden is stable text", () => {
    expect(JSON.stringify(normalized)).toMatch(
      /^\{"resource":\{"aws_iam_role":\{"role":\{"description":.*"helm_release":\{"chart":\{"chart":.*"values":\[\{"<json>":\{"a":.*"b":1\}/,
    );
  });
});
