import { validateConfig } from "../../modules/plan";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Issue item 6: mistakes that used to fail at apply (or never) are refused at validation, with path, value and
 * fix: reserved or broken tags, quantities that do not parse or are zero, percentages over 100, negative
 * replicas in any delivery, duplicated subnets, KMS aliases where a key is needed, names that collide once
 * derived.
 */

const issues = (...environments: Array<Record<string, unknown>>) => issuesOf(() => validateConfig({ environments }));
const one = (overrides: Record<string, unknown>) => issues(minimalEnvironment(overrides));

const P1 = "subnet-0a1b2c3d4e5f60001";
const P2 = "subnet-0a1b2c3d4e5f60002";

describe("refused at validation", () => {
  it.each([
    [
      "a tag key with the reserved aws: prefix",
      { tags: { "aws:cost": "x" } },
      'tags["aws:cost"]',
      /reserved by AWS/,
      "aws:cost",
    ],
    ["the prefix in capitals", { tags: { "AWS:team": "x" } }, 'tags["AWS:team"]', /reserved by AWS/, "AWS:team"],
    [
      "a control character in a tag key",
      { tags: { "team\u0007": "x" } },
      'tags["team\\u0007"]',
      /control characters/,
      "team\u0007",
    ],
    ["a newline in a tag value", { tags: { team: "a\nb" } }, "tags.team", /control characters/, "a\nb"],
    [
      "a node pool memory limit that does not parse",
      { karpenter: { nodePools: [{ name: "a", limits: { memory: "lots" } }] } },
      "karpenter.nodePools[0].limits.memory",
      /Kubernetes quantity/,
      "lots",
    ],
    [
      "a zero CPU limit",
      { karpenter: { nodePools: [{ name: "a", limits: { cpu: "0" } }] } },
      "karpenter.nodePools[0].limits.cpu",
      /more than zero/,
      "0",
    ],
    [
      "a zero memory limit with a unit",
      { karpenter: { nodePools: [{ name: "a", limits: { memory: "0Gi" } }] } },
      "karpenter.nodePools[0].limits.memory",
      /more than zero/,
      "0Gi",
    ],
    [
      "a zero root volume",
      { karpenter: { rootVolumeSize: "0Gi" } },
      "karpenter.rootVolumeSize",
      /1Gi to 16384Gi/,
      "0Gi",
    ],
    [
      "a resource request in values that does not parse",
      {
        addons: { reloader: { values: { reloader: { deployment: { resources: { requests: { memory: "big" } } } } } } },
      },
      "addons.reloader.values.reloader.deployment.resources.requests.memory",
      /Kubernetes quantity/,
      "big",
    ],
    [
      "a disruption budget over 100%",
      { karpenter: { nodePools: [{ name: "a", disruption: { budget: "101%" } }] } },
      "karpenter.nodePools[0].disruption.budget",
      /over 100/,
      "101%",
    ],
    [
      "a percentage over 100 in values",
      { addons: { "cert-manager": { values: { podDisruptionBudget: { maxUnavailable: "150%" } } } } },
      "addons.cert-manager.values.podDisruptionBudget.maxUnavailable",
      /over 100/,
      "150%",
    ],
    [
      "negative replicas of an EKS add-on",
      { addons: { "metrics-server": { values: { replicas: -1 } } } },
      "addons.metrics-server.values.replicas",
      /0 or more/,
      -1,
    ],
    [
      "negative replicas deep in Helm values",
      { addons: { reloader: { values: { reloader: { deployment: { replicas: -2 } } } } } },
      "addons.reloader.values.reloader.deployment.replicas",
      /0 or more/,
      -2,
    ],
    [
      "fractional replicas",
      { addons: { karpenter: { values: { webhook: { replicaCount: 1.5 } } } } },
      "addons.karpenter.values.webhook.replicaCount",
      /whole number/,
      1.5,
    ],
    [
      "a private subnet listed twice",
      { vpc: { privateSubnetIds: [P1, P2, P1] } },
      "vpc.privateSubnetIds[2]",
      /twice/,
      P1,
    ],
    [
      "a subnet that is private and public",
      { vpc: { publicSubnetIds: [P2] } },
      "vpc.publicSubnetIds[0]",
      /also listed as a private subnet/,
      P2,
    ],
    [
      "an alias where a key ARN is needed",
      { cluster: { kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:alias/eks" } },
      "cluster.kmsKeyArn",
      /is an alias/,
      "arn:aws:kms:eu-west-1:111111111111:alias/eks",
    ],
  ])("%s", (_what, overrides, path, message, value) => {
    expect(one(overrides)).toContainEqual(
      expect.objectContaining({ path: `environments[0].${path}`, message: expect.stringMatching(message), value }),
    );
  });

  it("reports a value the delivery's schema already refuses once", () => {
    const found = one({ addons: { coredns: { values: { replicaCount: -1 } } } }).filter(
      (issue) => issue.path === "environments[0].addons.coredns.values.replicaCount",
    );
    expect(found).toHaveLength(1);
  });
});

describe("names that collide once derived", () => {
  const principal = (arn: string) => ({ arn, level: "view" });

  it.each([
    ["role/ops and user/ops", "arn:aws:iam::111111111111:role/ops", "arn:aws:iam::111111111111:user/ops"],
    ["role/team.a and role/team_a", "arn:aws:iam::111111111111:role/team.a", "arn:aws:iam::111111111111:role/team_a"],
  ])("access principals %s share a Terraform address", (_what, first, second) => {
    expect(one({ cluster: { access: { principals: [principal(first), principal(second)] } } })).toEqual([
      expect.objectContaining({
        path: "environments[0].cluster.access.principals[1].arn",
        value: second,
        message: expect.stringContaining("same Terraform address"),
        fix: expect.any(String),
      }),
    ]);
  });

  it("clusters of one account whose names differ only after IAM's 64 characters", () => {
    const prefix = "platform-".repeat(6);
    const found = issues(
      minimalEnvironment({ name: "one", cluster: { name: `${prefix}one` } }),
      minimalEnvironment({ name: "two", cluster: { name: `${prefix}two` } }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({
        path: "environments[1].cluster.name",
        value: `${prefix}two`,
        message: expect.stringContaining("cut to 64 characters"),
      }),
    );
  });

  it("clusters of one region whose Karpenter EventBridge rules keep only 20 characters of the name", () => {
    const found = issues(
      minimalEnvironment({ name: "one", cluster: { name: "payments-team-cluster-a" } }),
      minimalEnvironment({ name: "two", cluster: { name: "payments-team-cluster-b" } }),
    );
    expect(found).toEqual([
      expect.objectContaining({
        path: "environments[1].cluster.name",
        message: expect.stringContaining(
          "EventBridge rule payments-team-cluste-karpenter-capacity-reservation-interruption",
        ),
        fix: expect.stringContaining("first 20 characters"),
      }),
    ]);
    expect(() =>
      validateConfig({
        environments: [
          minimalEnvironment({ name: "one", cluster: { name: "payments-team-cluster-a" } }),
          minimalEnvironment({ name: "two", region: "eu-central-1", cluster: { name: "payments-team-cluster-b" } }),
        ],
      }),
    ).not.toThrow();
  });

  it("the same long names in different accounts are fine", () => {
    const prefix = "platform-".repeat(6);
    expect(() =>
      validateConfig({
        environments: [
          minimalEnvironment({ name: "one", cluster: { name: `${prefix}one` } }),
          minimalEnvironment({
            name: "two",
            account: "222222222222",
            cluster: {
              name: `${prefix}two`,
              access: { terraformRoleArn: "arn:aws:iam::222222222222:role/platform-terraform" },
            },
          }),
        ],
      }),
    ).not.toThrow();
  });
});
