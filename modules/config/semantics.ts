import type { ConfigIssue } from "../errors";
import { LAYER_TABLE } from "../layers";
import type { AddonPlanView } from "./addon-plan-view";
import { nameIssues } from "./name-semantics";
import { networkIssues } from "./network-semantics";
import { referenceIssues } from "./reference-semantics";
import type { EnvironmentConfig } from "./schema";
import { smallestSubnetPrefix } from "../subnet-layout";
import { coversInternet, parseCidrs, publicAddressCount } from "../cidr";
import { amiAliasIssue } from "../ami-releases";
import { defaultAmiAlias, type KubernetesVersion } from "../versions";

/**
 * Rules that span fields or environments, which a field-by-field schema cannot express. They run after the
 * schema passes, still before any construct exists.
 */
export function semanticIssues(
  environments: ReadonlyArray<EnvironmentConfig>,
  plans: ReadonlyArray<AddonPlanView>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const firstByName = new Map<string, number>();
  const clusters = new Map<string, number>();
  environments.forEach((environment, index) => {
    const at = (path: string) => `environments[${index}].${path}`;
    const seen = firstByName.get(environment.name);
    if (seen !== undefined) {
      issues.push({
        path: at("name"),
        message: `duplicate environment name (also environments[${seen}].name)`,
        value: environment.name,
        fix: "environment names must be unique: they name stacks and state",
      });
    } else firstByName.set(environment.name, index);

    // IAM role and policy names are `<cluster>-<purpose>` and IAM is global to the account: one cluster name per
    // account, whatever the region (two regions would collide at apply on the first role).
    const clusterName = environment.cluster.name ?? environment.name;
    const clusterKey = `${environment.account}/${clusterName}`;
    const clash = clusters.get(clusterKey);
    if (clash !== undefined) {
      const other = environments[clash];
      const where =
        other.region === environment.region
          ? "in the same account and region"
          : `in the same account (${other.region}; IAM role names <cluster>-<purpose> are global to the account)`;
      issues.push({
        path: at("cluster.name"),
        message: `cluster name is already used by environments[${clash}] (${other.name}) ${where}`,
        value: clusterName,
        fix: "give one of the two environments its own cluster.name",
      });
    } else clusters.set(clusterKey, index);

    if (environment.assumeRoleArn && !environment.assumeRoleArn.includes(`::${environment.account}:`)) {
      issues.push({
        path: at("assumeRoleArn"),
        message: "role is in a different account than the environment",
        value: environment.assumeRoleArn,
        allowed: `a role in account ${environment.account}`,
        fix: "the provider refuses any account but `account` (allowed_account_ids)",
      });
    }
    if ((environment.externalId || environment.sessionName) && !environment.assumeRoleArn) {
      issues.push({
        path: at(environment.externalId ? "externalId" : "sessionName"),
        message: "only applies with assumeRoleArn",
        fix: "set assumeRoleArn or remove it",
      });
    }

    const endpoint = environment.cluster.endpoint;
    // Judged by the addresses covered (cidr.ts), not by the text: 0.0.0.0/1 + 128.0.0.0/1 is 0.0.0.0/0.
    const publicCidrs = parseCidrs(endpoint.publicAccessCidrs);
    if (publicCidrs && coversInternet(publicCidrs) && !endpoint.acknowledgeOpenToInternet) {
      issues.push({
        path: at("cluster.endpoint.publicAccessCidrs"),
        message: `opens the Kubernetes API to the internet: together these blocks cover ${publicAddressCount(publicCidrs).toLocaleString("en-US")} public addresses (more than a /8)`,
        value: endpoint.publicAccessCidrs,
        allowed: "specific CIDRs (office, VPN, CI egress)",
        fix: "list specific CIDRs, or set cluster.endpoint.acknowledgeOpenToInternet: true (and waive EKS_PUBLIC_ENDPOINT)",
      });
    }
    if (!endpoint.privateAccess && endpoint.publicAccessCidrs.length === 0) {
      issues.push({
        path: at("cluster.endpoint.privateAccess"),
        message: "with private access off and no public CIDRs, nothing can reach the API",
        value: false,
        fix: "keep privateAccess: true or list publicAccessCidrs",
      });
    }

    for (const layer of LAYER_TABLE) {
      const missing = layer.reads.filter((read) => environment.layers[layer.name] && !environment.layers[read]);
      for (const read of missing)
        issues.push({
          path: at(`layers.${read}`),
          message: `the ${layer.name} layer cannot read the cluster from ${read}, which is switched off`,
          value: false,
          fix: `enable ${read}, or disable ${layer.name}`,
        });
    }

    const poolNames = new Set<string>();
    (environment.karpenter.nodePools ?? []).forEach((pool, poolIndex) => {
      if (poolNames.has(pool.name))
        issues.push({
          path: at(`karpenter.nodePools[${poolIndex}].name`),
          message: "duplicate node pool name",
          value: pool.name,
        });
      poolNames.add(pool.name);
    });

    const plan = plans[index];
    issues.push(...foundationIssues(environment, at));
    if (environment.layers.network && !environment.dns) {
      issues.push({
        path: at("dns"),
        message:
          "is required by the network layer: `domain` (the shared ALB's certificate, external-dns's domain filter, echo.<domain>) and `hostedZoneId` (certificate validation, the only zone external-dns and ACME DNS-01 may change)",
        fix: "set dns.domain and dns.hostedZoneId, or switch the network layer off (layers.network: false)",
      });
    }

    issues.push(...plan.issues.map((issue) => ({ ...issue, path: at(issue.path) })));
    issues.push(...networkIssues(environment, plan).map((issue) => ({ ...issue, path: at(issue.path) })));
    issues.push(...referenceIssues(environment).map((issue) => ({ ...issue, path: at(issue.path) })));
  });
  issues.push(...nameIssues(environments, plans));
  return issues;
}

