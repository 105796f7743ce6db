import {
  firstBlock,
  parsePolicy,
  principalsOf,
  referencedAddresses,
  resources,
  type ResourceBlock,
  type StackJson,
} from "../terraform-json";
import { checkEach, defineRule, type PolicyRule } from "./types";

/** A key given as a reference to a key of this stack, or as an ARN that is not an AWS-managed alias. */
function isCustomerKey(value: unknown): boolean {
  return typeof value === "string" && value !== "" && !value.includes("alias/aws/");
}

/** Resources of `type` whose `file_system_id` points at `fileSystem`. */
function attachedTo(json: StackJson, type: string, fileSystem: ResourceBlock): ResourceBlock[] {
  return resources(json, type).filter((resource) =>
    referencedAddresses(resource.body.file_system_id).includes(fileSystem.address),
  );
}

/** A Deny for requests without TLS: `Bool: { "aws:SecureTransport": "false" }`. */
function deniesPlainText(policy: unknown): boolean {
  return (parsePolicy(policy) ?? []).some((statement) => {
    const secure = statement.Condition?.Bool?.["aws:SecureTransport"];
    return (
      statement.Effect === "Deny" &&
      principalsOf(statement, "AWS").includes("*") &&
      (secure === "false" || secure === false)
    );
  });
}

export const ENCRYPTION_RULES: PolicyRule[] = [
  defineRule({
    id: "LOGS_KMS",
    area: "logs",
    title: "CloudWatch log groups are encrypted with a customer-managed KMS key",
    scanners: { checkov: ["CKV_AWS_158"], trivy: ["AVD-AWS-0017"] },
    fix: "set kms_key_id to the platform key (whose policy lets logs.<region>.amazonaws.com use it for this log group)",
    check: ({ json }) =>
      checkEach(json, "aws_cloudwatch_log_group", (group) =>
        isCustomerKey(group.body.kms_key_id) ? undefined : "the log group is not encrypted with a customer-managed key",
      ),
  }),
  defineRule({
    id: "LOGS_RETENTION",
    area: "logs",
    title: "CloudWatch log groups have a retention period",
    scanners: { checkov: ["CKV_AWS_66"] },
    fix: "set retention_in_days (cluster.logs.retentionDays for the control-plane logs)",
    check: ({ json }) =>
      checkEach(json, "aws_cloudwatch_log_group", (group) => {
        const days = group.body.retention_in_days;
        return typeof days === "number" && days > 0
          ? undefined
          : "the log group keeps logs forever (no retention_in_days)";
      }),
  }),
  defineRule({
    id: "SQS_ENCRYPTED",
    area: "sqs",
    title: "SQS queues are encrypted at rest (SSE-SQS or KMS)",
    scanners: { checkov: ["CKV_AWS_27"], trivy: ["AVD-AWS-0096"] },
    fix: "set sqs_managed_sse_enabled = true, or kms_master_key_id",
    check: ({ json }) =>
      checkEach(json, "aws_sqs_queue", (queue) =>
        queue.body.sqs_managed_sse_enabled === true || isCustomerKey(queue.body.kms_master_key_id)
          ? undefined
          : "the queue is not explicitly encrypted at rest",
      ),
  }),
  defineRule({
    id: "EFS_ENCRYPTED",
    area: "efs",
    title: "EFS file systems are encrypted with a customer-managed KMS key",
    scanners: { checkov: ["CKV_AWS_42", "CKV_AWS_184"], trivy: ["AVD-AWS-0037"] },
    fix: "set encrypted = true and kms_key_id to the platform key",
    check: ({ json }) =>
      checkEach(json, "aws_efs_file_system", (fs) => {
        if (fs.body.encrypted !== true) return "the file system is not encrypted at rest";
        return isCustomerKey(fs.body.kms_key_id)
          ? undefined
          : "the file system uses the AWS-managed key, not a customer-managed one";
      }),
  }),
  defineRule({
    id: "EFS_BACKUPS",
    area: "efs",
    title: "EFS file systems have automatic backups on",
    scanners: { checkov: ["CKV2_AWS_18"] },
    fix: "add an aws_efs_backup_policy with status ENABLED for the file system (storage.efs.backups: true)",
    check: ({ json }) =>
      checkEach(json, "aws_efs_file_system", (fs) => {
        const enabled = attachedTo(json, "aws_efs_backup_policy", fs).some(
          (policy) => firstBlock(policy.body.backup_policy)?.status === "ENABLED",
        );
        return enabled ? undefined : "no aws_efs_backup_policy with status ENABLED for this file system";
      }),
  }),
  defineRule({
    id: "EFS_TLS_ONLY",
    area: "efs",
    title: "EFS file systems refuse connections without TLS (file system policy denies aws:SecureTransport = false)",
    scanners: {},
    fix: "add an aws_efs_file_system_policy with a Deny for Principal * when aws:SecureTransport is false",
    check: ({ json }) =>
      checkEach(json, "aws_efs_file_system", (fs) =>
        attachedTo(json, "aws_efs_file_system_policy", fs).some((policy) => deniesPlainText(policy.body.policy))
          ? undefined
          : "no file system policy denies non-TLS access",
      ),
  }),
];
