/**
 * The storage layer's test environments (synth/storage.test.ts synthesizes them, unit/storage-config.test.ts
 * varies them), plain data, no cdktf:
 * - dev: existing VPC (subnets from config), defaults: EKS add-on with Pod Identity, a key of its own.
 * - prod: VPC created by foundation (subnets are cross-stack references), configured cluster key, Helm + IRSA,
 *   a customised default StorageClass, backups off.
 * - stage: the CSI driver disabled: EFS stays, no StorageClass.
 */

type Json = Record<string, any>;

export const account = "111111111111";
export const clusterKey = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
export const devSubnets = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"];
/** Upstream's policy (aws-efs-csi-driver chart 3.3.0, docs/iam-policy-example.json): actions and conditions. */
export const upstreamEfsCsiStatements = [
  {
    Action: [
      "elasticfilesystem:DescribeAccessPoints",
      "elasticfilesystem:DescribeFileSystems",
      "elasticfilesystem:DescribeMountTargets",
      "ec2:DescribeAvailabilityZones",
    ],
    Condition: undefined,
  },
  {
    Action: ["elasticfilesystem:CreateAccessPoint"],
    Condition: { StringLike: { "aws:RequestTag/efs.csi.aws.com/cluster": "true" } },
  },
  {
    Action: ["elasticfilesystem:TagResource"],
    Condition: { StringLike: { "aws:ResourceTag/efs.csi.aws.com/cluster": "true" } },
  },
  {
    Action: ["elasticfilesystem:DeleteAccessPoint"],
    Condition: { StringEquals: { "aws:ResourceTag/efs.csi.aws.com/cluster": "true" } },
  },
];

export function environment(name: string, overrides: Json = {}): Json {
  return {
    name,
    account,
    region: "eu-west-1",
    vpc: { id: "vpc-0a1b2c3d4e5f60718", privateSubnetIds: devSubnets, publicSubnetIds: [] },
    dns: { domain: `${name}.example.com`, hostedZoneId: "Z0123456789ABCDEFGHIJ" },
    cluster: { access: { terraformRoleArn: `arn:aws:iam::${account}:role/platform-terraform` } },
    ...overrides,
  };
}

export const environments = [
  environment("dev"),
  environment("prod", {
    vpc: { create: { cidr: "10.20.0.0/16", azs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] } },
    cluster: { kmsKeyArn: clusterKey, access: { terraformRoleArn: `arn:aws:iam::${account}:role/platform-terraform` } },
    storage: {
      efs: { transitionToIA: "AFTER_7_DAYS", backups: false, throughputMode: "bursting" },
      storageClass: {
        name: "shared",
        isDefault: true,
        directoryPerms: "750",
        gidRangeStart: 1000,
        gidRangeEnd: 2000,
        basePath: "/volumes",
        ensureUniqueDirectory: false,
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
      },
    },
    addons: { "aws-efs-csi-driver": { delivery: "helm", identity: "irsa" } },
  }),
  environment("stage", { addons: { "aws-efs-csi-driver": { enabled: false } } }),
];
