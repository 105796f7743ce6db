import { LAYERS, resourceOf, tfc } from "../helpers/terraform-cloud-app";

/**
 * Terraform Cloud as code, AWS dynamic credentials: the IAM OIDC provider per account, the AWS providers locked to
 * their accounts, and each workspace's plan and apply roles with their trusts and variables. The `terraform-cloud-
 * managed` fixture (the app terraform-cloud.test.ts reads too).
 */

type Json = Record<string, any>;

describe("AWS dynamic credentials", () => {
  it("has one IAM OIDC provider per account, for the host name and audience aws.workload.identity", () => {
    expect(tfc().resource.aws_iam_openid_connect_provider).toEqual({
      oidc_app_terraform_io_111111111111: expect.objectContaining({
        url: "https://app.terraform.io",
        client_id_list: ["aws.workload.identity"],
        provider: "aws.account_111111111111",
      }),
      oidc_app_terraform_io_222222222222: expect.objectContaining({
        url: "https://app.terraform.io",
        client_id_list: ["aws.workload.identity"],
        provider: "aws.account_222222222222",
      }),
    });
  });

  it("locks each account's AWS provider to it, assuming the environment's role where it has one", () => {
    const [dev, prod] = tfc().provider.aws;
    expect(dev).toMatchObject({
      alias: "account_111111111111",
      allowed_account_ids: ["111111111111"],
      region: "eu-west-1",
    });
    expect(dev.assume_role).toBeUndefined();
    expect(prod).toMatchObject({
      alias: "account_222222222222",
      allowed_account_ids: ["222222222222"],
      assume_role: [
        {
          role_arn: "arn:aws:iam::222222222222:role/deploy",
          external_id: "ext-4711",
          session_name: "cdktf-terraform-cloud",
        },
      ],
    });
  });

  it("gives dev-foundation's apply role a trust for exactly that workspace's applies, and its plan role for its plans", () => {
    const trust = (subject: string) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "TerraformCloudWorkspace",
          Effect: "Allow",
          Principal: { Federated: "${aws_iam_openid_connect_provider.oidc_app_terraform_io_111111111111.arn}" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "app.terraform.io:aud": "aws.workload.identity",
              "app.terraform.io:sub": `organization:acme:project:platform:workspace:eks-dev-foundation:run_phase:${subject}`,
            },
          },
        },
      ],
    });
    const apply = resourceOf("aws_iam_role", "dev_foundation");
    expect(apply).toMatchObject({
      name: "tfc-dev-foundation",
      path: "/terraform-cloud/",
      provider: "aws.account_111111111111",
    });
    expect(JSON.parse(apply.assume_role_policy)).toEqual(trust("apply"));
    const plan = resourceOf("aws_iam_role", "dev_foundation_plan");
    expect(plan).toMatchObject({ name: "tfc-dev-foundation-plan", path: "/terraform-cloud/" });
    expect(JSON.parse(plan.assume_role_policy)).toEqual(trust("plan"));
  });

  it.each(["dev", "prod"].flatMap((name) => LAYERS.map((layer) => [name, layer] as const)))(
    "%s %s: a plan role and an apply role, trusted by their own workspace and run phase only",
    (name, layer) => {
      const cluster = name === "prod" ? "prod-main" : "dev";
      for (const [address, role, phase] of [
        [`${name}_${layer}`, `tfc-${cluster}-${layer}`, "apply"],
        [`${name}_${layer}_plan`, `tfc-${cluster}-${layer}-plan`, "plan"],
      ]) {
        const body = resourceOf("aws_iam_role", address);
        expect(body.name).toBe(role);
        const statement = JSON.parse(body.assume_role_policy).Statement[0];
        expect(statement.Condition.StringEquals["app.terraform.io:sub"]).toBe(
          `organization:acme:project:platform:workspace:eks-${name}-${layer}:run_phase:${phase}`,
        );
        expect(statement.Condition.StringLike).toBeUndefined();
        expect(statement.Principal.Federated).toBe(
          `\${aws_iam_openid_connect_provider.oidc_app_terraform_io_${name === "prod" ? "222222222222" : "111111111111"}.arn}`,
        );
      }
    },
  );

  it.each(["dev", "prod"].flatMap((name) => LAYERS.map((layer) => [name, layer] as const)))(
    "%s %s: the workspace's plans use its plan role, its applies its apply role",
    (name, layer) => {
      const variables = tfc().resource.tfe_variable;
      const workspace = `\${tfe_workspace.${name}_${layer}.id}`;
      expect(variables[`${name}_${layer}_aws_provider_auth`]).toMatchObject({
        key: "TFC_AWS_PROVIDER_AUTH",
        value: "true",
        category: "env",
        workspace_id: workspace,
      });
      expect(variables[`${name}_${layer}_aws_plan_role_arn`]).toMatchObject({
        key: "TFC_AWS_PLAN_ROLE_ARN",
        value: `\${aws_iam_role.${name}_${layer}_plan.arn}`,
        category: "env",
        workspace_id: workspace,
      });
      expect(variables[`${name}_${layer}_aws_apply_role_arn`]).toMatchObject({
        key: "TFC_AWS_APPLY_ROLE_ARN",
        value: `\${aws_iam_role.${name}_${layer}.arn}`,
        category: "env",
        workspace_id: workspace,
      });
      // Both phases named: HCP Terraform needs no TFC_AWS_RUN_ROLE_ARN.
      expect(Object.values<Json>(variables).filter((variable) => variable.key === "TFC_AWS_RUN_ROLE_ARN")).toEqual([]);
    },
  );
});
