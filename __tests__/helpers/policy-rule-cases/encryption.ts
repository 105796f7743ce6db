import { policyOf, resource, setPolicy, type Json, type RuleCase } from "./edit";

/** Cases for KMS keys and what they encrypt (modules/policy/kms.ts, encryption.ts): log groups, the queue, EFS. */
export const ENCRYPTION_CASES: RuleCase[] = [
  {
    rule: "KMS_ROTATION",
    what: "rotation off",
    layer: "foundation",
    address: "aws_kms_key.cluster",
    breakIt: (j) => void (resource(j, "aws_kms_key.cluster").enable_key_rotation = false),
  },
  {
    rule: "KMS_KEY_POLICY",
    what: "no key policy",
    layer: "storage",
    address: "aws_kms_key.efs",
    breakIt: (j) => void delete resource(j, "aws_kms_key.efs").policy,
  },
  {
    rule: "KMS_NO_PUBLIC_PRINCIPAL",
    what: "principal * without condition",
    layer: "foundation",
    address: "aws_kms_key.cluster",
    breakIt: (j) => {
      const policy = policyOf(j, "aws_kms_key.cluster");
      policy.Statement.push({
        Sid: "Everyone",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "kms:Decrypt",
        Resource: "*",
      });
      setPolicy(j, "aws_kms_key.cluster", policy);
    },
  },
  {
    rule: "LOGS_KMS",
    what: "log group without a key",
    layer: "foundation",
    address: "aws_cloudwatch_log_group.cluster",
    breakIt: (j) => void delete resource(j, "aws_cloudwatch_log_group.cluster").kms_key_id,
  },
  {
    rule: "LOGS_RETENTION",
    what: "log group kept forever",
    layer: "foundation",
    address: "aws_cloudwatch_log_group.cluster",
    breakIt: (j) => void delete resource(j, "aws_cloudwatch_log_group.cluster").retention_in_days,
  },
  {
    rule: "SQS_ENCRYPTED",
    what: "queue without SSE",
    layer: "foundation",
    address: "aws_sqs_queue.karpenter_interruption",
    breakIt: (j) => void delete resource(j, "aws_sqs_queue.karpenter_interruption").sqs_managed_sse_enabled,
  },
  {
    rule: "EFS_ENCRYPTED",
    what: "unencrypted file system",
    layer: "storage",
    address: "aws_efs_file_system.efs",
    breakIt: (j) => void (resource(j, "aws_efs_file_system.efs").encrypted = false),
  },
  {
    rule: "EFS_ENCRYPTED",
    what: "AWS-managed key",
    layer: "storage",
    address: "aws_efs_file_system.efs",
    breakIt: (j) => void delete resource(j, "aws_efs_file_system.efs").kms_key_id,
  },
  {
    rule: "EFS_BACKUPS",
    what: "backups disabled",
    layer: "storage",
    address: "aws_efs_file_system.efs",
    breakIt: (j) => void (resource(j, "aws_efs_backup_policy.efs").backup_policy.status = "DISABLED"),
  },
  {
    rule: "EFS_TLS_ONLY",
    what: "no Deny for plain-text access",
    layer: "storage",
    address: "aws_efs_file_system.efs",
    breakIt: (j) => {
      const policy = policyOf(j, "aws_efs_file_system_policy.efs");
      policy.Statement = policy.Statement.filter((statement: Json) => statement.Effect !== "Deny");
      setPolicy(j, "aws_efs_file_system_policy.efs", policy);
    },
  },
];
