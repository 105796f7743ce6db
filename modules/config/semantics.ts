import type { ConfigIssue } from "../errors";
import { ADDONS } from "../addons/catalog";
import { resolveAddons } from "../addons/resolve";
import type { EnvironmentConfig } from "./schema";

/**
 * Rules that span fields or environments, which a field-by-field schema cannot express. They run after the
 * schema passes, still before any construct exists.
 */
export function semanticIssues(environments: ReadonlyArray<EnvironmentConfig>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const firstByName = new Map<string, number>();
  const clusters = new Map<string, number>();
  environments.forEach((environment, index) => {
    const at = (path: string) => `environments[${index}].${path}`;
    const seen = firstByName.get(environment.name);
    if (seen !== undefined) {
      issues.push({ path: at("name"), message: `duplicate environment name (also environments[${seen}].name)`, value: environment.name, fix: "environment names must be unique: they name stacks and state" });
    } else firstByName.set(environment.name, index);

    const clusterKey = `${environment.account}/${environment.region}/${environment.cluster.name ?? environment.name}`;
    const clash = clusters.get(clusterKey);
    if (clash !== undefined) {
      issues.push({ path: at("cluster.name"), message: `cluster name is already used by environments[${clash}] in the same account and region`, value: environment.cluster.name ?? environment.name });
    } else clusters.set(clusterKey, index);

    if (environment.assumeRoleArn && !environment.assumeRoleArn.includes(`::${environment.account}:`)) {
      issues.push({ path: at("assumeRoleArn"), message: "role is in a different account than the environment", value: environment.assumeRoleArn, allowed: `a role in account ${environment.account}`, fix: "the provider refuses any account but `account` (allowed_account_ids)" });
    }
    if ((environment.externalId || environment.sessionName) && !environment.assumeRoleArn) {
      issues.push({ path: at(environment.externalId ? "externalId" : "sessionName"), message: "only applies with assumeRoleArn", fix: "set assumeRoleArn or remove it" });
    }

    const endpoint = environment.cluster.endpoint;
    if (endpoint.publicAccessCidrs.includes("0.0.0.0/0") && !endpoint.acknowledgeOpenToInternet) {
      issues.push({ path: at("cluster.endpoint.publicAccessCidrs"), message: "0.0.0.0/0 opens the Kubernetes API to the whole internet", value: "0.0.0.0/0", allowed: "specific CIDRs (office, VPN, CI egress)", fix: "list specific CIDRs, or set cluster.endpoint.acknowledgeOpenToInternet: true" });
    }
    if (!endpoint.privateAccess && endpoint.publicAccessCidrs.length === 0) {
      issues.push({ path: at("cluster.endpoint.privateAccess"), message: "with private access off and no public CIDRs, nothing can reach the API", value: false, fix: "keep privateAccess: true or list publicAccessCidrs" });
    }

    const layers = environment.layers;
    if (!layers.foundation && (layers.network || layers.storage || layers.operators)) {
      issues.push({ path: at("layers.foundation"), message: "the network, storage and operators layers read the cluster from foundation", value: false, fix: "enable foundation, or disable the later layers" });
    }

    const poolNames = new Set<string>();
    (environment.karpenter.nodePools ?? []).forEach((pool, poolIndex) => {
      if (poolNames.has(pool.name)) issues.push({ path: at(`karpenter.nodePools[${poolIndex}].name`), message: "duplicate node pool name", value: pool.name });
      poolNames.add(pool.name);
    });

    const validRules = /^[A-Z0-9_]+$/;
    environment.policy.waivers.forEach((waiver, waiverIndex) => {
      if (!validRules.test(waiver.rule)) issues.push({ path: at(`policy.waivers[${waiverIndex}].rule`), message: "unknown rule", value: waiver.rule });
    });

    const plan = resolveAddons(environment, ADDONS);
    issues.push(...plan.issues.map((issue) => ({ ...issue, path: at(issue.path) })));
  });
  return issues;
}
