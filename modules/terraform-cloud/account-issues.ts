import type { EnvironmentConfig } from "../config/schema";
import type { ConfigIssue } from "../errors";
import { accountPlans, arnAccount, oidcProviderHost } from "./accounts";
import type { TerraformCloudSettings } from "./plan";
import { clusterNameOf, instanceProfileStart, platformNameStart, runRolesBuild } from "./settings";

/**
 * Config rules of the terraform-cloud stack per AWS account (`terraformCloud.accounts`): an entry for an account
 * it does not write to, a role or OIDC provider of another account (or of a host no environment there uses), a
 * second account it has no role for (one apply, one credential chain); and, where Terraform Cloud runs build the
 * platform, cluster names of one account whose IAM names overlap.
 */
export function accountIssues(
  environments: ReadonlyArray<EnvironmentConfig>,
  settings: TerraformCloudSettings | undefined,
): ConfigIssue[] {
  const configured = settings?.accounts ?? {};
  const plans = accountPlans(environments, configured);
  const issues: ConfigIssue[] = [];
  for (const [account, entry] of Object.entries(configured)) {
    const at = `terraformCloud.accounts.${account}`;
    const plan = plans.find((candidate) => candidate.account === account);
    if (!plan) {
      issues.push({
        path: at,
        message:
          "names an account no environment with Terraform Cloud dynamic credentials (backend.manageWorkspaces, awsAuth: dynamic) is in: the terraform-cloud stack writes nothing there",
        fix: `remove it, or check the account id (environments use ${plans.map((other) => other.account).join(", ") || "none"})`,
      });
      continue;
    }
    if (entry.bootstrapRoleArn && arnAccount(entry.bootstrapRoleArn) !== account)
      issues.push({
        path: `${at}.bootstrapRoleArn`,
        message: `is a role of account ${arnAccount(entry.bootstrapRoleArn)}, not ${account}: the stack's provider for ${account} is locked to it (allowed_account_ids)`,
        value: entry.bootstrapRoleArn,
        fix: `name a role in account ${account}`,
      });
    if (!entry.oidcProviderArn) continue;
    const host = oidcProviderHost(entry.oidcProviderArn);
    const hosts = plan.oidcProviders.map((provider) => provider.hostname);
    if (arnAccount(entry.oidcProviderArn) !== account)
      issues.push({
        path: `${at}.oidcProviderArn`,
        message: `is an OIDC provider of account ${arnAccount(entry.oidcProviderArn)}, not ${account}: a role trusts a provider of its own account only`,
        value: entry.oidcProviderArn,
        fix: `name the provider of ${hosts.join(" or ")} in account ${account} (arn:aws:iam::${account}:oidc-provider/${hosts[0]})`,
      });
    else if (!hosts.includes(host))
      issues.push({
        path: `${at}.oidcProviderArn`,
        message: `is the provider of ${host}, but the account's environments run on ${hosts.join(", ")}`,
        value: entry.oidcProviderArn,
        fix: `name the provider of ${hosts.join(" or ")}, or remove oidcProviderArn (the stack then creates it)`,
      });
  }
  const reachedAsCaller = plans.filter((plan) => !plan.access);
  for (const plan of reachedAsCaller.slice(1))
    issues.push({
      path: `terraformCloud.accounts.${plan.account}.bootstrapRoleArn`,
      message: `is required: the terraform-cloud stack writes run roles to accounts ${reachedAsCaller.map((other) => other.account).join(" and ")} without a role to assume in either, and one apply has one credential chain, so the provider locked to ${plan.account} would fail (environments ${plan.environments.join(", ")})`,
      fix: `set terraformCloud.accounts.${plan.account}.bootstrapRoleArn to a role in ${plan.account} that your credentials may assume and that may manage IAM roles, policies and OIDC providers (or an assumeRoleArn on the environment)`,
    });
  issues.push(...overlapIssues(environments));
  return issues;
}

/** The starts of a cluster's IAM names: roles and policies, and Karpenter's instance profiles. */
function nameStarts(cluster: string): string[] {
  return [platformNameStart(cluster), instanceProfileStart(cluster)];
}

/**
 * Where Terraform Cloud runs build the platform, its IAM (the run roles' grants, the boundary) is scoped by the
 * cluster's names: `<cluster>-...` (its first 30 characters for longer names, which roleName cuts) and
 * `<cluster>_...` (Karpenter's instance profiles). Another cluster of the account whose names start the same way
 * (`dev-eu` beside `dev`) would fall in that scope. The same name twice is the semantic checks' error.
 */
function overlapIssues(environments: ReadonlyArray<EnvironmentConfig>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  environments.forEach((environment, index) => {
    const cluster = clusterNameOf(environment);
    for (const other of environments.slice(0, index)) {
      const otherCluster = clusterNameOf(other);
      if (other.account !== environment.account || otherCluster === cluster) continue;
      if (!runRolesBuild(environment) && !runRolesBuild(other)) continue;
      const overlap = nameStarts(cluster).some((mine) =>
        nameStarts(otherCluster).some((theirs) => mine.startsWith(theirs) || theirs.startsWith(mine)),
      );
      if (!overlap) continue;
      const builder = runRolesBuild(other) ? other : environment;
      issues.push({
        path: `environments[${index}].${environment.cluster.name === undefined ? "name" : "cluster.name"}`,
        message: `cluster ${cluster} and cluster ${otherCluster} (environment ${other.name}) are in account ${environment.account} and their IAM names start alike (${nameStarts(cluster)[0]}..., ${nameStarts(otherCluster)[0]}...): environment ${builder.name}'s Terraform Cloud runs, which manage IAM by its cluster's names, could take the other cluster's for its own`,
        value: cluster,
        fix: `rename one cluster (cluster.name) so that neither name followed by '-' or '_' starts the other${cluster.length > 30 || otherCluster.length > 30 ? ", and make them differ within their first 30 characters" : ""}, or deploy them to different accounts`,
      });
    }
  });
  return issues;
}
