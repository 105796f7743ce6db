import { asString, resources, type StackJson } from "../../../modules/terraform-json";
import { PARTITION } from "./environments";
import { providerContext } from "./identities";
import type { CallRow } from "./rows";
import type { ContextValues } from "./simulate";
import { concretePolicy, fakeKmsKeyId, FAKE_EFS_ID, type PolicyDocument } from "./substitution";
import { stackOf } from "./synthesized";
import {
  createTags,
  iamArn,
  providerSource,
  stacksWithType,
  typeRows,
  type RunRoles,
  type TypeCalls,
} from "./tfc-run-roles";

/**
 * Table 3 (the other resource types): per type the API calls the AWS provider makes to create, read, update and
 * destroy it, by the run role of the layer whose stack declares it, with the default tags a create sends and the
 * resource policy the service evaluates (the key policy, the queue policy, the file system policy). All should be
 * allowed. Sources: the provider's service files (internal/service/<service>/<resource>.go).
 */

type Call = TypeCalls["calls"][number];
type Phase = Call["phase"];

interface Ctx {
  readonly run: RunRoles;
  readonly arn: (service: string, rest: string, global?: boolean) => string;
  readonly tags: ContextValues;
  readonly https: ContextValues;
  /** A policy document of the environment's own stack of this layer (the first block of the type). */
  readonly policyOf: (layer: string, type: string) => PolicyDocument;
  readonly keyOf: (layer: string) => string;
  /**
   * The run environment's name of the role the first block of `type` binds (`${aws_iam_role.<x>.arn}` anywhere in
   * it), in the stack the rows are drawn from: `<its cluster>-<purpose>` becomes `<this cluster>-<purpose>`.
   */
  readonly boundRole: (type: string) => string;
}

const c = (phase: Phase, action: string, resource: string, source: string, extra: Partial<Call> = {}): Call => ({
  phase,
  action,
  resource,
  source,
  ...extra,
});
const each = (phase: Phase, actions: string[], resource: string, source: string, extra: Partial<Call> = {}): Call[] =>
  actions.map((action) => c(phase, action, resource, source, extra));

const EC2 = providerSource(
  "ec2 (vpc_.go, vpc_subnet.go, vpc_internet_gateway.go, ec2_eip.go, vpc_nat_gateway.go, vpc_route_table.go, vpc_security_group.go, vpc_default_security_group.go, ec2_tag.go)",
);
const EKS = providerSource(
  "eks (cluster.go, access_entry.go, access_policy_association.go, addon.go, fargate_profile.go, pod_identity_association.go)",
);
const KMS = providerSource("kms (key.go, alias.go)");
const LOGS = providerSource("logs/group.go");
const SQS = providerSource("sqs (queue.go, queue_policy.go)");
const EVENTS = providerSource("events (rule.go, target.go)");
const EFS = providerSource("efs (file_system.go, mount_target.go, file_system_policy.go, backup_policy.go)");
const ACM = providerSource("acm (certificate.go, certificate_validation.go)");
const R53 = providerSource("route53/record.go");
/** CreateGrant made by an AWS service (EKS, EFS) on the caller's behalf (KMS Developer Guide, kms:GrantIsForAWSResource). */
const FOR_AWS_RESOURCE = { "kms:GrantIsForAWSResource": "true" };
const SLR =
  "IAM User Guide, service-linked roles: the service creating its own (EKS, EKS Fargate) needs iam:CreateServiceLinkedRole of the caller";

