/** Names and ARNs of what Karpenter's companions create: plain functions the declaration and its IAM policy read. */

/** IAM role of the nodes Karpenter launches (at most 64 characters). */
export function karpenterNodeRoleName(clusterName: string): string {
  const suffix = "-karpenter-node";
  return `${clusterName.slice(0, 64 - suffix.length)}${suffix}`;
}

/** SQS interruption queue (at most 80 characters). */
export function karpenterQueueName(clusterName: string): string {
  const suffix = "-karpenter";
  return `${clusterName.slice(0, 80 - suffix.length)}${suffix}`;
}

export function karpenterNodeRoleArn(partition: string, account: string, clusterName: string): string {
  return `arn:${partition}:iam::${account}:role/${karpenterNodeRoleName(clusterName)}`;
}

export function karpenterQueueArn(partition: string, region: string, account: string, clusterName: string): string {
  return `arn:${partition}:sqs:${region}:${account}:${karpenterQueueName(clusterName)}`;
}
