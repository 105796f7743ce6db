import { closest, type ConfigIssue } from "../errors";
import { LAYER_TABLE } from "../layers";
import { policyRule, POLICY_RULE_IDS } from "../policy/registry";
import { ADDONS } from "../addons/catalog";
import { resolveAddons, type AddonPlan } from "../engine/resolve";
import { networkIssues } from "./network-semantics";
import type { EnvironmentConfig } from "./schema";
import { isNetworkAddress, smallestSubnetPrefix } from "../vpc";

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

    for (const layer of LAYER_TABLE) {
      const missing = layer.reads.filter((read) => environment.layers[layer.name] && !environment.layers[read]);
      for (const read of missing) issues.push({ path: at(`layers.${read}`), message: `the ${layer.name} layer cannot read the cluster from ${read}, which is switched off`, value: false, fix: `enable ${read}, or disable ${layer.name}` });
    }

    const poolNames = new Set<string>();
    (environment.karpenter.nodePools ?? []).forEach((pool, poolIndex) => {
      if (poolNames.has(pool.name)) issues.push({ path: at(`karpenter.nodePools[${poolIndex}].name`), message: "duplicate node pool name", value: pool.name });
      poolNames.add(pool.name);
    });

    const plan = resolveAddons(environment, ADDONS);
    issues.push(...foundationIssues(environment, plan, at));

    environment.policy.waivers.forEach((waiver, waiverIndex) => {
      if (!policyRule(waiver.rule)) {
        const suggestion = closest(waiver.rule, POLICY_RULE_IDS);
        issues.push({ path: at(`policy.waivers[${waiverIndex}].rule`), message: "unknown policy rule", value: waiver.rule, allowed: "a rule id of the built-in policy pack (docs/policy.md)", fix: suggestion ? `did you mean ${suggestion}?` : "copy the rule id from the synth error or docs/policy.md" });
      }
    });

    issues.push(...plan.issues.map((issue) => ({ ...issue, path: at(issue.path) })));
    issues.push(...networkIssues(environment, plan).map((issue) => ({ ...issue, path: at(issue.path) })));
  });
  return issues;
}

/** Foundation rules: who may reach the cluster, and a VPC layout that fits. */
function foundationIssues(environment: EnvironmentConfig, plan: AddonPlan, at: (path: string) => string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const access = environment.cluster.access;
  const layers = environment.layers;
  const inCluster = plan.addons.some((addon) => addon.enabled) || LAYER_TABLE.some((layer) => layer.reads.length > 0 && layers[layer.name]);
  if (layers.foundation && inCluster && !access.terraformRoleArn) {
    issues.push({
      path: at("cluster.access.terraformRoleArn"),
      message: "is required: Terraform installs add-ons, node pools and CRDs in the cluster, and no access is granted implicitly (cluster-creator admin is off)",
      fix: "set it to the IAM role your Terraform runs as (e.g. arn:aws:iam::<account>:role/platform-terraform), or disable every add-on and later layer",
    });
  }
  const seen = new Map<string, number>();
  access.principals.forEach((principal, index) => {
    const path = at(`cluster.access.principals[${index}]`);
    const first = seen.get(principal.arn);
    if (first !== undefined) issues.push({ path: `${path}.arn`, message: `duplicate principal (also principals[${first}]): EKS allows one access entry per principal`, value: principal.arn, fix: "merge the two entries" });
    else seen.set(principal.arn, index);
    if (principal.arn === access.terraformRoleArn) issues.push({ path: `${path}.arn`, message: "is the Terraform role, which already has cluster-admin through its own access entry", value: principal.arn, fix: "remove this principal" });
    if (!principal.level && !principal.groups) issues.push({ path, message: "grants nothing: give a `level`, `groups`, or both", allowed: "level: cluster-admin | admin | edit | view" });
    if (principal.namespaces && !principal.level) issues.push({ path: `${path}.namespaces`, message: "only scopes a `level`; groups are scoped by your own RBAC", fix: "add a level or remove namespaces" });
  });

  const create = environment.vpc.create;
  if (create) {
    if (!isNetworkAddress(create.cidr)) issues.push({ path: at("vpc.create.cidr"), message: "has host bits set", value: create.cidr, fix: "use the network address, e.g. 10.0.0.0/16" });
    const smallest = smallestSubnetPrefix(create.cidr, create.azs.length);
    if (smallest > 28) issues.push({ path: at("vpc.create.cidr"), message: `is too small for ${create.azs.length} AZs: public subnets would be /${smallest} (AWS allows at most /28)`, value: create.cidr, allowed: `a prefix of /${28 - (smallest - Number(create.cidr.split("/")[1]))} or larger` });
    if (Number(create.cidr.split("/")[1]) < 16) issues.push({ path: at("vpc.create.cidr"), message: "AWS VPCs are /16 to /28", value: create.cidr });
    create.azs.forEach((az, index) => {
      if (!az.startsWith(environment.region)) issues.push({ path: at(`vpc.create.azs[${index}]`), message: `is not in the environment's region ${environment.region}`, value: az });
    });
    if (new Set(create.azs).size !== create.azs.length) issues.push({ path: at("vpc.create.azs"), message: "lists an availability zone twice", value: create.azs });
  }
  return issues;
}