/** Resource type -> its calls (layer from the stacks). Types not here and not IAM fail the completeness test. */
// prettier-ignore
export const RESOURCE_CALLS: Readonly<Record<string, (t: Ctx, layer: string) => Call[]>> = {
  aws_vpc: (t) => { const vpc = t.arn("ec2", "vpc/vpc-0123456789abcdef0"); return [c("create", "ec2:CreateVpc", vpc, EC2, { context: t.tags }), c("create", "ec2:CreateTags", vpc, EC2, { context: { ...t.tags, "ec2:CreateAction": "CreateVpc" } }), c("update", "ec2:ModifyVpcAttribute", vpc, EC2), c("read", "ec2:DescribeVpcs", "*", EC2), c("read", "ec2:DescribeVpcAttribute", vpc, EC2), c("delete", "ec2:DeleteVpc", vpc, EC2)]; },
  aws_subnet: (t) => { const subnet = t.arn("ec2", "subnet/subnet-0123456789abcdef0"); return [c("create", "ec2:CreateSubnet", subnet, EC2, { context: t.tags }), c("create", "ec2:CreateSubnet", t.arn("ec2", "vpc/vpc-0123456789abcdef0"), EC2, { what: "the VPC" }), c("update", "ec2:ModifySubnetAttribute", subnet, EC2), c("read", "ec2:DescribeSubnets", "*", EC2), c("delete", "ec2:DeleteSubnet", subnet, EC2)]; },
  aws_internet_gateway: (t) => { const igw = t.arn("ec2", "internet-gateway/igw-0123456789abcdef0"); return [c("create", "ec2:CreateInternetGateway", igw, EC2, { context: t.tags }), c("create", "ec2:AttachInternetGateway", igw, EC2), c("read", "ec2:DescribeInternetGateways", "*", EC2), c("delete", "ec2:DetachInternetGateway", igw, EC2), c("delete", "ec2:DeleteInternetGateway", igw, EC2)]; },
  aws_eip: (t) => { const eip = t.arn("ec2", "elastic-ip/eipalloc-0123456789abcdef0"); return [c("create", "ec2:AllocateAddress", eip, EC2, { context: t.tags }), c("read", "ec2:DescribeAddresses", "*", EC2), c("delete", "ec2:ReleaseAddress", eip, EC2)]; },
  aws_vpc_endpoint: (t) => { const endpoint = t.arn("ec2", "vpc-endpoint/vpce-0123456789abcdef0"); return [c("create", "ec2:CreateVpcEndpoint", endpoint, EC2, { context: t.tags }), c("create", "ec2:CreateVpcEndpoint", t.arn("ec2", "vpc/vpc-0123456789abcdef0"), EC2, { what: "its VPC" }), c("create", "ec2:CreateVpcEndpoint", t.arn("ec2", "subnet/subnet-0123456789abcdef0"), EC2, { what: "its subnets (interface)" }), c("create", "ec2:CreateVpcEndpoint", t.arn("ec2", "route-table/rtb-0123456789abcdef0"), EC2, { what: "its route tables (gateway)" }), c("read", "ec2:DescribeVpcEndpoints", "*", EC2), c("update", "ec2:ModifyVpcEndpoint", endpoint, EC2), c("delete", "ec2:DeleteVpcEndpoints", endpoint, EC2)]; },
  aws_nat_gateway: (t) => { const nat = t.arn("ec2", "natgateway/nat-0123456789abcdef0"); return [c("create", "ec2:CreateNatGateway", nat, EC2, { context: t.tags }), c("create", "ec2:CreateNatGateway", t.arn("ec2", "subnet/subnet-0123456789abcdef0"), EC2, { what: "its public subnet" }), c("create", "ec2:CreateNatGateway", t.arn("ec2", "elastic-ip/eipalloc-0123456789abcdef0"), EC2, { what: "its Elastic IP" }), c("read", "ec2:DescribeNatGateways", "*", EC2), c("delete", "ec2:DeleteNatGateway", nat, EC2)]; },
  aws_route_table: (t) => { const rtb = t.arn("ec2", "route-table/rtb-0123456789abcdef0"); return [c("create", "ec2:CreateRouteTable", rtb, EC2, { context: t.tags }), c("create", "ec2:CreateRoute", rtb, EC2), c("read", "ec2:DescribeRouteTables", "*", EC2), c("update", "ec2:ReplaceRoute", rtb, EC2), c("delete", "ec2:DeleteRoute", rtb, EC2), c("delete", "ec2:DeleteRouteTable", rtb, EC2)]; },
  aws_route_table_association: (t) => { const rtb = t.arn("ec2", "route-table/rtb-0123456789abcdef0"); return [c("create", "ec2:AssociateRouteTable", rtb, EC2), c("delete", "ec2:DisassociateRouteTable", rtb, EC2)]; },
  aws_default_security_group: (t) => { const sg = t.arn("ec2", "security-group/sg-0123456789abcdef0"); return [c("read", "ec2:DescribeSecurityGroups", "*", EC2), ...each("update", ["ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"], sg, EC2), c("update", "ec2:CreateTags", sg, EC2, { context: t.tags })]; },
  aws_security_group: (t) => { const sg = t.arn("ec2", "security-group/sg-0123456789abcdef0"); return [c("create", "ec2:CreateSecurityGroup", sg, EC2, { context: t.tags }), c("create", "ec2:CreateTags", sg, EC2, { context: { ...t.tags, "ec2:CreateAction": "CreateSecurityGroup" } }), c("create", "ec2:RevokeSecurityGroupEgress", sg, EC2), c("read", "ec2:DescribeSecurityGroups", "*", EC2), c("delete", "ec2:DeleteSecurityGroup", sg, EC2)]; },
  aws_vpc_security_group_ingress_rule: (t) => { const sg = t.arn("ec2", "security-group/sg-0123456789abcdef0"); return [c("create", "ec2:AuthorizeSecurityGroupIngress", sg, EC2), c("read", "ec2:DescribeSecurityGroupRules", "*", EC2), c("delete", "ec2:RevokeSecurityGroupIngress", sg, EC2)]; },
  aws_ec2_tag: (t) => { const sg = t.arn("ec2", "security-group/sg-0123456789abcdef0"); return [c("create", "ec2:CreateTags", sg, EC2, { what: "the cluster security group", context: { "aws:RequestTag/karpenter.sh/discovery": t.run.env.cluster, "aws:TagKeys": ["karpenter.sh/discovery"] } }), c("read", "ec2:DescribeTags", "*", EC2), c("delete", "ec2:DeleteTags", sg, EC2)]; },
  aws_eks_cluster: (t, layer) => {
    const cluster = t.run.env.clusterArn;
    const key = t.keyOf(layer);
    return [
      c("create", "eks:CreateCluster", "*", EKS, { context: t.tags }),
      c("create", "iam:PassRole", iamArn(t.run, "role", `${t.run.env.cluster}-cluster`), EKS, { what: "the cluster role", context: { "iam:PassedToService": "eks.amazonaws.com" } }),
      c("create", "iam:CreateServiceLinkedRole", iamArn(t.run, "role", "aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS"), SLR, { context: { "iam:AWSServiceName": "eks.amazonaws.com" } }),
      c("create", "kms:DescribeKey", key, EKS, { what: "the secrets key", resourcePolicy: t.policyOf(layer, "aws_kms_key") }),
      c("create", "kms:CreateGrant", key, EKS, { what: "the secrets key, by EKS on the caller's behalf", resourcePolicy: t.policyOf(layer, "aws_kms_key"), context: FOR_AWS_RESOURCE }),
      c("read", "eks:DescribeCluster", cluster, EKS),
      c("update", "eks:TagResource", cluster, EKS, { context: t.tags }),
      ...each("update", ["eks:UpdateClusterConfig", "eks:UpdateClusterVersion"], cluster, EKS),
      c("delete", "eks:DeleteCluster", cluster, EKS),
    ];
  },
  aws_eks_access_entry: (t) => { const entry = t.arn("eks", `access-entry/${t.run.env.cluster}/role/${t.run.env.account}/tfc-x/0ec7a6b2-1c3d-4e5f-8a9b-0c1d2e3f4a5b`); return [c("create", "eks:CreateAccessEntry", t.run.env.clusterArn, EKS, { context: t.tags }), c("read", "eks:DescribeAccessEntry", entry, EKS), c("update", "eks:TagResource", entry, EKS, { context: t.tags }), c("delete", "eks:DeleteAccessEntry", entry, EKS)]; },
  aws_eks_access_policy_association: (t) => { const entry = t.arn("eks", `access-entry/${t.run.env.cluster}/role/${t.run.env.account}/tfc-x/0ec7a6b2-1c3d-4e5f-8a9b-0c1d2e3f4a5b`); return [c("create", "eks:AssociateAccessPolicy", entry, EKS), c("read", "eks:ListAssociatedAccessPolicies", entry, EKS), c("delete", "eks:DisassociateAccessPolicy", entry, EKS)]; },
  aws_eks_addon: (t) => { const addon = t.arn("eks", `addon/${t.run.env.cluster}/vpc-cni/0ec7a6b2-1c3d-4e5f-8a9b-0c1d2e3f4a5b`); return [c("create", "eks:CreateAddon", t.run.env.clusterArn, EKS, { context: t.tags }), c("create", "iam:PassRole", iamArn(t.run, "role", t.boundRole("aws_eks_addon")), EKS, { what: "its Pod Identity role", context: { "iam:PassedToService": "pods.eks.amazonaws.com" } }), c("read", "eks:DescribeAddon", addon, EKS), c("update", "eks:UpdateAddon", addon, EKS), c("delete", "eks:DeleteAddon", addon, EKS)]; },
  aws_eks_fargate_profile: (t) => { const profile = t.arn("eks", `fargateprofile/${t.run.env.cluster}/karpenter/0ec7a6b2-1c3d-4e5f-8a9b-0c1d2e3f4a5b`); return [c("create", "eks:CreateFargateProfile", t.run.env.clusterArn, EKS, { context: t.tags }), c("create", "iam:PassRole", iamArn(t.run, "role", `${t.run.env.cluster}-fargate`), EKS, { what: "the pod execution role", context: { "iam:PassedToService": "eks-fargate-pods.amazonaws.com" } }), c("create", "iam:CreateServiceLinkedRole", iamArn(t.run, "role", "aws-service-role/eks-fargate.amazonaws.com/AWSServiceRoleForAmazonEKSForFargate"), SLR, { context: { "iam:AWSServiceName": "eks-fargate.amazonaws.com" } }), c("read", "eks:DescribeFargateProfile", profile, EKS), c("delete", "eks:DeleteFargateProfile", profile, EKS)]; },
  aws_eks_pod_identity_association: (t) => { const association = t.arn("eks", `podidentityassociation/${t.run.env.cluster}/a-0123456789abcdef0`); return [c("create", "eks:CreatePodIdentityAssociation", t.run.env.clusterArn, EKS, { context: t.tags }), c("create", "iam:PassRole", iamArn(t.run, "role", t.boundRole("aws_eks_pod_identity_association")), EKS, { what: "its role", context: { "iam:PassedToService": "pods.eks.amazonaws.com" } }), c("read", "eks:DescribePodIdentityAssociation", association, EKS), c("update", "eks:UpdatePodIdentityAssociation", association, EKS), c("delete", "eks:DeletePodIdentityAssociation", association, EKS)]; },
  aws_kms_key: (t, layer) => { const key = t.keyOf(layer); const policy = { resourcePolicy: t.policyOf(layer, "aws_kms_key") }; return [c("create", "kms:CreateKey", "*", KMS, { context: t.tags }), c("create", "kms:TagResource", key, KMS, { ...policy, context: t.tags }), ...each("create", ["kms:EnableKeyRotation", "kms:PutKeyPolicy"], key, KMS, policy), ...each("read", ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"], key, KMS, policy), c("delete", "kms:ScheduleKeyDeletion", key, KMS, policy)]; },
  aws_kms_alias: (t, layer) => { const alias = t.arn("kms", `alias/eks/${t.run.env.cluster}`); return [c("create", "kms:CreateAlias", alias, KMS), c("create", "kms:CreateAlias", t.keyOf(layer), KMS, { what: "the key", resourcePolicy: t.policyOf(layer, "aws_kms_key") }), c("read", "kms:ListAliases", "*", KMS), c("delete", "kms:DeleteAlias", alias, KMS)]; },
  aws_cloudwatch_log_group: (t) => { const group = t.arn("logs", `log-group:/aws/eks/${t.run.env.cluster}/cluster`); return [c("create", "logs:CreateLogGroup", group, LOGS, { context: t.tags }), c("create", "logs:TagResource", group, LOGS, { context: t.tags }), c("create", "logs:PutRetentionPolicy", group, LOGS), c("read", "logs:DescribeLogGroups", "*", LOGS), c("read", "logs:ListTagsForResource", group, LOGS), c("delete", "logs:DeleteLogGroup", group, LOGS)]; },
  aws_sqs_queue: (t, layer) => { const queue = t.arn("sqs", `${t.run.env.cluster}-karpenter`); const extra = { resourcePolicy: t.policyOf(layer, "aws_sqs_queue_policy"), context: t.https }; return [c("create", "sqs:CreateQueue", queue, SQS, { ...extra, context: { ...t.tags, ...t.https } }), c("create", "sqs:TagQueue", queue, SQS, { ...extra, context: { ...t.tags, ...t.https } }), ...each("read", ["sqs:GetQueueAttributes", "sqs:ListQueueTags"], queue, SQS, extra), c("update", "sqs:SetQueueAttributes", queue, SQS, extra), c("delete", "sqs:DeleteQueue", queue, SQS, extra)]; },
  aws_sqs_queue_policy: (t, layer) => { const queue = t.arn("sqs", `${t.run.env.cluster}-karpenter`); const extra = { resourcePolicy: t.policyOf(layer, "aws_sqs_queue_policy"), context: t.https }; return [c("create", "sqs:SetQueueAttributes", queue, SQS, extra), c("read", "sqs:GetQueueAttributes", queue, SQS, extra)]; },
  aws_cloudwatch_event_rule: (t) => { const rule = t.arn("events", `rule/${t.run.env.cluster}-karpenter-spot-interruption`); return [c("create", "events:PutRule", rule, EVENTS, { context: t.tags }), c("create", "events:TagResource", rule, EVENTS, { context: t.tags }), ...each("read", ["events:DescribeRule", "events:ListTagsForResource"], rule, EVENTS), c("delete", "events:DeleteRule", rule, EVENTS)]; },
  aws_cloudwatch_event_target: (t) => { const rule = t.arn("events", `rule/${t.run.env.cluster}-karpenter-spot-interruption`); return [c("create", "events:PutTargets", rule, EVENTS), c("read", "events:ListTargetsByRule", rule, EVENTS), c("delete", "events:RemoveTargets", rule, EVENTS)]; },
  aws_efs_file_system: (t, layer) => { const fs = t.arn("elasticfilesystem", `file-system/${FAKE_EFS_ID}`); return [c("create", "elasticfilesystem:CreateFileSystem", "*", EFS, { context: t.tags }), c("create", "elasticfilesystem:TagResource", fs, EFS, { context: t.tags }), c("create", "kms:DescribeKey", t.keyOf(layer), EFS, { what: "its key", resourcePolicy: t.policyOf(layer, "aws_kms_key") }), c("create", "kms:CreateGrant", t.keyOf(layer), EFS, { what: "its key, by EFS on the caller's behalf", resourcePolicy: t.policyOf(layer, "aws_kms_key"), context: FOR_AWS_RESOURCE }), c("create", "elasticfilesystem:PutLifecycleConfiguration", fs, EFS), ...each("read", ["elasticfilesystem:DescribeFileSystems", "elasticfilesystem:DescribeLifecycleConfiguration"], fs, EFS), c("delete", "elasticfilesystem:DeleteFileSystem", fs, EFS)]; },
  aws_efs_mount_target: (t) => { const fs = t.arn("elasticfilesystem", `file-system/${FAKE_EFS_ID}`); return [c("create", "elasticfilesystem:CreateMountTarget", fs, EFS), c("create", "ec2:CreateNetworkInterface", t.arn("ec2", "network-interface/eni-0123456789abcdef0"), EFS, { what: "its ENI" }), c("read", "elasticfilesystem:DescribeMountTargets", fs, EFS), c("delete", "elasticfilesystem:DeleteMountTarget", fs, EFS)]; },
  aws_efs_file_system_policy: (t, layer) => { const fs = t.arn("elasticfilesystem", `file-system/${FAKE_EFS_ID}`); const extra = { resourcePolicy: t.policyOf(layer, "aws_efs_file_system_policy"), context: t.https }; return [c("create", "elasticfilesystem:PutFileSystemPolicy", fs, EFS, extra), c("read", "elasticfilesystem:DescribeFileSystemPolicy", fs, EFS, extra), c("delete", "elasticfilesystem:DeleteFileSystemPolicy", fs, EFS, extra)]; },
  aws_efs_backup_policy: (t) => { const fs = t.arn("elasticfilesystem", `file-system/${FAKE_EFS_ID}`); return [c("create", "elasticfilesystem:PutBackupPolicy", fs, EFS), c("read", "elasticfilesystem:DescribeBackupPolicy", fs, EFS)]; },
  aws_acm_certificate: (t) => { const cert = t.arn("acm", "certificate/01234567-89ab-4def-8123-456789abcdef"); return [c("create", "acm:RequestCertificate", "*", ACM, { context: t.tags }), c("create", "acm:AddTagsToCertificate", cert, ACM, { context: t.tags }), ...each("read", ["acm:DescribeCertificate", "acm:ListTagsForCertificate"], cert, ACM), c("delete", "acm:DeleteCertificate", cert, ACM)]; },
  aws_acm_certificate_validation: (t) => [c("create", "acm:DescribeCertificate", t.arn("acm", "certificate/01234567-89ab-4def-8123-456789abcdef"), ACM)],
  aws_route53_record: (t) => { const zone = t.arn("route53", `hostedzone/${t.run.env.hostedZoneId}`, true); const change = { "route53:ChangeResourceRecordSetsActions": ["UPSERT"], "route53:ChangeResourceRecordSetsRecordTypes": ["CNAME"], "route53:ChangeResourceRecordSetsNormalizedRecordNames": [`_0123456789abcdef.${t.run.env.domain}`] }; return [c("create", "route53:ChangeResourceRecordSets", zone, R53, { context: change }), c("create", "route53:GetChange", t.arn("route53", "change/C0123456789ABCDEFGHIJ", true), R53), c("read", "route53:ListResourceRecordSets", zone, R53), c("read", "route53:GetHostedZone", zone, R53), c("delete", "route53:ChangeResourceRecordSets", zone, R53, { context: { ...change, "route53:ChangeResourceRecordSetsActions": ["DELETE"] } })]; },
};

/** Rows of every resource type of the environments' stacks that RESOURCE_CALLS describes. */
export function resourceTypeRows(run: RunRoles, types: ReadonlyArray<string>): CallRow[] {
  const { account, region, name } = run.env;
  const ctx: Ctx = {
    run,
    arn: (service, rest, global = false) =>
      global ? `arn:${PARTITION}:${service}:::${rest}` : `arn:${PARTITION}:${service}:${region}:${account}:${rest}`,
    tags: {},
    https: { "aws:SecureTransport": "true" },
    policyOf: (layer, type) => {
      const stackName = `${name}-${layer}`;
      const stack = stackOf(run.synth, stackName);
      const block = resources(stack, type)[0];
      if (!block) throw new Error(`${stackName}: no ${type}`);
      return concretePolicy(
        block.body.policy,
        providerContext(stackName, stack, block.body),
        `${stackName} ${block.address}`,
      );
    },
    boundRole: () => {
      throw new Error("boundRole: only per type");
    },
    keyOf: (layer) => {
      const block = resources(stackOf(run.synth, `${name}-${layer}`), "aws_kms_key")[0];
      if (!block) throw new Error(`${name}-${layer}: no aws_kms_key`);
      return `arn:${PARTITION}:kms:${region}:${account}:key/${fakeKmsKeyId(`${name}-${layer}/${block.address}`)}`;
    },
  };
  return types.flatMap((type) => {
    const calls = RESOURCE_CALLS[type];
    const where = stacksWithType(run, type)[0];
    if (!calls || !where) return [];
    const boundRole = (bound: string) => boundRoleName(run, where, bound);
    return typeRows(run, type, {
      layer: where.layer,
      calls: calls({ ...ctx, tags: createTags(run, where.layer), boundRole }, where.layer),
    });
  });
}

function boundRoleName(run: RunRoles, where: { stack: StackJson; name: string }, type: string): string {
  const env = run.environments.find((candidate) => candidate.stacks.has(where.name));
  for (const block of resources(where.stack, type)) {
    const address = /\$\{aws_iam_role\.([\w-]+)\.arn\}/.exec(JSON.stringify(block.body))?.[1];
    const role = resources(where.stack, "aws_iam_role").find((candidate) => candidate.name === address);
    const name = asString(role?.body.name);
    if (env && name?.startsWith(`${env.cluster}-`)) return `${run.env.cluster}-${name.slice(env.cluster.length + 1)}`;
  }
  throw new Error(`${where.name}: no ${type} binds a role of the cluster`);
}
