import { Construct } from "constructs";
import { TerraformIterator } from "cdktf";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import type { ClusterHandle } from "./cluster-handle";
import type { EnvironmentConfig } from "./config/schema";
import { partitionOf, policyJson, type PolicyStatement } from "./iam/policy";
import { platformKey } from "./kms";
import { stableId } from "./naming";
import { EFS_FILE_SYSTEM, type SharedFileSystem } from "./efs-capability";
export { EFS_FILE_SYSTEM, type SharedFileSystem };

export const NFS_PORT = 2049;

export interface EfsStorageProps {
  readonly environment: EnvironmentConfig;
  readonly cluster: ClusterHandle;
}

/**
 * Where mount targets go: the configured private subnets when the VPC is the team's own (plain strings), the
 * foundation's subnets when foundation created the VPC (cross-stack references, known once foundation is applied).
 */
export function efsPlacement(
  environment: EnvironmentConfig,
  cluster: ClusterHandle,
): { vpcId: string; subnetIds: string[] } {
  const vpc = environment.vpc;
  if (!vpc.create && vpc.id && vpc.privateSubnetIds) return { vpcId: vpc.id, subnetIds: [...vpc.privateSubnetIds] };
  return { vpcId: cluster.vpcId, subnetIds: cluster.privateSubnetIds };
}

/**
 * Clients may mount and write only through a mount target and only over TLS; root access is not granted, so
 * pods act as the access point's POSIX user. The driver mounts with TLS (efs-utils) by default.
 */
export function efsFileSystemPolicy(fileSystemArn: string): PolicyStatement[] {
  return [
    {
      Sid: "MountAndWriteThroughMountTargets",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
      Resource: fileSystemArn,
      Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
    },
    {
      Sid: "DenyUnencryptedTransport",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "*",
      Resource: fileSystemArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ];
}

/**
 * The cluster's shared file system: encrypted with a customer key (rotation on), a mount target per private
 * subnet behind a security group that admits NFS from the cluster security group only (Karpenter nodes join it),
 * daily AWS Backup, Infrequent Access with transition back on access, and `prevent_destroy` (docs/storage.md).
 */

export class EfsStorage extends Construct {
  readonly fileSystem: EfsFileSystem;
  readonly securityGroup: SecurityGroup;
  readonly mountTargets: EfsMountTarget;
  readonly kmsKeyArn: string;

  constructor(scope: Construct, id: string, props: EfsStorageProps) {
    super(scope, id);
    const env = props.environment;
    const cluster = props.cluster;
    const efs = env.storage.efs;
    const placement = efsPlacement(env, cluster);

    this.kmsKeyArn =
      env.cluster.kmsKeyArn ??
      platformKey(this, "efs", {
        name: `efs/${cluster.name}`,
        description: `EFS file system of EKS cluster ${cluster.name}`,
        account: env.account,
        partition: partitionOf(env.region),
      }).arn;

    this.fileSystem = stableId(
      new EfsFileSystem(this, "file-system", {
        creationToken: `${cluster.name}-efs`,
        encrypted: true,
        kmsKeyId: this.kmsKeyArn,
        performanceMode: efs.performanceMode,
        throughputMode: efs.throughputMode,
        lifecyclePolicy: [
          { transitionToIa: efs.transitionToIA },
          { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" },
        ],
        tags: { Name: `${cluster.name}-efs` },
        lifecycle: { preventDestroy: true },
      }),
      "efs",
    );

    stableId(
      new EfsBackupPolicy(this, "backup-policy", {
        fileSystemId: this.fileSystem.id,
        backupPolicy: { status: efs.backups ? "ENABLED" : "DISABLED" },
      }),
      "efs",
    );

    stableId(
      new EfsFileSystemPolicy(this, "file-system-policy", {
        fileSystemId: this.fileSystem.id,
        policy: policyJson(efsFileSystemPolicy(this.fileSystem.arn)),
      }),
      "efs",
    );

    this.securityGroup = stableId(
      new SecurityGroup(this, "security-group", {
        // A prefix, not a name: a replacement is created before the old group goes (mount targets switch over).
        namePrefix: `${cluster.name}-efs-`,
        description: `EFS mount targets of EKS cluster ${cluster.name}: NFS from the cluster security group only`,
        vpcId: placement.vpcId,
        tags: { Name: `${cluster.name}-efs` },
        // No egress rules: Terraform removes AWS's default allow-all; NFS replies are stateful.
        lifecycle: { createBeforeDestroy: true },
      }),
      "efs",
    );

    stableId(
      new VpcSecurityGroupIngressRule(this, "nfs-from-cluster", {
        securityGroupId: this.securityGroup.id,
        description: "NFS from the EKS cluster security group (Karpenter nodes)",
        ipProtocol: "tcp",
        fromPort: NFS_PORT,
        toPort: NFS_PORT,
        referencedSecurityGroupId: cluster.clusterSecurityGroupId,
      }),
      "efs_nfs_from_cluster",
    );

    // One per subnet, keyed by subnet id: reordering or adding subnets never replaces existing mount targets.
    const subnets = TerraformIterator.fromList(placement.subnetIds);
    this.mountTargets = stableId(
      new EfsMountTarget(this, "mount-target", {
        forEach: subnets,
        fileSystemId: this.fileSystem.id,
        subnetId: subnets.value,
        securityGroups: [this.securityGroup.id],
      }),
      "efs",
    );
  }
}