/**
 * ARNs that pass a pattern but that EKS refuses for an access entry: an STS session (the role behind it is what
 * EKS wants), and an IAM Identity Center role written without its path (EKS matches the full ARN).
 */
export function accessPrincipalIssues(arn: string, path: string): ConfigIssue[] {
  const session = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  if (session) {
    const [, partition, account, role] = session;
    const suggestion = role.startsWith("AWSReservedSSO_")
      ? `arn:${partition}:iam::${account}:role/aws-reserved/sso.amazonaws.com/<region/>${role}`
      : `arn:${partition}:iam::${account}:role/${role}`;
    return [
      {
        path,
        message:
          "is an STS session ARN: EKS access entries take the IAM role (or user) ARN, and the session changes at every login",
        value: arn,
        fix: `use the role ARN, ${suggestion} (with the role's path, if it has one)`,
      },
    ];
  }
  const sso = /^arn:(aws[\w-]*):iam::(\d{12}):role\/(AWSReservedSSO_[^/]+)$/.exec(arn);
  if (sso) {
    const [, partition, account, role] = sso;
    return [
      {
        path,
        message:
          "is an IAM Identity Center role without its path: EKS matches the full ARN, and these roles live under aws-reserved/sso.amazonaws.com/",
        value: arn,
        fix: `use arn:${partition}:iam::${account}:role/aws-reserved/sso.amazonaws.com/${role} (add the region after sso.amazonaws.com/ for a regional Identity Center instance, as \`aws iam get-role --role-name ${role}\` shows)`,
      },
    ];
  }
  return [];
}

