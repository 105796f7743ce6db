import { environmentSchema } from "../../modules/config/schema";
import { validateConfig } from "../../modules/plan";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Issue 24 item 8: `defaults` is merged under every environment key by key, so a wrongly typed default used to
 * vanish whenever an environment had the key itself (`defaults.cluster: true` beside an environment's own
 * `cluster` block), while alone it was refused. A wrong type in `defaults` is an error at `defaults.<key>`,
 * whatever the environments hold.
 */

const ROLE = "arn:aws:iam::111111111111:role/platform-terraform";

/** Every top-level environment key, with a valid value an environment may hold for it. */
const VALID: Record<string, { kind: "string" | "mapping" | "boolean"; value: unknown }> = {
  name: { kind: "string", value: "dev" },
  adoptExistingNamespaces: { kind: "boolean", value: true },
  account: { kind: "string", value: "111111111111" },
  region: { kind: "string", value: "eu-west-1" },
  assumeRoleArn: { kind: "string", value: ROLE },
  externalId: { kind: "string", value: "platform-ci" },
  sessionName: { kind: "string", value: "platform-ci" },
  tags: { kind: "mapping", value: { team: "platform" } },
  backend: { kind: "mapping", value: { type: "local" } },
  imageRegistryMirror: { kind: "string", value: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/mirror" },
  iam: { kind: "mapping", value: { permissionsBoundaryArn: "arn:aws:iam::111111111111:policy/org-boundary" } },
  layers: { kind: "mapping", value: { storage: true } },
  cluster: { kind: "mapping", value: { access: { terraformRoleArn: ROLE } } },
  vpc: {
    kind: "mapping",
    value: {
      id: "vpc-0a1b2c3d4e5f60718",
      privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
      publicSubnetIds: [],
    },
  },
  dns: { kind: "mapping", value: { domain: "dev.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" } },
  karpenter: { kind: "mapping", value: {} },
  network: { kind: "mapping", value: {} },
  storage: { kind: "mapping", value: {} },
  operators: { kind: "mapping", value: {} },
  policy: { kind: "mapping", value: {} },
  addons: { kind: "mapping", value: {} },
};

const WRONG: Record<string, unknown> = { boolean: true, string: "x", array: [], number: 5 };

const cases = Object.entries(VALID).flatMap(([key, { kind, value }]) =>
  Object.entries(WRONG)
    .filter(([type]) => !(kind === type))
    .flatMap(([type, wrong]) => [
      { key, type, wrong, environment: minimalEnvironment({ [key]: value }), with: "with an environment's own" },
      { key, type, wrong, environment: minimalEnvironment({ [key]: undefined }), with: "without an environment's" },
    ]),
);

describe("a wrongly typed default is refused at defaults.<key>", () => {
  it("covers every top-level environment key", () => {
    expect(Object.keys(VALID).sort()).toEqual(Object.keys(environmentSchema.shape).sort());
  });

  it.each(cases)("defaults.$key as a $type, $with", ({ key, wrong, environment }) => {
    const issues = issuesOf(() => validateConfig({ defaults: { [key]: wrong }, environments: [environment] }));
    const found = issues.filter((issue) => issue.path === `defaults.${key}`);
    expect(found).toEqual([expect.objectContaining({ message: expect.stringMatching(/^must be /), value: wrong })]);
  });

  it("a wrongly typed nested default is refused even when every environment sets the key", () => {
    const issues = issuesOf(() =>
      validateConfig({
        defaults: { cluster: { endpoint: true, logs: { retentionDays: "ninety" } }, tags: { team: 7 } },
        environments: [
          minimalEnvironment({
            cluster: { endpoint: { privateAccess: true }, logs: { retentionDays: 30 } },
            tags: { team: "web" },
          }),
        ],
      }),
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      "defaults.cluster.endpoint",
      "defaults.cluster.logs.retentionDays",
      "defaults.tags.team",
    ]);
  });

  it("a default whose value is invalid (not only mistyped) is refused even when every environment overrides it", () => {
    const issues = issuesOf(() =>
      validateConfig({ defaults: { region: "mars-1" }, environments: [minimalEnvironment({ region: "eu-west-1" })] }),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        path: "defaults.region",
        value: "mars-1",
        message: expect.stringMatching(/AWS region/),
      }),
    ]);
  });

  it("valid defaults that every environment overrides are fine", () => {
    expect(() =>
      validateConfig({
        defaults: { region: "eu-central-1", tags: { team: "platform" }, cluster: { kubernetesVersion: "1.34" } },
        environments: [minimalEnvironment({ region: "eu-west-1", tags: { team: "web" } })],
      }),
    ).not.toThrow();
  });
});

describe("keys that name Object.prototype's members", () => {
  // The CI fuzz sample (case 130) crashed here: `shape["__proto__"]` is Object.prototype, not a setting.
  it.each(["__proto__", "constructor", "toString"])(
    "defaults.cluster.access.%s is a config error, not a crash",
    (key) => {
      const config = JSON.parse(`{"defaults":{"cluster":{"access":{"${key}":"x"}}},"environments":[]}`) as Record<
        string,
        unknown
      >;
      config.environments = [minimalEnvironment()];
      expect(issuesOf(() => validateConfig(config))).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: expect.stringMatching(new RegExp(`cluster\\.access\\.${key}$`)) }),
        ]),
      );
    },
  );
});
