import type { ConfigIssue } from "../errors";
import { partitionOf } from "../iam/policy";
import type { EnvironmentConfig } from "./schema";

/**
 * Rules about what the config points at (subnets, KMS keys): a pattern says an id is well-formed, these say it
 * can work where it is used. Paths are relative to the environment, for `semanticIssues`.
 */
export function referenceIssues(environment: EnvironmentConfig): ConfigIssue[] {
  return [...subnetIssues(environment), ...kmsKeyIssues(environment), ...permissionsBoundaryIssues(environment)];
}

const POLICY_ARN = /^arn:([\w-]+):iam::(\d{12}):policy\//;

/**
 * The organization's permissions boundary is set on roles of the environment's account: IAM refuses a boundary
 * of another account (`PutRolePermissionsBoundary`, `CreateRole`: the policy must be in the role's account) and
 * of another partition, which the region decides.
 */
function permissionsBoundaryIssues(environment: EnvironmentConfig): ConfigIssue[] {
  const arn = environment.iam.permissionsBoundaryArn;
  const match = arn === undefined ? null : POLICY_ARN.exec(arn);
  if (!arn || !match) return [];
  const [, partition, account] = match;
  const path = "iam.permissionsBoundaryArn";
  const issues: ConfigIssue[] = [];
  if (account !== environment.account)
    issues.push({
      path,
      message: `is a policy of account ${account}, not the environment's account ${environment.account}: a role's permissions boundary must be a policy of the role's own account`,
      value: arn,
      allowed: `a policy ARN of account ${environment.account}`,
      fix: `create the boundary policy in account ${environment.account} (each account has its own copy) and name it here`,
    });
  const expected = partitionOf(environment.region);
  if (partition !== expected)
    issues.push({
      path,
      message: `is in partition ${partition}, but region ${environment.region} is in partition ${expected}`,
      value: arn,
      allowed: `arn:${expected}:iam::${environment.account}:policy/<path/name>`,
      fix: `write the ARN with arn:${expected}:`,
    });
  return issues;
}

/** A subnet listed twice, or as both private and public: the layout (and the policy pack's NODES_PRIVATE_SUBNETS) would be wrong. */
function subnetIssues(environment: EnvironmentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const privateIndex = new Map<string, number>();
  const check = (list: ReadonlyArray<string> | undefined, field: "privateSubnetIds" | "publicSubnetIds") => {
    const seen = new Map<string, number>();
    (list ?? []).forEach((subnet, index) => {
      const path = `vpc.${field}[${index}]`;
      const first = seen.get(subnet);
      if (first !== undefined)
        issues.push({
          path,
          message: `lists the subnet twice (also ${field}[${first}])`,
          value: subnet,
          fix: "remove the duplicate",
        });
      else seen.set(subnet, index);
      const asPrivate = privateIndex.get(subnet);
      if (field === "publicSubnetIds" && asPrivate !== undefined) {
        issues.push({
          path,
          message: `is also listed as a private subnet (privateSubnetIds[${asPrivate}]): nodes would run where internet-facing load balancers live`,
          value: subnet,
          fix: "list each subnet once, as private (routed through NAT) or public (routed to an internet gateway)",
        });
      }
      if (field === "privateSubnetIds" && first === undefined) privateIndex.set(subnet, index);
    });
  };
  check(environment.vpc.privateSubnetIds, "privateSubnetIds");
  check(environment.vpc.publicSubnetIds, "publicSubnetIds");
  return issues;
}

const KMS_ARN = /^arn:[\w-]+:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

interface KeyRule {
  readonly path: string;
  readonly arn: string;
  /** The region the key must be in: KMS keys are regional, and a service encrypts with keys of its own region. */
  readonly region: string;
  /** The account the key must be in, when the platform's own IAM and key policies assume it. */
  readonly account?: string;
  /** What needs a key ARN (an alias does not work there), when an alias is refused. */
  readonly keyOnly?: string;
}

/** KMS keys in another region (never usable), in another account (the platform's policies grant in its own), or aliases where a key ARN is needed. */
function kmsKeyIssues(environment: EnvironmentConfig): ConfigIssue[] {
  const rules: KeyRule[] = [];
  const { account, region } = environment;
  if (environment.cluster.kmsKeyArn) {
    rules.push({
      path: "cluster.kmsKeyArn",
      arn: environment.cluster.kmsKeyArn,
      region,
      account,
      keyOnly: "EKS secrets encryption, the control-plane log group and EFS take the key's ARN",
    });
  }
  environment.operators.externalSecrets.kmsKeyArns.forEach((arn, index) =>
    rules.push({ path: `operators.externalSecrets.kmsKeyArns[${index}]`, arn, region, account }),
  );
  const backend = environment.backend;
  // The state bucket may live in a central account; only its region decides which keys can encrypt its objects.
  if (backend.type === "s3" && backend.kmsKeyId)
    rules.push({ path: "backend.kmsKeyId", arn: backend.kmsKeyId, region: backend.region ?? region });

  const issues: ConfigIssue[] = [];
  for (const rule of rules) {
    const match = KMS_ARN.exec(rule.arn);
    if (!match) continue;
    const [, keyRegion, keyAccount, kind] = match;
    if (rule.keyOnly && kind === "alias") {
      issues.push({
        path: rule.path,
        message: `is an alias: ${rule.keyOnly}`,
        value: rule.arn,
        fix: "use the key's ARN (arn:aws:kms:<region>:<account>:key/<id>), as `aws kms describe-key --key-id <alias>` shows it",
      });
    }
    if (keyRegion !== rule.region) {
      issues.push({
        path: rule.path,
        message: `is in ${keyRegion}, but it is used in ${rule.region}: KMS keys are regional`,
        value: rule.arn,
        fix: `use a key in ${rule.region}`,
      });
    }
    if (rule.account && keyAccount !== rule.account) {
      issues.push({
        path: rule.path,
        message: `is in account ${keyAccount}, not the environment's account ${rule.account}: the platform's IAM policies and the provider (allowed_account_ids) work in that account only`,
        value: rule.arn,
        fix: `use a key in account ${rule.account}`,
      });
    }
  }
  return issues;
}
