import { validateConfig } from "../../modules/plan";
import type { ConfigIssue } from "../../modules/errors";
import { issuesOf as issuesOfRun } from "../helpers/config";
import { TERRAFORM, environment } from "../helpers/foundation-config";

/**
 * The config rules that guard the foundation's options (synth/foundation-variants.test.ts synthesizes the options):
 * the Terraform role, exec authentication, DNS for the network layer, access principals, the created VPC's CIDR,
 * cluster names across regions.
 */

type Json = Record<string, any>;

const issuesOf = (environments: Json[]): ReadonlyArray<ConfigIssue> =>
  issuesOfRun(() => validateConfig({ environments }));

describe("config rules", () => {
  const existingVpc = {
    id: "vpc-0a1b2c3d4e5f60718",
    privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
    publicSubnetIds: [],
  };

  it.each([
    [
      "a Terraform role other than the role the providers assume",
      {
        vpc: existingVpc,
        assumeRoleArn: "arn:aws:iam::111111111111:role/deployer",
        cluster: { access: { terraformRoleArn: TERRAFORM } },
      },
      "environments[0].cluster.access.terraformRoleArn",
      "differs from assumeRoleArn (arn:aws:iam::111111111111:role/deployer)",
    ],
    [
      "an STS session ARN as the Terraform role",
      {
        vpc: existingVpc,
        cluster: {
          access: { terraformRoleArn: "arn:aws:sts::111111111111:assumed-role/platform-terraform/ci-run-42" },
        },
      },
      "environments[0].cluster.access.terraformRoleArn",
      "is an STS session ARN",
    ],
    [
      "an Identity Center role without its path",
      {
        vpc: existingVpc,
        cluster: {
          access: {
            terraformRoleArn: TERRAFORM,
            principals: [
              { arn: "arn:aws:iam::111111111111:role/AWSReservedSSO_Admin_0123456789abcdef", level: "view" },
            ],
          },
        },
      },
      "environments[0].cluster.access.principals[0].arn",
      "without its path",
    ],
    [
      "exec auth with an external id",
      {
        vpc: existingVpc,
        assumeRoleArn: "arn:aws:iam::111111111111:role/platform-terraform",
        externalId: "tenant-42",
        cluster: { kubernetesAuth: "exec", access: { terraformRoleArn: TERRAFORM } },
      },
      "environments[0].cluster.kubernetesAuth",
      "cannot pass externalId",
    ],
    [
      "the network layer without dns",
      { vpc: existingVpc, dns: undefined, cluster: { access: { terraformRoleArn: TERRAFORM } } },
      "environments[0].dns",
      "is required by the network layer",
    ],
    [
      "a duplicate principal",
      {
        vpc: existingVpc,
        cluster: {
          access: {
            terraformRoleArn: TERRAFORM,
            principals: [
              { arn: "arn:aws:iam::111111111111:role/a", level: "view" },
              { arn: "arn:aws:iam::111111111111:role/a", level: "edit" },
            ],
          },
        },
      },
      "environments[0].cluster.access.principals[1].arn",
      "duplicate principal",
    ],
    [
      "a principal that grants nothing",
      {
        vpc: existingVpc,
        cluster: { access: { terraformRoleArn: TERRAFORM, principals: [{ arn: "arn:aws:iam::111111111111:role/a" }] } },
      },
      "environments[0].cluster.access.principals[0]",
      "grants nothing",
    ],
    [
      "namespaces without a level",
      {
        vpc: existingVpc,
        cluster: {
          access: {
            terraformRoleArn: TERRAFORM,
            principals: [{ arn: "arn:aws:iam::111111111111:role/a", groups: ["g"], namespaces: ["apps"] }],
          },
        },
      },
      "environments[0].cluster.access.principals[0].namespaces",
      "only scopes a `level`",
    ],
    [
      "a VPC too small for its AZs",
      { vpc: { create: { cidr: "10.0.0.0/26", azs: ["eu-west-1a", "eu-west-1b"] } } },
      "environments[0].vpc.create.cidr",
      "too small",
    ],
    [
      "a VPC CIDR with host bits",
      { vpc: { create: { cidr: "10.0.0.1/16", azs: ["eu-west-1a", "eu-west-1b"] } } },
      "environments[0].vpc.create.cidr",
      "host bits",
    ],
    [
      "an AZ outside the region",
      { vpc: { create: { cidr: "10.0.0.0/16", azs: ["eu-west-1a", "us-east-1b"] } } },
      "environments[0].vpc.create.azs[1]",
      "not in the environment's region",
    ],
  ])("refuses %s", (_case, overrides, path, message) => {
    const issues = issuesOf([environment("dev", overrides)]);
    expect(issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining(message) })]),
    );
  });

  it("refuses no Terraform role: the access entry would go to whoever runs Terraform (issue 25)", () => {
    expect(issuesOf([environment("dev", { vpc: existingVpc, cluster: { access: {} } })])).toEqual([
      expect.objectContaining({ path: "environments[0].cluster.access.terraformRoleArn" }),
    ]);
  });

  it("refuses one cluster name in two regions of one account (IAM names are global), naming both environments", () => {
    const issues = issuesOf([
      environment("dev", { vpc: existingVpc }),
      environment("dev-us", {
        vpc: existingVpc,
        region: "us-east-1",
        cluster: { name: "dev", access: { terraformRoleArn: TERRAFORM } },
      }),
    ]);
    expect(issues).toEqual([
      expect.objectContaining({
        path: "environments[1].cluster.name",
        message: expect.stringContaining("environments[0] (dev) in the same account (eu-west-1; IAM role names"),
      }),
    ]);
  });
});
