import { createHash } from "node:crypto";
import { asString, interpolationSpans, isObject, resources, type StackJson } from "../../../modules/terraform-json";
import { PARTITION } from "./environments";

/**
 * Terraform interpolations in the synthesized policies, replaced by concrete values so the documents can be
 * simulated. Each `${...}` must match one row of SUBSTITUTIONS (documented in docs/iam-simulation.md); one that
 * matches none fails the test that reads it: an interpolation is never dropped or guessed.
 *
 * Values are those of the environment the stack belongs to (its account and region, as its AWS provider pins
 * them), plus fake identifiers for what only exists after apply (the EKS OIDC provider id, a KMS key id, an EFS id).
 */

/** The id of the cluster's EKS OIDC issuer (AWS documentation's example id): only known after apply. */
export const FAKE_OIDC_ID = "EXAMPLED539D4633E53DE1B71EXAMPLE";
export const FAKE_EFS_ID = "fs-0123456789abcdef0";

export interface SubstitutionContext {
  readonly account: string;
  readonly region: string;
  /** The stack whose policy is read: its resources give names (a queue's, an OIDC provider's URL). */
  readonly stackName: string;
  readonly stack: StackJson;
}

export interface Substitution {
  /** Matches the expression inside `${...}`. */
  readonly expression: RegExp;
  /** What it stands for, and the value (for the docs). */
  readonly meaning: string;
  readonly value: (match: RegExpExecArray, context: SubstitutionContext) => string;
}

export function clusterOidcIssuer(region: string): string {
  return `oidc.eks.${region}.amazonaws.com/id/${FAKE_OIDC_ID}`;
}

export function clusterOidcProviderArn(account: string, region: string): string {
  return `arn:${PARTITION}:iam::${account}:oidc-provider/${clusterOidcIssuer(region)}`;
}

/** A stable, valid-looking KMS key id per key address. */
export function fakeKmsKeyId(address: string): string {
  const hex = createHash("sha1").update(address).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function literalAttribute(context: SubstitutionContext, type: string, name: string, attribute: string): string {
  const block = resources(context.stack, type).find((resource) => resource.name === name);
  const value = asString(block?.body[attribute]);
  if (!block || value === undefined || value.includes("${"))
    throw new Error(`${context.stackName}: ${type}.${name} has no literal ${attribute} to build its ARN from`);
  return value;
}

export const SUBSTITUTIONS: ReadonlyArray<Substitution> = [
  {
    expression:
      /^aws_iam_openid_connect_provider\.cluster\.arn$|\.outputs\.cross-stack-output-aws_iam_openid_connect_providerclusterarn$/,
    meaning: `the cluster's IAM OIDC provider (in the foundation stack, or read from its remote state): arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/${FAKE_OIDC_ID}`,
    value: (_, { account, region }) => clusterOidcProviderArn(account, region),
  },
  {
    expression: /^local\.oidc_issuer$|\.outputs\.cross-stack-output-localoidc_issuer$/,
    meaning: `the cluster's OIDC issuer without https:// (IRSA condition keys): oidc.eks.<region>.amazonaws.com/id/${FAKE_OIDC_ID}`,
    value: (_, { region }) => clusterOidcIssuer(region),
  },
  {
    expression: /^aws_iam_openid_connect_provider\.(\w+)\.arn$/,
    meaning:
      "another IAM OIDC provider of the stack (Terraform Cloud's): arn:aws:iam::<account>:oidc-provider/<its url without https://>",
    value: (match, context) =>
      `arn:${PARTITION}:iam::${context.account}:oidc-provider/${literalAttribute(context, "aws_iam_openid_connect_provider", match[1], "url").replace(/^https:\/\//, "")}`,
  },
  {
    expression: /^aws_kms_key\.(\w+)\.arn$/,
    meaning: "a KMS key of the stack: arn:aws:kms:<region>:<account>:key/<fake uuid per key address>",
    value: (match, { account, region, stackName }) =>
      `arn:${PARTITION}:kms:${region}:${account}:key/${fakeKmsKeyId(`${stackName}/aws_kms_key.${match[1]}`)}`,
  },
  {
    expression: /^aws_sqs_queue\.(\w+)\.arn$/,
    meaning: "an SQS queue of the stack: arn:aws:sqs:<region>:<account>:<the queue's literal name>",
    value: (match, context) =>
      `arn:${PARTITION}:sqs:${context.region}:${context.account}:${literalAttribute(context, "aws_sqs_queue", match[1], "name")}`,
  },
  {
    expression: /^aws_efs_file_system\.(\w+)\.arn$/,
    meaning: `an EFS file system of the stack: arn:aws:elasticfilesystem:<region>:<account>:file-system/${FAKE_EFS_ID}`,
    value: (_, { account, region }) =>
      `arn:${PARTITION}:elasticfilesystem:${region}:${account}:file-system/${FAKE_EFS_ID}`,
  },
];

/** The text with every interpolation replaced; throws, naming them, when some match no substitution. */
export function substitute(text: string, context: SubstitutionContext, where: string): string {
  let out = "";
  let last = 0;
  const unknown: string[] = [];
  for (const span of interpolationSpans(text)) {
    const expression = text.slice(span.start + 2, span.end - 1).trim();
    out += text.slice(last, span.start);
    last = span.end;
    let replaced: string | undefined;
    for (const row of SUBSTITUTIONS) {
      const match = row.expression.exec(expression);
      if (match) {
        replaced = row.value(match, context);
        break;
      }
    }
    if (replaced === undefined) unknown.push(`\${${expression}}`);
    else out += replaced;
  }
  if (text.slice(last).includes("${") || unknown.length > 0)
    throw new Error(
      `${where}: cannot substitute ${unknown.join(", ") || "an unterminated interpolation"}; add a row to SUBSTITUTIONS (and docs/iam-simulation.md), never drop it`,
    );
  return out + text.slice(last);
}

/** A JSON object: what iam-simulate takes as a policy document. */
export type PolicyDocument = { readonly [key: string]: unknown };

/** A policy argument of the stack (literal JSON with interpolations) as a concrete policy document. */
export function concretePolicy(text: unknown, context: SubstitutionContext, where: string): PolicyDocument {
  if (typeof text !== "string") throw new Error(`${where}: the policy is not a literal JSON string`);
  const parsed: unknown = JSON.parse(substitute(text, context, where));
  if (!isObject(parsed)) throw new Error(`${where}: the policy is not a JSON object`);
  return parsed;
}
