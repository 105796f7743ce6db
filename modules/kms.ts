import { Construct } from "constructs";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { policyJson, type PolicyStatement } from "./iam/policy";
import { stableId } from "./naming";

export interface PlatformKeyProps {
  readonly name: string;
  readonly description: string;
  readonly account: string;
  readonly partition: string;
  /** Service statements beyond the account's administration (e.g. CloudWatch Logs for one log group). */
  readonly serviceStatements?: PolicyStatement[];
}

/**
 * A customer-managed key with rotation on, an explicit key policy, and `prevent_destroy`: losing a key loses
 * everything encrypted with it. To really delete one, see the README ("Deleting stateful resources").
 */
export function platformKey(scope: Construct, id: string, props: PlatformKeyProps): KmsKey {
  const accountRoot = `arn:${props.partition}:iam::${props.account}:root`;
  const key = new KmsKey(scope, `${id}-key`, {
    description: props.description,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: policyJson([
      // Administration through IAM in this account only (the default key policy, made explicit).
      {
        Sid: "AccountAdministration",
        Effect: "Allow",
        Principal: { AWS: accountRoot },
        Action: "kms:*",
        Resource: "*",
      },
      ...(props.serviceStatements ?? []),
    ]),
    lifecycle: { preventDestroy: true },
  });
  stableId(key, id);
  stableId(new KmsAlias(scope, `${id}-key-alias`, { name: `alias/${props.name}`, targetKeyId: key.keyId }), id);
  return key;
}

/** Lets CloudWatch Logs use the key for log groups under `logGroupPrefix` in this account and region only. */
export function logsKeyStatement(props: {
  partition: string;
  region: string;
  account: string;
  logGroupPrefix: string;
  dnsSuffix: string;
}): PolicyStatement {
  return {
    Sid: "CloudWatchLogs",
    Effect: "Allow",
    Principal: { Service: `logs.${props.region}.${props.dnsSuffix}` },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: {
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": `arn:${props.partition}:logs:${props.region}:${props.account}:log-group:${props.logGroupPrefix}*`,
      },
    },
  };
}
