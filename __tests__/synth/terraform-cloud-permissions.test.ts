import { Testing } from "cdktf";
import { ADDONS } from "../../modules/addons/catalog";
import { validateConfig } from "../../modules/plan";
import { actionCovers } from "../../modules/terraform-json";
import { platformRoleNames } from "../../modules/terraform-cloud/layer-iam-policy";
import { Platform } from "../../stacks/platform";
import { fixtureStacks } from "../helpers/fixtures";
import { synthesizeAppOnce } from "../helpers/synth";
import { MANAGED_CLUSTER, managedEnvironment } from "../helpers/terraform-cloud-config";

/**
 * What the Terraform Cloud run roles may do (issue 22 items 1, 2), read from the synthesized policies; the IAM
 * simulation (__tests__/synth/iam-simulation) judges the same policies call by call. dev: its runs build the
 * platform; prod: they assume the environment's role.
 */

type Json = Record<string, any>;
const LAYERS = ["foundation", "network", "storage", "operators"] as const;
const environments = [
  managedEnvironment("dev"),
  managedEnvironment("prod", {
    account: "222222222222",
    assumeRoleArn: "arn:aws:iam::222222222222:role/deploy",
    cluster: { ...MANAGED_CLUSTER, name: "prod-main" },
  }),
];
const BOUNDARY = "arn:aws:iam::111111111111:policy/terraform-cloud/tfc-dev-boundary";

const { stack } = synthesizeAppOnce((app) => new Platform(app, { config: validateConfig({ environments }) }));
const tfc = () => stack("terraform-cloud");
const policy = (address: string): Json[] => JSON.parse(tfc().resource.aws_iam_policy[address].policy).Statement;
const attached = (role: string): string[] =>
  Object.values<Json>(tfc().resource.aws_iam_role_policy_attachment)
    .filter((attachment) => attachment.role === `\${aws_iam_role.${role}.name}`)
    .map((attachment) => attachment.policy_arn)
    .sort();
const actions = (statements: Json[], effect = "Allow"): string[] =>
  statements.filter((statement) => statement.Effect === effect).flatMap((statement) => [statement.Action ?? []].flat());

describe("with an assumeRoleArn (prod)", () => {
  it("every run role, plan and apply, may only assume that role; nothing else is attached", () => {
    expect(policy("prod_run")).toEqual([
      {
        Sid: "AssumeEnvironmentRole",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: "arn:aws:iam::222222222222:role/deploy",
      },
      {
        Sid: "AssumeNoOtherRole",
        Effect: "Deny",
        Action: "sts:AssumeRole",
        NotResource: "arn:aws:iam::222222222222:role/deploy",
      },
    ]);
    for (const layer of LAYERS)
      for (const role of [`prod_${layer}`, `prod_${layer}_plan`])
        expect(attached(role)).toEqual(["${aws_iam_policy.prod_run.arn}"]);
    expect(tfc().resource.aws_iam_policy.prod_boundary).toBeUndefined();
    for (const layer of LAYERS)
      for (const role of Object.values<Json>(stack(`prod-${layer}`).resource?.aws_iam_role ?? {}))
        expect(role.permissions_boundary).toBeUndefined();
  });
});

