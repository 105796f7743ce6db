import type { Construct } from "constructs";
import type { CompanionContext } from "../../engine/types";
import { platformKey } from "../../kms";
import { ebsKeyAlias } from "./iam";

/**
 * The ARN of the volumes' key: `cluster.kmsKeyArn` when configured, else `aws_kms_key.ebs` (`alias/ebs/<cluster>`),
 * the storage layer's own key for EBS (rotation on, `prevent_destroy`: deleting it would leave every volume
 * unreadable). Undefined with the account's default EBS key.
 */
export function ebsVolumeKeyArn(scope: Construct, ctx: CompanionContext): string | undefined {
  const environment = ctx.environment;
  if (environment.storage.ebs.storageClass.encryptionKey !== "platform") return undefined;
  if (environment.cluster.kmsKeyArn) return environment.cluster.kmsKeyArn;
  return platformKey(scope, "ebs", {
    name: ebsKeyAlias(ctx.cluster.name),
    description: `EBS volumes of EKS cluster ${ctx.cluster.name}, provisioned by the EBS CSI driver's StorageClass`,
    account: ctx.account,
    partition: ctx.partition,
  }).arn;
}
