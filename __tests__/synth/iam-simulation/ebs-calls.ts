import { resources } from "../../../modules/terraform-json";
import { PARTITION, type EnvironmentFacts } from "./environments";
import { identityNamed, providerContext } from "./identities";
import { callRows, requestTags, resourceTags, type CallRow } from "./rows";
import { concretePolicy, fakeKmsKeyId, type PolicyDocument } from "./substitution";
import { stackOf, type Synthesized } from "./synthesized";

/**
 * The EBS CSI driver's controller (driver v1.64.0, chart 2.64.0 / EKS add-on): the EC2 calls it makes for its
 * volumes and snapshots, with the tags it sends (it tags everything it creates `ebs.csi.aws.com/cluster=true`),
 * and the KMS calls EC2 makes on its behalf for volumes encrypted with the environment's customer key.
 */

const V = "kubernetes-sigs/aws-ebs-csi-driver v1.64.0";
const POLICY = `${V} docs/AmazonEBSCSIDriverPolicyV2.json`;
const CLOUD = `${V} pkg/cloud/cloud.go (CreateVolume/CreateSnapshot with ebs.csi.aws.com/cluster=true, Attach/Detach/Modify/DeleteVolume); ${POLICY}`;
const KMS = `${V} docs/install.md (KMS policy for encrypted volumes: grants for AWS resources, data keys); Amazon EBS User Guide, "How Amazon EBS encryption works"`;

/** KMS's default key policy: the account's IAM policies decide (keys the platform does not create). */
function defaultKeyPolicy(account: string): PolicyDocument {
  // prettier-ignore
  return { Version: "2012-10-17", Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:${PARTITION}:iam::${account}:root` }, Action: "kms:*", Resource: "*" }] };
}

/** The volumes' customer key as the config says (cluster.kmsKeyArn, else the storage stack's aws_kms_key.ebs). */
function volumeKey(
  synth: Synthesized,
  env: EnvironmentFacts,
): { arn: string; policy: PolicyDocument; aliases: string[] } {
  if (env.clusterKmsKeyArn) return { arn: env.clusterKmsKeyArn, policy: defaultKeyPolicy(env.account), aliases: [] };
  const stackName = `${env.name}-storage`;
  const stack = stackOf(synth, stackName);
  const block = resources(stack, "aws_kms_key").find((key) => key.name === "ebs");
  if (!block) throw new Error(`${stackName}: no aws_kms_key.ebs, though ${env.name}'s EBS volumes use a customer key`);
  const policy = concretePolicy(
    block.body.policy,
    providerContext(stackName, stack, block.body),
    `${stackName} ${block.address}`,
  );
  const arn = `arn:${PARTITION}:kms:${env.region}:${env.account}:key/${fakeKmsKeyId(`${stackName}/aws_kms_key.ebs`)}`;
  return { arn, policy, aliases: [`alias/ebs/${env.cluster}`] };
}

function keyRows(synth: Synthesized, env: EnvironmentFacts) {
  const viaEc2 = { "kms:ViaService": `ec2.${env.region}.amazonaws.com` };
  const forVolume = { ...viaEc2, "kms:GrantIsForAWSResource": "true" };
  const otherKey = `arn:${PARTITION}:kms:${env.region}:${env.account}:key/00000000-0000-4000-8000-000000000000`;
  const otherPolicy = defaultKeyPolicy(env.account);
  // prettier-ignore
  if (env.ebsEncryptionKey !== "platform")
    return [
      { call: "kms:CreateGrant on a customer key (the account's default EBS key needs none)", action: "kms:CreateGrant", resource: otherKey, context: forVolume, resourcePolicy: otherPolicy, expected: "denied" as const, source: KMS },
    ];
  const key = volumeKey(synth, env);
  const mine: Record<string, string[]> = key.aliases.length > 0 ? { "kms:ResourceAliases": key.aliases } : {};
  const id = key.arn.split("/").pop();
  // prettier-ignore
  return [
    { call: `kms:CreateGrant on the volumes' key ${id} for the volume`, action: "kms:CreateGrant", resource: key.arn, context: { ...forVolume, ...mine }, resourcePolicy: key.policy, expected: "allowed" as const, source: KMS },
    { call: `kms:GenerateDataKeyWithoutPlaintext with the volumes' key ${id}`, action: "kms:GenerateDataKeyWithoutPlaintext", resource: key.arn, context: { ...viaEc2, ...mine }, resourcePolicy: key.policy, expected: "allowed" as const, source: KMS },
    { call: `kms:Decrypt with the volumes' key ${id}`, action: "kms:Decrypt", resource: key.arn, context: { ...viaEc2, ...mine }, resourcePolicy: key.policy, expected: "allowed" as const, source: KMS },
    { call: `kms:DescribeKey of the volumes' key ${id}`, action: "kms:DescribeKey", resource: key.arn, context: { ...viaEc2, ...mine }, resourcePolicy: key.policy, expected: "allowed" as const, source: KMS },
    { call: `kms:CreateGrant on the volumes' key ${id} not for an AWS resource`, action: "kms:CreateGrant", resource: key.arn, context: { ...mine, "kms:GrantIsForAWSResource": "false" }, resourcePolicy: key.policy, expected: "denied" as const, source: KMS },
    { call: "kms:CreateGrant on another key", action: "kms:CreateGrant", resource: otherKey, context: forVolume, resourcePolicy: otherPolicy, expected: "denied" as const, source: KMS },
    { call: "kms:Decrypt with another key", action: "kms:Decrypt", resource: otherKey, context: viaEc2, resourcePolicy: otherPolicy, expected: "denied" as const, source: KMS },
  ];
}

/** What EC2 sends about an existing volume's or snapshot's tags: `aws:ResourceTag/<key>` and `ec2:ResourceTag/<key>`. */
function ec2ResourceTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  const ec2 = Object.fromEntries(Object.entries(tags).map(([key, value]) => [`ec2:ResourceTag/${key}`, value]));
  return { ...resourceTags(tags), ...ec2 };
}

