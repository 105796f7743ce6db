import type { EnvironmentConfig } from "../config/schema";
import type { TerraformCloudAccountConfig } from "../config/terraform-cloud-schema";
import { managedWorkspaces } from "./settings";

/**
 * The AWS accounts the terraform-cloud stack writes run roles to (those of environments with `awsAuth: dynamic`),
 * in config order, and how it reaches each: one apply has one credential chain, so an account is reached by
 * assuming `terraformCloud.accounts.<id>.bootstrapRoleArn`, else the first environment's `assumeRoleArn` there,
 * else with the credentials the stack is applied with (which config-issues allows for one account only).
 */

export interface AccountAccess {
  readonly roleArn: string;
  readonly externalId?: string;
  /** The config key the role comes from, for messages and the report. */
  readonly from: "bootstrapRoleArn" | "assumeRoleArn";
}

export interface AccountOidcProvider {
  readonly hostname: string;
  /** `terraformCloud.accounts.<id>.oidcProviderArn` for this host: adopted, not managed. Undefined: created. */
  readonly adoptedArn?: string;
}

export interface AccountPlan {
  readonly account: string;
  /** The region of the account's first environment (IAM is global; the provider needs one). */
  readonly region: string;
  /** The role the stack's AWS provider assumes in the account; undefined: the credentials it is applied with. */
  readonly access?: AccountAccess;
  /** One per Terraform Cloud host the account's environments use, in config order. */
  readonly oidcProviders: ReadonlyArray<AccountOidcProvider>;
  /** The names of the account's environments with dynamic credentials. */
  readonly environments: ReadonlyArray<string>;
}

/** The host name an OIDC provider ARN names (`...:oidc-provider/<host>`). */
export function oidcProviderHost(arn: string): string {
  return arn.slice(arn.indexOf(":oidc-provider/") + ":oidc-provider/".length);
}

/** The account of an IAM ARN (`arn:<partition>:iam::<account>:...`). */
export function arnAccount(arn: string): string {
  return arn.split(":")[4] ?? "";
}

export function accountPlans(
  environments: ReadonlyArray<EnvironmentConfig>,
  accounts: Readonly<Record<string, TerraformCloudAccountConfig>>,
): AccountPlan[] {
  const plans = new Map<string, { region: string; access?: AccountAccess; hosts: string[]; names: string[] }>();
  for (const environment of environments) {
    const settings = managedWorkspaces(environment);
    if (settings?.awsAuth !== "dynamic") continue;
    const configured = accounts[environment.account];
    let plan = plans.get(environment.account);
    if (!plan) {
      plan = { region: environment.region, hosts: [], names: [] };
      plans.set(environment.account, plan);
    }
    plan.access ??= configured?.bootstrapRoleArn
      ? { roleArn: configured.bootstrapRoleArn, externalId: configured.externalId, from: "bootstrapRoleArn" }
      : environment.assumeRoleArn
        ? { roleArn: environment.assumeRoleArn, externalId: environment.externalId, from: "assumeRoleArn" }
        : undefined;
    if (!plan.hosts.includes(settings.backend.hostname)) plan.hosts.push(settings.backend.hostname);
    plan.names.push(environment.name);
  }
  return [...plans].map(([account, plan]) => {
    const adopted = accounts[account]?.oidcProviderArn;
    return {
      account,
      region: plan.region,
      access: plan.access,
      oidcProviders: plan.hosts.map((hostname) => ({
        hostname,
        adoptedArn: adopted && oidcProviderHost(adopted) === hostname ? adopted : undefined,
      })),
      environments: plan.names,
    };
  });
}
