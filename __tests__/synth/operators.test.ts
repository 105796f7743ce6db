import type {} from "cdktf/lib/testing/adapters/jest";
import { validateConfig } from "../../modules/plan";
import { issuesOf } from "../helpers/config";
import { synthesizeLayer } from "../helpers/synth";

/**
 * The operators layer: External Secrets Operator (pinned chart, values, identity) and its ClusterSecretStore
 * for SSM Parameter Store. Three environments, synthesized once:
 * - dev: defaults (Pod Identity, `/dev/` prefix, the account's aws/ssm key through SSM only).
 * - prod: IRSA, two prefixes, customer keys, a custom store name, in a China region (partition and DNS suffix).
 * - stage: the operator disabled: no store.
 */

type Json = Record<string, any>;

const account = "111111111111";
const prodKeys = [
  "arn:aws-cn:kms:cn-north-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  "arn:aws-cn:kms:cn-north-1:111111111111:key/9999abcd-12ab-34cd-56ef-1234567890ab",
];

function environment(name: string, overrides: Json = {}): Json {
  return {
    name,
    account,
    region: "eu-west-1",
    vpc: {
      id: "vpc-0a1b2c3d4e5f60718",
      privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
      publicSubnetIds: [],
    },
    dns: { domain: `${name}.example.com`, hostedZoneId: "Z0123456789ABCDEFGHIJ" },
    cluster: { access: { terraformRoleArn: `arn:aws:iam::${account}:role/platform-terraform` } },
    ...overrides,
  };
}

const environments = [
  environment("dev"),
  environment("prod", {
    region: "cn-north-1",
    cluster: { access: { terraformRoleArn: `arn:aws-cn:iam::${account}:role/platform-terraform` } },
    operators: {
      externalSecrets: { ssmPathPrefixes: ["/prod/", "/shared/apps/"], kmsKeyArns: prodKeys, storeName: "ssm" },
    },
    addons: { "external-secrets": { identity: "irsa", values: { replicaCount: 3 } } },
  }),
  environment("stage", { addons: { "external-secrets": { enabled: false } } }),
];

/** The operator's Terraform name: its release, role, policy; its store's release starts with it too. */
const ESO = "external_secrets";
const resources = (stack: Json, type: string): Record<string, Json> => stack.resource?.[type] ?? {};
/** Policies are literal JSON; interpolations such as the IRSA issuer sit inside strings. */
const policyOf = (resource: Json) => JSON.parse(resource.policy ?? resource.assume_role_policy);
const statement = (stack: Json, sid: string) =>
  policyOf(resources(stack, "aws_iam_policy").external_secrets).Statement.find((s: Json) => s.Sid === sid);
const releaseValues = (stack: Json, name: string) => JSON.parse(resources(stack, "helm_release")[name].values[0]);

let synthesized: Record<string, string>;
let stacks: Record<string, Json>;

beforeAll(() => {
  ({ synthesized, stacks } = synthesizeLayer(environments, "operators"));
});

describe("External Secrets Operator release", () => {
  it("is the pinned chart with its CRDs, in its own namespace", () => {
    expect(synthesized.dev).toHaveResourceWithProperties(
      { tfResourceType: "helm_release" },
      {
        name: "external-secrets",
        namespace: "external-secrets",
        create_namespace: false,
        repository: "https://charts.external-secrets.io",
        chart: "external-secrets",
        version: "2.9.0",
        skip_crds: false,
        wait: true,
      },
    );
    expect(releaseValues(stacks.dev, "external_secrets")).toMatchObject({
      installCRDs: true,
      serviceAccount: { create: true, name: "external-secrets" },
    });
  });

  it.each([
    ["replicaCount", 2],
    ["leaderElect", true],
    ["podDisruptionBudget", { enabled: true, minAvailable: 1 }],
    ["webhook.replicaCount", 2],
    ["webhook.podDisruptionBudget", { enabled: true, minAvailable: 1 }],
    ["resources.requests", { cpu: "50m", memory: "128Mi" }],
    ["certController.resources.limits", { memory: "256Mi" }],
  ])("sets %s for a highly available operator", (path, expected) => {
    const value = path
      .split(".")
      .reduce<any>((node, key) => node?.[key], releaseValues(stacks.dev, "external_secrets"));
    expect(value).toEqual(expected);
  });

  it("merges environment overrides over the defaults", () => {
    expect(releaseValues(stacks.prod, "external_secrets")).toMatchObject({
      replicaCount: 3,
      leaderElect: true,
      installCRDs: true,
    });
  });
});

