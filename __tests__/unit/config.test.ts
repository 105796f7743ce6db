import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigFile, validateConfig } from "../../modules/plan";
import { PlatformConfigError } from "../../modules/errors";
import { issuesOf, minimalEnvironment as env } from "../helpers/config";

/**
 * Config validation: every mistake of every environment reported in one error, mistakes written in defaults
 * attributed to defaults, defaults merged under each environment, and what a good config gets. Each single mistake
 * with its path and what is allowed: config-mistakes.test.ts.
 */

const withEnvironments =
  (...environments: unknown[]) =>
  () =>
    validateConfig({ environments });

describe("all problems at once", () => {
  it("reports every mistake of every environment in one error, schema before semantics", () => {
    const issues = issuesOf(
      withEnvironments(
        env({ name: "Bad_Name", account: "x", region: "y" }),
        env({ name: "prod", account: "222222222222", cluster: { kubernetesVersion: "1.2", kubernetesAuht: "exec" } }),
      ),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      "environments[0].name",
      "environments[0].account",
      "environments[0].region",
      "environments[1].cluster.kubernetesVersion",
      "environments[1].cluster.kubernetesAuht",
    ]);
  });

  it("counts the problems in the error message, one line each", () => {
    let message = "";
    try {
      validateConfig({ environments: [env({ account: "1", region: "nowhere" })] });
    } catch (error) {
      message = (error as PlatformConfigError).message;
    }
    expect(message.split("\n")).toEqual([
      "2 problems in the platform config:",
      expect.stringMatching(/^ {2}- environments\[0\]\.account: .*got "1"/),
      expect.stringMatching(/^ {2}- environments\[0\]\.region: .*got "nowhere"/),
    ]);
  });

  it("reports semantic problems of several environments together", () => {
    const issues = issuesOf(
      withEnvironments(
        env({ assumeRoleArn: "arn:aws:iam::222222222222:role/deploy" }),
        env({ name: "prod", cluster: { endpoint: { publicAccessCidrs: ["0.0.0.0/0"] } } }),
      ),
    );
    // The role in another account is also not the role the providers' access entry is for.
    expect(issues.map((issue) => issue.path)).toEqual([
      "environments[0].assumeRoleArn",
      "environments[0].cluster.access.terraformRoleArn",
      "environments[1].cluster.endpoint.publicAccessCidrs",
    ]);
  });
});

describe("defaults", () => {
  it("reports a mistake written once in defaults once, naming every environment that inherits it", () => {
    const issues = issuesOf(() =>
      validateConfig({
        defaults: { cluster: { kubernetesVersoin: "1.35" }, tags: { team: 1 } },
        environments: [env(), env({ name: "prod", account: "222222222222", tags: { team: "web" } })],
      }),
    );
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ["defaults.tags.team", "must be a string (inherited by environments[0])"],
      ["defaults.cluster.kubernetesVersoin", "is not a known setting (inherited by environments[0], environments[1])"],
    ]);
  });

  it("attributes semantic problems inherited from defaults to defaults too", () => {
    const issues = issuesOf(() =>
      validateConfig({
        defaults: { cluster: { endpoint: { publicAccessCidrs: ["0.0.0.0/0"] } } },
        environments: [env(), env({ name: "prod" })],
      }),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: "defaults.cluster.endpoint.publicAccessCidrs",
        message: expect.stringContaining("(inherited by environments[0], environments[1])"),
      }),
    ]);
  });

  it("deep-merges defaults under each environment, the environment winning", () => {
    const config = validateConfig({
      defaults: {
        region: "eu-central-1",
        tags: { team: "platform", tier: "shared" },
        cluster: { kubernetesVersion: "1.34" },
      },
      environments: [env({ region: undefined, tags: { tier: "prod" } }), env({ name: "prod", region: "us-east-2" })],
    });
    expect(config.environments.map((e) => [e.region, e.tags, e.cluster.kubernetesVersion])).toEqual([
      ["eu-central-1", { team: "platform", tier: "prod" }, "1.34"],
      ["us-east-2", { team: "platform", tier: "shared" }, "1.34"],
    ]);
  });
});

describe("good config", () => {
  it("accepts 0.0.0.0/0 when acknowledged, and fills in defaults", () => {
    const [environment] = validateConfig({
      environments: [
        env({ cluster: { endpoint: { publicAccessCidrs: ["0.0.0.0/0"], acknowledgeOpenToInternet: true } } }),
      ],
    }).environments;
    expect(environment.cluster.endpoint.publicAccessCidrs).toEqual(["0.0.0.0/0"]);
    expect(environment.layers).toEqual({ foundation: true, network: true, storage: true, operators: true });
    expect(environment.backend).toEqual({ type: "local" });
  });

  it("loads YAML and JSON files alike", () => {
    const dir = mkdtempSync(join(tmpdir(), "platform-config-"));
    writeFileSync(join(dir, "p.json"), JSON.stringify({ environments: [env()] }));
    writeFileSync(
      join(dir, "p.yml"),
      'environments:\n  - name: dev\n    account: "111111111111"\n    region: eu-west-1\n    vpc: { id: vpc-0a1b2c3d4e5f60718, privateSubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002], publicSubnetIds: [] }\n    dns: { domain: dev.example.com, hostedZoneId: Z0123456789ABCDEFGHIJ }\n    cluster: { access: { terraformRoleArn: "arn:aws:iam::111111111111:role/platform-terraform" } }\n',
    );
    expect(loadConfigFile(join(dir, "p.json")).environments[0].name).toBe("dev");
    expect(loadConfigFile(join(dir, "p.yml")).environments[0].vpc.id).toBe("vpc-0a1b2c3d4e5f60718");
  });
});
