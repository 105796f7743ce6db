/**
 * IAM policy documents as plain data. Policies are written as literal JSON (rendered with `JSON.stringify`;
 * cdktf turns embedded tokens into interpolations), never as `data.aws_iam_policy_document`: plans stay
 * offline-computable and scanners can read the synthesized JSON.
 */

export type Condition = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: "*" | Record<string, string | string[]>;
  readonly Condition?: Condition;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: ReadonlyArray<PolicyStatement>;
}

export function policyDocument(statements: ReadonlyArray<PolicyStatement>): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** Serialises a policy for an IAM argument; tokens inside become `${...}` interpolations at synth. */
export function policyJson(statements: ReadonlyArray<PolicyStatement>): string {
  return JSON.stringify(policyDocument(statements));
}

/** `aws`, `aws-cn` or `aws-us-gov`, derived from the region: no `data.aws_partition` round trip at plan time. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** DNS suffix of the partition, for service principals such as `ec2.<suffix>`. */
export function dnsSuffixOf(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

/** ARN of an AWS managed policy in the region's partition. */
export function managedPolicyArn(region: string, name: string): string {
  return `arn:${partitionOf(region)}:iam::aws:policy/${name}`;
}

/**
 * Managed policies are limited to 6,144 characters (without white space). Packs statements, in order, into as
 * few documents as fit, with head room for tokens that expand at apply time.
 */
export function packStatements(statements: ReadonlyArray<PolicyStatement>, limit = 5000): PolicyStatement[][] {
  const packs: PolicyStatement[][] = [];
  let current: PolicyStatement[] = [];
  let size = 0;
  for (const statement of statements) {
    const length = JSON.stringify(statement).length;
    if (current.length > 0 && size + length > limit) {
      packs.push(current);
      current = [];
      size = 0;
    }
    current.push(statement);
    size += length;
  }
  if (current.length > 0) packs.push(current);
  return packs;
}

/** A Route 53 hosted zone's ARN: the controllers that write DNS are limited to the environment's zone. */
export function hostedZoneArn(partition: string, hostedZoneId: string): string {
  return `arn:${partition}:route53:::hostedzone/${hostedZoneId}`;
}
