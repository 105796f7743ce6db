import { Testing } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { Platform } from "../../stacks/platform";
import { issuesOf, minimalEnvironment as env } from "../helpers/config";
import { managedEnvironment } from "../helpers/terraform-cloud-config";

/**
 * Terraform Cloud as code across accounts (issue 22 items 1, 3, 4): how the terraform-cloud stack reaches each
 * account (`terraformCloud.accounts.<id>.bootstrapRoleArn`, refused without when a second account has none),
 * the account's shared OIDC provider (adopted by ARN, or created and never destroyed nor stripped of audiences),
 * and cluster names whose IAM names overlap in an account (refused: a run of one could change the other's roles).
 */

type Json = Record<string, any>;
const bootstrap = (account: string) => `arn:aws:iam::${account}:role/platform-bootstrap`;
const issues = (config: Json) =>
  issuesOf(() => validateConfig(config)).map((issue) => ({ path: issue.path, message: issue.message, fix: issue.fix }));
const terraformCloud = (config: Json): Json => {
  const app = Testing.app();
  const platform = new Platform(app, { config: validateConfig(config) });
  return JSON.parse(Testing.synth(platform.terraformCloud!));
};

describe("reaching every account", () => {
  const twoAccounts = [managedEnvironment("dev"), managedEnvironment("prod", { account: "222222222222" })];

  it("refuses a second account the stack has no role for, naming the fix", () => {
    expect(issues({ environments: twoAccounts })).toEqual([
      {
        path: "terraformCloud.accounts.222222222222.bootstrapRoleArn",
        message: expect.stringContaining("one credential chain"),
        fix: expect.stringContaining("terraformCloud.accounts.222222222222.bootstrapRoleArn"),
      },
    ]);
  });

  it("assumes each account's bootstrap role (else its environment's assumeRoleArn), and the first account may use the caller's", () => {
    const json = terraformCloud({
      environments: twoAccounts,
      terraformCloud: {
        accounts: { "222222222222": { bootstrapRoleArn: bootstrap("222222222222"), externalId: "ext-1" } },
      },
    });
    const [dev, prod] = json.provider.aws;
    expect(dev).toMatchObject({ alias: "account_111111111111", allowed_account_ids: ["111111111111"] });
    expect(dev.assume_role).toBeUndefined();
    expect(prod).toMatchObject({
      alias: "account_222222222222",
      allowed_account_ids: ["222222222222"],
      assume_role: [
        { role_arn: bootstrap("222222222222"), external_id: "ext-1", session_name: "cdktf-terraform-cloud" },
      ],
    });
  });

  it("refuses an account no environment with dynamic credentials uses, and a role or provider of another account", () => {
    expect(
      issues({
        environments: [managedEnvironment("dev")],
        terraformCloud: {
          accounts: {
            "111111111111": {
              bootstrapRoleArn: bootstrap("999999999999"),
              oidcProviderArn: "arn:aws:iam::999999999999:oidc-provider/app.terraform.io",
            },
            "333333333333": { bootstrapRoleArn: bootstrap("333333333333") },
          },
        },
      }).map((issue) => issue.path),
    ).toEqual([
      "terraformCloud.accounts.111111111111.bootstrapRoleArn",
      "terraformCloud.accounts.111111111111.oidcProviderArn",
      "terraformCloud.accounts.333333333333",
    ]);
    expect(
      issues({
        environments: [managedEnvironment("dev")],
        terraformCloud: {
          accounts: { "111111111111": { oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/tfe.example.com" } },
        },
      }),
    ).toEqual([expect.objectContaining({ path: "terraformCloud.accounts.111111111111.oidcProviderArn" })]);
  });
});

describe("the account's OIDC provider for the host", () => {
  it("is created never to be destroyed by a plan, and keeps audiences others add", () => {
    const json = terraformCloud({ environments: [managedEnvironment("dev")] });
    expect(json.resource.aws_iam_openid_connect_provider.oidc_app_terraform_io_111111111111).toMatchObject({
      url: "https://app.terraform.io",
      client_id_list: ["aws.workload.identity"],
      lifecycle: { prevent_destroy: true, ignore_changes: ["client_id_list"] },
    });
  });

  it("is adopted by ARN: not managed, forgotten (not destroyed) if this stack made it before, and trusted", () => {
    const arn = "arn:aws:iam::111111111111:oidc-provider/app.terraform.io";
    const json = terraformCloud({
      environments: [managedEnvironment("dev")],
      terraformCloud: { accounts: { "111111111111": { oidcProviderArn: arn } } },
    });
    expect(json.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(json.removed).toEqual([
      { from: "aws_iam_openid_connect_provider.oidc_app_terraform_io_111111111111", lifecycle: { destroy: false } },
    ]);
    for (const role of Object.values<Json>(json.resource.aws_iam_role))
      expect(JSON.parse(role.assume_role_policy).Statement[0].Principal.Federated).toBe(arn);
  });
});

describe("cluster names whose IAM names overlap in an account", () => {
  it("are refused when a run role of one could change the other's roles (dev beside dev-eu)", () => {
    expect(
      issues({ environments: [managedEnvironment("dev"), env({ name: "dev-eu", cluster: { name: "dev-eu" } })] }),
    ).toContainEqual(
      expect.objectContaining({
        path: "environments[1].cluster.name",
        message: expect.stringContaining("dev-"),
        fix: expect.stringContaining("rename"),
      }),
    );
    const long = "payments-platform-production-cluster";
    expect(
      issues({
        environments: [
          managedEnvironment("a", {
            cluster: {
              name: `${long}-a`,
              endpoint: { publicAccessCidrs: ["203.0.113.0/24"] },
              access: { terraformRoleArn: undefined },
            },
          }),
          env({ name: "b", cluster: { name: `${long}-b` } }),
        ],
      }),
    ).toContainEqual(expect.objectContaining({ path: "environments[1].cluster.name" }));
  });

  it("are fine in different accounts, or when neither environment's runs build the platform", () => {
    expect(() =>
      validateConfig({ environments: [managedEnvironment("dev"), env({ name: "dev-eu", account: "222222222222" })] }),
    ).not.toThrow();
    expect(() => validateConfig({ environments: [env({ name: "dev" }), env({ name: "dev-eu" })] })).not.toThrow();
  });
});
