import type { PolicyStatement } from "../../iam/policy";
import type { AddonContext } from "../../engine/types";

/** Tag the driver puts on every volume and snapshot it creates: the only ones it may modify, attach or delete. */
export const EBS_CSI_CLUSTER_TAG = "ebs.csi.aws.com/cluster";
/** Tag of volumes the in-tree EBS plugin created before CSI migration: upstream lets the driver manage those too. */
export const EBS_MIGRATED_PVC_TAG = "kubernetes.io/created-for/pvc/name";

/** The alias of the key the storage layer creates for EBS volumes (without `alias/`). */
export function ebsKeyAlias(clusterName: string): string {
  return `ebs/${clusterName}`;
}

/**
 * The EBS CSI controller's EC2 permissions: upstream's tag-scoped policy (driver v1.64.0,
 * docs/AmazonEBSCSIDriverPolicyV2.json), same actions and conditions, resources narrowed to the cluster's region.
 * Describe calls cannot be scoped; volumes and snapshots are created only with the driver's tag, and only tagged
 * ones (or volumes the in-tree plugin created for a claim) are modified, attached, detached or deleted.
 */
export function ebsCsiDriverStatements(ctx: AddonContext): PolicyStatement[] {
  const ec2 = (resource: string) => `arn:${ctx.partition}:ec2:${ctx.region}:*:${resource}`;
  const volumes = ec2("volume/*");
  const snapshots = ec2("snapshot/*");
  const managed = { StringEquals: { [`ec2:ResourceTag/${EBS_CSI_CLUSTER_TAG}`]: "true" } };
  const migrated = { StringLike: { [`ec2:ResourceTag/${EBS_MIGRATED_PVC_TAG}`]: "*" } };
  const createdTagged = { StringEquals: { [`aws:RequestTag/${EBS_CSI_CLUSTER_TAG}`]: "true" } };
  const volumeWrites = ["ec2:ModifyVolume", "ec2:AttachVolume", "ec2:DetachVolume", "ec2:DeleteVolume"];
  return [
    {
      Sid: "ReadOnlyDescribeOperations",
      Effect: "Allow",
      Action: [
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeSnapshots",
        "ec2:DescribeVolumes",
        "ec2:DescribeVolumesModifications",
        "ec2:DescribeVolumeStatus",
      ],
      Resource: "*",
    },
    {
      Sid: "CreateAndCopyVolumesWithManagedTag",
      Effect: "Allow",
      Action: ["ec2:CreateVolume", "ec2:CopyVolumes"],
      Resource: volumes,
      Condition: createdTagged,
    },
    {
      Sid: "CopyManagedVolumes",
      Effect: "Allow",
      Action: ["ec2:CopyVolumes"],
      Resource: ec2("volume/vol-*"),
      Condition: managed,
    },
    {
      Sid: "CopyCSIMigratedVolumes",
      Effect: "Allow",
      Action: ["ec2:CopyVolumes"],
      Resource: ec2("volume/vol-*"),
      Condition: migrated,
    },
    {
      Sid: "CreateSnapshotsWithManagedTag",
      Effect: "Allow",
      Action: ["ec2:CreateSnapshot"],
      Resource: snapshots,
      Condition: createdTagged,
    },
    {
      Sid: "CreateSnapshotsFromManagedVolumes",
      Effect: "Allow",
      Action: ["ec2:CreateSnapshot"],
      Resource: volumes,
      Condition: managed,
    },
    { Sid: "ManageManagedVolumes", Effect: "Allow", Action: volumeWrites, Resource: volumes, Condition: managed },
    { Sid: "ManageCSIMigratedVolumes", Effect: "Allow", Action: volumeWrites, Resource: volumes, Condition: migrated },
    {
      Sid: "CreateVolumesFromAndEnableFSROnManagedSnapshots",
      Effect: "Allow",
      Action: ["ec2:CreateVolume", "ec2:EnableFastSnapshotRestores"],
      Resource: snapshots,
      Condition: managed,
    },
    {
      Sid: "AttachDetachVolumesToAnyInstance",
      Effect: "Allow",
      Action: ["ec2:AttachVolume", "ec2:DetachVolume"],
      Resource: ec2("instance/*"),
    },
    {
      Sid: "DeleteAndLockManagedSnapshots",
      Effect: "Allow",
      Action: ["ec2:DeleteSnapshot", "ec2:LockSnapshot"],
      Resource: snapshots,
      Condition: managed,
    },
    {
      Sid: "TagResourcesOnCreation",
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: [volumes, snapshots],
      Condition: { StringEquals: { "ec2:CreateAction": ["CreateVolume", "CreateSnapshot", "CopyVolumes"] } },
    },
    {
      Sid: "ModifyTagsOnManagedVolumes",
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags"],
      Resource: volumes,
      Condition: {
        ...managed,
        Null: { "aws:TagKeys": "false" },
        "ForAllValues:StringNotEquals": {
          "aws:TagKeys": [EBS_CSI_CLUSTER_TAG, "ebs.csi.aws.com/cluster-name", EBS_MIGRATED_PVC_TAG],
        },
      },
    },
  ];
}

/**
 * The KMS permissions upstream documents for volumes encrypted with a customer key (grants only for AWS
 * resources, so EC2 can attach the volume; the data-key calls EC2 makes on the driver's behalf), on the volumes'
 * key only. None with the account's default key. A configured `cluster.kmsKeyArn` is named as it is; the key the
 * storage layer creates is known by its alias until applied, so its statements hold for the key carrying that
 * alias (`kms:ResourceAliases`), in this account and region only.
 */
export function ebsVolumeKeyStatements(ctx: AddonContext): PolicyStatement[] {
  if (ctx.environment.storage.ebs.storageClass.encryptionKey !== "platform") return [];
  const configured = ctx.environment.cluster.kmsKeyArn;
  const scope: Pick<PolicyStatement, "Resource" | "Condition"> = configured
    ? { Resource: configured }
    : {
        Resource: `arn:${ctx.partition}:kms:${ctx.region}:${ctx.account}:key/*`,
        Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/${ebsKeyAlias(ctx.cluster.name)}` } },
      };
  return [
    {
      Sid: "VolumeKeyGrantsForAwsResources",
      Effect: "Allow",
      // Upstream's example also lists kms:RevokeGrant: EC2 retires a volume's grants itself, so it is left out (and
      // the permissions boundary of Terraform Cloud-built roles does not allow it).
      Action: ["kms:CreateGrant", "kms:ListGrants"],
      Resource: scope.Resource,
      Condition: { ...scope.Condition, Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
    {
      Sid: "VolumeKeyUse",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      ...scope,
    },
  ];
}
