import type { AddonContext } from "../../engine/types";
import { dnsSuffixOf, type PolicyStatement } from "../../iam/policy";

/** The SSM path prefixes the operator may read: configured, or `/<environment name>/`. */
export function externalSecretsPathPrefixes(ctx: Pick<AddonContext, "environment">): string[] {
  return ctx.environment.operators.externalSecrets.ssmPathPrefixes ?? [`/${ctx.environment.name}/`];
}

/**
 * ARN of every parameter under `prefix` (`/dev/` -> `parameter/dev/*`). A parameter's ARN drops the name's
 * leading slash; the trailing `*` covers nested paths (`/dev/app/db-password`).
 */
export function parameterArnPattern(
  ctx: Pick<AddonContext, "partition" | "region" | "account">,
  prefix: string,
): string {
  return `arn:${ctx.partition}:ssm:${ctx.region}:${ctx.account}:parameter/${prefix.replace(/^\//, "")}*`;
}

/**
 * External Secrets Operator reading SSM Parameter Store: parameters under the configured prefixes only, and
 * decryption of SecureStrings with the configured keys, or, when none are configured, with the account's
 * `aws/ssm` key and only through SSM (`kms:ViaService`), so the role cannot decrypt anything directly.
 */
export function externalSecretsStatements(ctx: AddonContext): PolicyStatement[] {
  const { partition, region, account } = ctx;
  const keys = ctx.environment.operators.externalSecrets.kmsKeyArns;
  const decrypt: PolicyStatement =
    keys.length > 0
      ? { Sid: "DecryptWithConfiguredKeys", Effect: "Allow", Action: "kms:Decrypt", Resource: [...keys] }
      : {
          Sid: "DecryptThroughSsm",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: `arn:${partition}:kms:${region}:${account}:key/*`,
          Condition: { StringEquals: { "kms:ViaService": `ssm.${region}.${dnsSuffixOf(region)}` } },
        };
  return [
    {
      Sid: "ReadParametersUnderPrefixes",
      Effect: "Allow",
      Action: "ssm:GetParameter*",
      Resource: externalSecretsPathPrefixes(ctx).map((prefix) => parameterArnPattern(ctx, prefix)),
    },
    // DescribeParameters has no resource-level permissions: it lists names (never values) for `find` queries.
    { Sid: "ListParameterNames", Effect: "Allow", Action: "ssm:DescribeParameters", Resource: "*" },
    decrypt,
  ];
}
