import type { PolicyStatement } from "../../iam/policy";

/** Tag the driver puts on every access point it creates, and the only ones it may tag or delete. */
export const EFS_CSI_CLUSTER_TAG = "efs.csi.aws.com/cluster";

/**
 * The EFS CSI controller's permissions: upstream's published policy (chart 3.3.0, docs/iam-policy-example.json),
 * same actions and conditions. Describe calls cannot be scoped; writes are limited to access points carrying
 * the driver's tag, so the controller cannot touch access points someone else created.
 */
export function efsCsiDriverStatements(): PolicyStatement[] {
  return [
    {
      Sid: "Describe",
      Effect: "Allow",
      Action: [
        "elasticfilesystem:DescribeAccessPoints",
        "elasticfilesystem:DescribeFileSystems",
        "elasticfilesystem:DescribeMountTargets",
        "ec2:DescribeAvailabilityZones",
      ],
      Resource: "*",
    },
    {
      Sid: "CreateTaggedAccessPoints",
      Effect: "Allow",
      Action: ["elasticfilesystem:CreateAccessPoint"],
      Resource: "*",
      Condition: { StringLike: { [`aws:RequestTag/${EFS_CSI_CLUSTER_TAG}`]: "true" } },
    },
    {
      Sid: "TagOwnAccessPoints",
      Effect: "Allow",
      Action: ["elasticfilesystem:TagResource"],
      Resource: "*",
      Condition: { StringLike: { [`aws:ResourceTag/${EFS_CSI_CLUSTER_TAG}`]: "true" } },
    },
    {
      Sid: "DeleteOwnAccessPoints",
      Effect: "Allow",
      Action: "elasticfilesystem:DeleteAccessPoint",
      Resource: "*",
      Condition: { StringEquals: { [`aws:ResourceTag/${EFS_CSI_CLUSTER_TAG}`]: "true" } },
    },
  ];
}
