import { Testing, TerraformStack } from "cdktf";
import {
  ENVIRONMENTS_VARIABLE,
  Platform,
  PlatformConfigError,
  environmentNamesFrom,
  planPlatform,
  validateConfig,
} from "../../index";
import { issuesOf, minimalEnvironment as env } from "../helpers/config";

/**
 * One environment at a time: `PLATFORM_ENVIRONMENTS` (or `environments`) builds only the environments named,
 * after the whole file is validated; an unknown name lists the known ones.
 */

const config = validateConfig({
  environments: [
    env({ name: "dev" }),
    env({ name: "stage", account: "222222222222" }),
    env({ name: "prod", account: "333333333333" }),
  ],
});
const stackNames = (platform: Platform) =>
  platform.environments.flatMap((environment) => environment.stacks.map((stack) => stack.node.id));
const appStacks = (app: ReturnType<typeof Testing.app>) =>
  app.node.children.filter(TerraformStack.isStack).map((stack) => stack.node.id);

describe("PLATFORM_ENVIRONMENTS values", () => {
  it.each([
    [undefined, undefined],
    ["", undefined],
    ["  ", undefined],
    ["prod", ["prod"]],
    ["prod,stage", ["prod", "stage"]],
    [" prod , stage ,prod,", ["prod", "stage"]],
    [",", []],
  ])("%j -> %j", (value, names) => {
    expect(environmentNamesFrom(value)).toEqual(names);
  });
});

describe("a selection", () => {
  it("builds only the environments named, in config order; the plan keeps every one", () => {
    const app = Testing.app();
    const platform = new Platform(app, { config, environments: ["prod", "dev"] });
    expect(platform.environments.map((environment) => environment.environment.name)).toEqual(["dev", "prod"]);
    expect(appStacks(app)).toEqual([
      "dev-foundation",
      "dev-network",
      "dev-storage",
      "dev-operators",
      "prod-foundation",
      "prod-network",
      "prod-storage",
      "prod-operators",
    ]);
    expect(platform.plan.environments).toHaveLength(3);
    expect(platform.environment("stage")).toBeUndefined();
    expect(platform.environment("prod")?.foundation?.node.id).toBe("prod-foundation");
  });

  it("reports progress over the environments it builds", () => {
    const calls: string[] = [];
    new Platform(Testing.app(), {
      config,
      environments: ["stage"],
      onEnvironment: (environment, index, total) => calls.push(`${index + 1}/${total} ${environment.name}`),
    });
    expect(calls).toEqual(["1/1 stage"]);
  });

  it("defaults to $PLATFORM_ENVIRONMENTS, and to every environment without it", () => {
    const saved = process.env[ENVIRONMENTS_VARIABLE];
    try {
      process.env[ENVIRONMENTS_VARIABLE] = "stage";
      expect(stackNames(new Platform(Testing.app(), { config }))).toEqual([
        "stage-foundation",
        "stage-network",
        "stage-storage",
        "stage-operators",
      ]);
      delete process.env[ENVIRONMENTS_VARIABLE];
      expect(stackNames(new Platform(Testing.app(), { config }))).toHaveLength(12);
    } finally {
      if (saved === undefined) delete process.env[ENVIRONMENTS_VARIABLE];
      else process.env[ENVIRONMENTS_VARIABLE] = saved;
    }
  });

  it("refuses unknown names, listing the known ones and the closest", () => {
    const issues = issuesOf(() => new Platform(Testing.app(), { config, environments: ["prod", "stagee", "qa"] }));
    expect(issues.map((issue) => [issue.path, issue.message, issue.allowed, issue.fix])).toEqual([
      [
        "PLATFORM_ENVIRONMENTS",
        "names an environment the config does not have: 'stagee'",
        "dev, stage, prod",
        "did you mean 'stage'?",
      ],
      [
        "PLATFORM_ENVIRONMENTS",
        "names an environment the config does not have: 'qa'",
        "dev, stage, prod",
        "use the environments' `name`s, comma-separated",
      ],
    ]);
    expect(issuesOf(() => new Platform(Testing.app(), { config, environments: [] }))[0].message).toBe(
      "names no environment",
    );
  });

  it("lists at most 30 known names of a large config", () => {
    const large = validateConfig({
      environments: Array.from({ length: 40 }, (_, index) => env({ name: `env${index}` })),
    });
    expect(issuesOf(() => new Platform(Testing.app(), { config: large, environments: ["nope"] }))[0].allowed).toMatch(
      /^env0, env1, .*, env29, \.\.\. \(40 in all\)$/,
    );
  });

  it("still validates the whole file: a mistake in an environment left out fails", () => {
    const raw = { environments: [env({ name: "dev" }), env({ name: "prod", account: "12345" })] };
    expect(() => new Platform(Testing.app(), { config: raw, environments: ["dev"] })).toThrow(PlatformConfigError);
    expect(() => planPlatform(raw)).toThrow(/environments\[1\]\.account/);
  });
});