describe("External Secrets identity", () => {
  it("is bound through Pod Identity by default, created before the release", () => {
    expect(resources(stacks.dev, "aws_eks_pod_identity_association").external_secrets).toMatchObject({
      namespace: "external-secrets",
      service_account: "external-secrets",
      role_arn: "${aws_iam_role.external_secrets.arn}",
    });
    expect(resources(stacks.dev, "helm_release").external_secrets.depends_on).toEqual([
      "kubernetes_namespace_v1.external_secrets",
      "aws_iam_role_policy_attachment.external_secrets",
      "aws_eks_pod_identity_association.external_secrets",
    ]);
    const trust = policyOf(resources(stacks.dev, "aws_iam_role").external_secrets).Statement[0];
    expect(trust).toMatchObject({
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: {
        StringEquals: { "aws:SourceAccount": account },
        ArnEquals: { "aws:SourceArn": `arn:aws:eks:eu-west-1:${account}:cluster/dev` },
      },
    });
  });

  it("can use IRSA, trusted for exactly the operator's service account", () => {
    // Other operators add-ons may use Pod Identity; the operator's service account has no association.
    const associations = Object.entries(resources(stacks.prod, "aws_eks_pod_identity_association"));
    expect(
      associations.filter(([name, a]) => name.startsWith(ESO) || a.service_account === "external-secrets"),
    ).toEqual([]);
    expect(releaseValues(stacks.prod, "external_secrets").serviceAccount.annotations).toEqual({
      "eks.amazonaws.com/role-arn": "${aws_iam_role.external_secrets.arn}",
    });
    const trust = policyOf(resources(stacks.prod, "aws_iam_role").external_secrets).Statement[0];
    expect(trust.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(trust.Principal.Federated).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-prod-foundation\.outputs\./,
    );
    const conditions = Object.entries(trust.Condition.StringEquals as Record<string, string>);
    expect(conditions.find(([key]) => key.endsWith(":sub"))?.[1]).toBe(
      "system:serviceaccount:external-secrets:external-secrets",
    );
    expect(conditions.find(([key]) => key.endsWith(":aud"))?.[1]).toBe("sts.amazonaws.com");
  });

  it.each([
    ["dev", ["arn:aws:ssm:eu-west-1:111111111111:parameter/dev/*"]],
    [
      "prod",
      [
        "arn:aws-cn:ssm:cn-north-1:111111111111:parameter/prod/*",
        "arn:aws-cn:ssm:cn-north-1:111111111111:parameter/shared/apps/*",
      ],
    ],
  ])("%s reads parameters only under its path prefixes", (name, arns) => {
    expect(statement(stacks[name], "ReadParametersUnderPrefixes")).toEqual({
      Sid: "ReadParametersUnderPrefixes",
      Effect: "Allow",
      Action: "ssm:GetParameter*",
      Resource: arns,
    });
    expect(statement(stacks[name], "ListParameterNames")).toMatchObject({
      Action: "ssm:DescribeParameters",
      Resource: "*",
    });
  });

  it("decrypts with the account's aws/ssm key only through SSM when no keys are configured", () => {
    expect(statement(stacks.dev, "DecryptThroughSsm")).toEqual({
      Sid: "DecryptThroughSsm",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: "arn:aws:kms:eu-west-1:111111111111:key/*",
      Condition: { StringEquals: { "kms:ViaService": "ssm.eu-west-1.amazonaws.com" } },
    });
  });

  it("decrypts with exactly the configured keys", () => {
    expect(statement(stacks.prod, "DecryptWithConfiguredKeys")).toEqual({
      Sid: "DecryptWithConfiguredKeys",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: prodKeys,
    });
    expect(statement(stacks.prod, "DecryptThroughSsm")).toBeUndefined();
  });

  it.each(["dev", "prod"])("%s grants nothing beyond reading parameters and decrypting", (name) => {
    const actions = policyOf(resources(stacks[name], "aws_iam_policy").external_secrets).Statement.flatMap((s: Json) =>
      [s.Action].flat(),
    );
    expect(actions.sort()).toEqual(["kms:Decrypt", "ssm:DescribeParameters", "ssm:GetParameter*"]);
  });
});

describe("ClusterSecretStore", () => {
  it.each([
    ["dev", "aws-parameter-store", "eu-west-1"],
    ["prod", "ssm", "cn-north-1"],
  ])("%s: a Parameter Store store named %s that uses the controller's own identity", (name, storeName, region) => {
    const release = resources(stacks[name], "helm_release").external_secrets_stores;
    expect(release).toMatchObject({
      name: "external-secrets-stores",
      namespace: "external-secrets",
      chart: expect.stringContaining("platform-manifests"),
    });
    const objects = JSON.parse(release.values[0]).objects;
    expect(objects).toEqual([
      {
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        metadata: { name: storeName },
        spec: { provider: { aws: { service: "ParameterStore", region } } },
      },
    ]);
  });

  it("is applied through Helm after the operator, never as kubernetes_manifest", () => {
    expect(resources(stacks.dev, "helm_release").external_secrets_stores.depends_on).toEqual([
      "helm_release.external_secrets",
    ]);
    expect(resources(stacks.dev, "kubernetes_manifest")).toEqual({});
  });

  it("is not created when the operator is disabled", () => {
    // Neither the operator nor its store (external_secrets_stores) nor its role; other add-ons of the layer may stay.
    const ours = (type: string) => Object.keys(resources(stacks.stage, type)).filter((name) => name.startsWith(ESO));
    expect(ours("helm_release")).toEqual([]);
    expect(ours("aws_iam_role")).toEqual([]);
    expect(ours("aws_iam_policy")).toEqual([]);
  });

  it("reads foundation outputs through terraform_remote_state", () => {
    expect(Object.keys(stacks.dev.data.terraform_remote_state)).toEqual(["cross-stack-reference-input-dev-foundation"]);
  });
});

describe("operators config", () => {
  it.each([
    [
      { kmsKeyArns: ["arn:aws:kms:eu-west-1:111111111111:alias/ssm"] },
      "environments[0].operators.externalSecrets.kmsKeyArns[0]",
    ],
    [{ ssmPathPrefixes: ["dev/"] }, "environments[0].operators.externalSecrets.ssmPathPrefixes[0]"],
    [{ ssmPathPrefixes: [] }, "environments[0].operators.externalSecrets.ssmPathPrefixes"],
  ])("refuses %j", (externalSecrets, path) => {
    const issues = issuesOf(() =>
      validateConfig({ environments: [environment("dev", { operators: { externalSecrets } })] }),
    );
    expect(issues.map((issue) => issue.path)).toContain(path);
  });
});