export function ebsRows(synth: Synthesized, env: EnvironmentFacts): CallRow[] {
  const { cluster, region, account } = env;
  const who = identityNamed(synth, `${cluster}-aws-ebs-csi-driver`);
  const ec2 = (id: string, inRegion = region) => `arn:${PARTITION}:ec2:${inRegion}:${account}:${id}`;
  const volume = ec2("volume/vol-0123456789abcdef0");
  const snapshot = `arn:${PARTITION}:ec2:${region}::snapshot/snap-0123456789abcdef0`;
  const instance = ec2("instance/i-0123456789abcdef0");
  const mine = { "ebs.csi.aws.com/cluster": "true" };
  const created = {
    ...mine,
    "kubernetes.io/created-for/pvc/name": "data-db-0",
    "kubernetes.io/created-for/pvc/namespace": "apps",
  };
  const otherRegion = region === "eu-west-1" ? "eu-central-1" : "eu-west-1";
  // prettier-ignore
  return callRows(env, who, [
    { call: "ec2:DescribeVolumes", action: "ec2:DescribeVolumes", resource: "*", expected: "allowed", source: CLOUD },
    { call: "ec2:DescribeInstances", action: "ec2:DescribeInstances", resource: "*", expected: "allowed", source: CLOUD },
    { call: "ec2:CreateVolume tagged ebs.csi.aws.com/cluster=true", action: "ec2:CreateVolume", resource: volume, context: requestTags(created), expected: "allowed", source: CLOUD },
    { call: "ec2:CreateTags on create of its volume", action: "ec2:CreateTags", resource: volume, context: { ...requestTags(created), "ec2:CreateAction": "CreateVolume" }, expected: "allowed", source: CLOUD },
    { call: "ec2:AttachVolume of its volume", action: "ec2:AttachVolume", resource: volume, context: ec2ResourceTags(mine), expected: "allowed", source: CLOUD },
    { call: "ec2:AttachVolume to a node", action: "ec2:AttachVolume", resource: instance, expected: "allowed", source: CLOUD },
    { call: "ec2:ModifyVolume of its volume (expansion)", action: "ec2:ModifyVolume", resource: volume, context: ec2ResourceTags(mine), expected: "allowed", source: CLOUD },
    { call: "ec2:DetachVolume of its volume", action: "ec2:DetachVolume", resource: volume, context: ec2ResourceTags(mine), expected: "allowed", source: CLOUD },
    { call: "ec2:DeleteVolume of its volume", action: "ec2:DeleteVolume", resource: volume, context: ec2ResourceTags(mine), expected: "allowed", source: CLOUD },
    { call: "ec2:DeleteVolume of a volume the in-tree plugin created for a claim", action: "ec2:DeleteVolume", resource: volume, context: ec2ResourceTags({ "kubernetes.io/created-for/pvc/name": "data-db-0" }), expected: "allowed", source: CLOUD },
    { call: "ec2:CreateSnapshot of its volume", action: "ec2:CreateSnapshot", resource: volume, context: ec2ResourceTags(mine), expected: "allowed", source: CLOUD },
    { call: "ec2:CreateSnapshot tagged ebs.csi.aws.com/cluster=true", action: "ec2:CreateSnapshot", resource: snapshot, context: requestTags(mine), expected: "allowed", source: CLOUD },
    { call: "ec2:DeleteSnapshot of its snapshot", action: "ec2:DeleteSnapshot", resource: snapshot, context: ec2ResourceTags(mine), expected: "allowed", source: CLOUD },
    // Must not.
    { call: "ec2:CreateVolume untagged", action: "ec2:CreateVolume", resource: volume, expected: "denied", source: POLICY },
    { call: `ec2:CreateVolume in another region (${otherRegion})`, action: "ec2:CreateVolume", resource: ec2("volume/vol-0123456789abcdef0", otherRegion), context: requestTags(created), expected: "denied", source: POLICY },
    { call: "ec2:DeleteVolume of an untagged volume", action: "ec2:DeleteVolume", resource: volume, expected: "denied", source: POLICY },
    { call: "ec2:AttachVolume of an untagged volume", action: "ec2:AttachVolume", resource: volume, expected: "denied", source: POLICY },
    { call: "ec2:DeleteTags removing ebs.csi.aws.com/cluster from its volume", action: "ec2:DeleteTags", resource: volume, context: { ...ec2ResourceTags(mine), "aws:TagKeys": ["ebs.csi.aws.com/cluster"] }, expected: "denied", source: POLICY },
    { call: "ec2:DeleteSnapshot of an untagged snapshot", action: "ec2:DeleteSnapshot", resource: snapshot, expected: "denied", source: POLICY },
    { call: "ec2:TerminateInstances", action: "ec2:TerminateInstances", resource: instance, expected: "denied", source: POLICY },
    ...keyRows(synth, env),
  ]);
}
