import { z } from "zod";
import { fields } from "./fields";
import { bounded, externalId } from "./text";

/**
 * `terraformCloud.accounts.<account id>`: how the terraform-cloud stack reaches each AWS account it writes run
 * roles to, and the account's existing HCP Terraform OIDC provider when it has one. The cross-field rules (an
 * account no environment uses, an ARN of another account, a second account without a role) are in
 * modules/terraform-cloud/account-issues.ts.
 */
export const terraformCloudAccountSchema = z.strictObject({
  bootstrapRoleArn: fields.roleArn
    .optional()
    .describe(
      "Role in this account the terraform-cloud stack's AWS provider assumes (a role that may manage IAM roles, policies and OIDC providers; your credentials must be allowed to assume it). Default: the first environment's `assumeRoleArn` in the account, else the credentials you apply with. One apply has one credential chain, so every account but one needs a role.",
    ),
  externalId: externalId.optional().describe("External id for `bootstrapRoleArn`, when its trust policy requires one."),
  oidcProviderArn: bounded(2048)
    .regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/[a-z0-9.-]+$/, {
      message: "must be an IAM OIDC provider ARN (arn:aws:iam::<12 digits>:oidc-provider/<host name>)",
    })
    .optional()
    .describe(
      "The account's existing IAM OIDC provider for a Terraform Cloud host (`arn:aws:iam::<account>:oidc-provider/app.terraform.io`), shared with other workspaces: the run roles trust it and the stack does not manage it. Its audiences must include `aws.workload.identity`. Omitted: the stack creates the host's provider (never destroyed by a plan: `prevent_destroy`; audiences others add are kept).",
    ),
});

export const terraformCloudAccountsSchema = z
  .record(fields.account, terraformCloudAccountSchema)
  .default({})
  .describe(
    "Per AWS account (key: the 12-digit id) of environments with `awsAuth: dynamic`: `bootstrapRoleArn`, the role the terraform-cloud stack's AWS provider assumes there (default: the first environment's `assumeRoleArn` there, else the credentials you apply with; one apply has one credential chain, so every account but one needs a role), with `externalId` if its trust requires one; `oidcProviderArn`, the account's existing HCP Terraform OIDC provider (`arn:aws:iam::<account>:oidc-provider/<host>`) to adopt instead of creating it (it is shared with other workspaces; its audiences must include `aws.workload.identity`). README: Terraform Cloud as code.",
  );

export type TerraformCloudAccountConfig = z.output<typeof terraformCloudAccountSchema>;