/** Foundation rules: who may reach the cluster, and a VPC layout that fits. */
function foundationIssues(environment: EnvironmentConfig, at: (path: string) => string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const access = environment.cluster.access;
  const layers = environment.layers;
  if (access.terraformRoleArn && environment.assumeRoleArn && access.terraformRoleArn !== environment.assumeRoleArn) {
    issues.push({
      path: at("cluster.access.terraformRoleArn"),
      message: `differs from assumeRoleArn (${environment.assumeRoleArn}), the role the Kubernetes and Helm providers call the cluster as: this role's access entry would not be theirs, and every in-cluster resource would get 401`,
      value: access.terraformRoleArn,
      fix: "remove terraformRoleArn (it defaults to assumeRoleArn), or set it to the same role",
    });
  }
  if (environment.cluster.kubernetesAuth === "exec" && environment.externalId) {
    issues.push({
      path: at("cluster.kubernetesAuth"),
      message: "`aws eks get-token` cannot pass externalId, so exec auth cannot assume this role",
      value: "exec",
      allowed: "ephemeral",
      fix: "use kubernetesAuth: ephemeral (the default), which authenticates through the AWS provider's assumed role",
    });
  }
  if (access.terraformRoleArn)
    issues.push(...accessPrincipalIssues(access.terraformRoleArn, at("cluster.access.terraformRoleArn")));
  const seen = new Map<string, number>();
  access.principals.forEach((principal, index) => {
    const path = at(`cluster.access.principals[${index}]`);
    issues.push(...accessPrincipalIssues(principal.arn, `${path}.arn`));
    const first = seen.get(principal.arn);
    if (first !== undefined)
      issues.push({
        path: `${path}.arn`,
        message: `duplicate principal (also principals[${first}]): EKS allows one access entry per principal`,
        value: principal.arn,
        fix: "merge the two entries",
      });
    else seen.set(principal.arn, index);
    if (principal.arn === (access.terraformRoleArn ?? environment.assumeRoleArn))
      issues.push({
        path: `${path}.arn`,
        message: "is the Terraform role, which already has cluster-admin through its own access entry",
        value: principal.arn,
        fix: "remove this principal",
      });
    if (!principal.level && !principal.groups)
      issues.push({
        path,
        message: "grants nothing: give a `level`, `groups`, or both",
        allowed: "level: cluster-admin | admin | edit | view",
      });
    if (principal.namespaces && !principal.level)
      issues.push({
        path: `${path}.namespaces`,
        message: "only scopes a `level`; groups are scoped by your own RBAC",
        fix: "add a level or remove namespaces",
      });
  });

  const alias = environment.karpenter.amiAlias;
  const kubernetes = environment.cluster.kubernetesVersion as KubernetesVersion;
  if (alias && layers.foundation) {
    const problem = amiAliasIssue(alias, kubernetes);
    if (problem)
      issues.push({
        path: at("karpenter.amiAlias"),
        message: problem,
        value: alias,
        fix: `remove it to use ${defaultAmiAlias(kubernetes)}, the alias pinned for Kubernetes ${kubernetes}, or name a release that ships it`,
      });
  }

  const create = environment.vpc.create;
  if (create) {
    const smallest = smallestSubnetPrefix(create.cidr, create.azs.length);
    if (smallest > 28)
      issues.push({
        path: at("vpc.create.cidr"),
        message: `is too small for ${create.azs.length} AZs: public subnets would be /${smallest} (AWS allows at most /28)`,
        value: create.cidr,
        allowed: `a prefix of /${28 - (smallest - Number(create.cidr.split("/")[1]))} or larger`,
      });
    if (Number(create.cidr.split("/")[1]) < 16)
      issues.push({ path: at("vpc.create.cidr"), message: "AWS VPCs are /16 to /28", value: create.cidr });
    create.azs.forEach((az, index) => {
      if (!az.startsWith(environment.region))
        issues.push({
          path: at(`vpc.create.azs[${index}]`),
          message: `is not in the environment's region ${environment.region}`,
          value: az,
        });
    });
    if (new Set(create.azs).size !== create.azs.length)
      issues.push({ path: at("vpc.create.azs"), message: "lists an availability zone twice", value: create.azs });
  }
  return issues;
}