describe("when the runs build the platform (dev)", () => {
  it("no PowerUserAccess or other AWS managed policy: the run policy, the reads, and the layer's own writes", () => {
    for (const layer of LAYERS) {
      expect(attached(`dev_${layer}`)).toEqual(
        ["dev_run", "dev_reads", `dev_${layer}`, `dev_${layer}_iam`]
          .map((name) => `\${aws_iam_policy.${name}.arn}`)
          .sort(),
      );
      expect(attached(`dev_${layer}_plan`)).toEqual([
        "${aws_iam_policy.dev_reads.arn}",
        "${aws_iam_policy.dev_run.arn}",
      ]);
    }
    const managed = Object.values<Json>(tfc().resource.aws_iam_role_policy_attachment).filter((attachment) =>
      attachment.policy_arn.startsWith("arn:aws:iam::aws:policy/"),
    );
    expect(managed).toEqual([]);
  });

  it("plan roles read and write nothing", () => {
    for (const action of actions(policy("dev_reads"))) expect(action).toMatch(/^[\w-]+:(Describe|Get|List)/);
  });

  it("the operators layer writes no EC2, VPC or KMS; only the foundation writes the network and the cluster", () => {
    const writes = (layer: string) => actions([...policy(`dev_${layer}`), ...policy(`dev_${layer}_iam`)]);
    for (const action of writes("operators")) expect(action).not.toMatch(/^(ec2|kms|elasticfilesystem|acm|route53):/);
    expect(writes("network").filter((action) => /^(ec2|kms):/.test(action))).toEqual([]);
    expect(writes("storage").filter((action) => action === "ec2:*")).toEqual([]);
    expect(writes("foundation")).toContain("ec2:*");
  });

  it("the run policy's guard rails: a role only with the boundary, the boundary kept, /terraform-cloud/ untouched, no role assumed", () => {
    const byId = Object.fromEntries(policy("dev_run").map((statement) => [statement.Sid, statement]));
    expect(byId.NoRoleWithoutTheBoundary).toMatchObject({
      Effect: "Deny",
      Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
      Condition: { StringNotEquals: { "iam:PermissionsBoundary": BOUNDARY } },
    });
    expect(byId.KeepBoundaries).toMatchObject({ Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary" });
    expect(byId.ProtectTerraformCloudIdentities.Resource).toEqual([
      BOUNDARY,
      "arn:aws:iam::111111111111:policy/terraform-cloud/*",
      "arn:aws:iam::111111111111:role/terraform-cloud/*",
    ]);
    expect(byId.AssumeNoRole).toEqual({ Sid: "AssumeNoRole", Effect: "Deny", Action: "sts:AssumeRole", Resource: "*" });
  });

  it("every role of dev's platform stacks carries the boundary, which the terraform-cloud stack defines", () => {
    expect(tfc().resource.aws_iam_policy.dev_boundary).toMatchObject({
      name: "tfc-dev-boundary",
      path: "/terraform-cloud/",
    });
    const roles = LAYERS.flatMap((layer) => Object.values<Json>(stack(`dev-${layer}`).resource?.aws_iam_role ?? {}));
    expect(roles.length).toBeGreaterThan(5);
    for (const role of roles) expect([role.name, role.permissions_boundary]).toEqual([role.name, BOUNDARY]);
  });

  it("each layer's IAM names exactly the roles and policies its stack creates, and no other layer's", () => {
    for (const layer of LAYERS) {
      const granted = policy(`dev_${layer}_iam`).find((statement) => statement.Sid === "LayerRoles")?.Resource ?? [];
      const resources = stack(`dev-${layer}`).resource ?? {};
      const roles = Object.values<Json>(resources.aws_iam_role ?? {}).map(
        (role) => `arn:aws:iam::111111111111:role/${role.name}`,
      );
      expect(granted).toEqual(expect.arrayContaining(roles));
      for (const other of LAYERS.filter((candidate) => candidate !== layer))
        for (const role of Object.values<Json>(stack(`dev-${other}`).resource?.aws_iam_role ?? {}))
          expect(granted).not.toContain(`arn:aws:iam::111111111111:role/${role.name}`);
      const policies =
        policy(`dev_${layer}_iam`).find((statement) => statement.Sid === "LayerPolicies")?.Resource ?? [];
      for (const created of Object.values<Json>(resources.aws_iam_policy ?? {}))
        expect(
          policies.some((pattern: string) => actionCovers(pattern, `arn:aws:iam::111111111111:policy/${created.name}`)),
        ).toBe(true);
    }
  });

  it("role names stay exact for long cluster names, as roleName cuts them", () => {
    const cluster = "a-very-long-cluster-name-for-the-payments-team-of-the-company-x";
    const names = platformRoleNames(cluster, ADDONS);
    for (const name of Object.values(names).flat()) expect(name.length).toBeLessThanOrEqual(64);
    expect(names.foundation).toContain(`${cluster.slice(0, 49)}-karpenter-node`);
    expect(names.operators).toEqual([`${cluster.slice(0, 63 - "external-secrets".length)}-external-secrets`]);
  });

  it("keeps every policy under IAM's 6,144 characters, for a 100-character cluster name too", () => {
    const long = "c".repeat(100);
    const app = Testing.app();
    const platform = new Platform(app, {
      config: validateConfig({
        environments: [managedEnvironment("dev", { cluster: { ...MANAGED_CLUSTER, name: long } })],
      }),
    });
    const json = JSON.parse(Testing.synth(platform.terraformCloud!));
    for (const [address, body] of Object.entries<Json>(json.resource.aws_iam_policy))
      expect([address, body.policy.replace(/\s/g, "").length < 6144]).toEqual([address, true]);
  });
});

/**
 * The AWS managed policies' actions (from memory of the published documents; no AWS access here): the boundary
 * must cover them too, since the cluster, nodes and Fargate carry those policies.
 */
const MANAGED_POLICY_ACTIONS = [
  "autoscaling:DescribeAutoScalingGroups",
  "autoscaling:UpdateAutoScalingGroup",
  "ec2:CreateNetworkInterface",
  "ec2:AssignPrivateIpAddresses",
  "ec2:DescribeInstances",
  "elasticloadbalancing:DescribeLoadBalancers",
  "iam:CreateServiceLinkedRole",
  "kms:CreateGrant",
  "kms:DescribeKey",
  "eks:DescribeCluster",
  "eks-auth:AssumeRoleForPodIdentity",
  "ecr:GetAuthorizationToken",
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchCheckLayerAvailability",
  "ssm:UpdateInstanceInformation",
  "ssm:ListInstanceAssociations",
  "ssm:GetDocument",
  "ssmmessages:CreateControlChannel",
  "ec2messages:GetMessages",
];

describe("the permissions boundary", () => {
  const boundaryAllows = (action: string) =>
    policy("dev_boundary")
      .filter((statement) => statement.Effect === "Allow")
      .some((statement) => [statement.Action].flat().some((pattern: string) => actionCovers(pattern, action)));

  it("allows every action of every policy the platform synthesizes, and of the AWS managed ones it attaches", () => {
    const platformStacks = [
      ...LAYERS.map((layer) => stack(`dev-${layer}`)),
      ...fixtureStacks("example").values(),
      ...[...fixtureStacks("all-options")].filter(([name]) => name !== "terraform-cloud").map(([, json]) => json),
    ];
    const used = new Set(MANAGED_POLICY_ACTIONS);
    for (const json of platformStacks)
      for (const body of Object.values<Json>(json.resource?.aws_iam_policy ?? {}))
        for (const action of actions(JSON.parse(body.policy).Statement)) used.add(action);
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((action) => !boundaryAllows(action))).toEqual([]);
  });

  it("denies IAM writes, sts:AssumeRole, Organizations and Account: explicitly, whatever a role's own policy says", () => {
    for (const action of [
      "iam:CreateRole",
      "iam:AttachRolePolicy",
      "iam:PutRolePolicy",
      "sts:AssumeRole",
      "organizations:LeaveOrganization",
      "account:PutAlternateContact",
      "ssm:SendCommand",
      "ecr:PutImage",
      "kms:PutKeyPolicy",
    ])
      expect([action, boundaryAllows(action)]).toEqual([action, false]);
    const deny = policy("dev_boundary").find((statement) => statement.Sid === "DenyEverythingElse");
    expect(deny).toMatchObject({ Effect: "Deny", Resource: "*" });
    expect(deny?.NotAction.some((pattern: string) => actionCovers(pattern, "iam:CreateRole"))).toBe(false);
    expect(deny?.NotAction.some((pattern: string) => actionCovers(pattern, "sts:AssumeRole"))).toBe(false);
  });
});
