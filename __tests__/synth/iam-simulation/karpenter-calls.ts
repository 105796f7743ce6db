import { asString, resources } from "../../../modules/terraform-json";
import { OTHER_ACCOUNT, PARTITION, type EnvironmentFacts } from "./environments";
import { identityNamed, providerContext } from "./identities";
import { callRows, requestTags, resourceTags, type CallRow } from "./rows";
import { concretePolicy } from "./substitution";
import { stackOf, type Synthesized } from "./synthesized";

/**
 * Karpenter 1.14.1 (Helm chart pin) and its node role: the calls the controller makes, with the tags it sends.
 * Tags: instance.go creates instances, volumes and the fleet with `kubernetes.io/cluster/<cluster>`=owned,
 * `karpenter.sh/nodepool`, `karpenter.k8s.aws/ec2nodeclass` and `eks:eks-cluster-name`; the tagging controller
 * later adds `Name` and `karpenter.sh/nodeclaim` to the instance.
 */

const V = "aws/karpenter-provider-aws v1.14.1";
const POLICY = `${V} website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml`;
const FLEET = `${V} pkg/providers/instance/instance.go (CreateFleet, TerminateInstances, CreateTags); ${POLICY}`;
const TEMPLATES = `${V} pkg/providers/launchtemplate/launchtemplate.go; ${POLICY}`;
const PROFILES = `${V} pkg/providers/instanceprofile/instanceprofile.go; ${POLICY}`;
const SSM = `${V} pkg/providers/ssm/provider.go (public AMI parameters); ${POLICY}`;
const QUEUE = `${V} pkg/providers/sqs/sqs.go (interruption queue); ${POLICY}`;
const OPERATOR = `${V} pkg/operator/operator.go (cluster endpoint discovery); ${POLICY}`;
const ZONAL = `${V} pkg/providers/arczonalshift/arczonalshift.go; ${POLICY}`;
const PRICING = `${V} pkg/providers/pricing/pricing.go; ${POLICY}`;

const PUBLIC_PARAMETER =
  "public SSM parameters have account-less ARNs (arn:aws:ssm:<region>::parameter/aws/service/...), which iam-data's parameter ARN pattern does not accept";

export function karpenterRows(synth: Synthesized, env: EnvironmentFacts): CallRow[] {
  const { cluster, region, account } = env;
  const who = identityNamed(synth, `${cluster}-karpenter`);
  const node = identityNamed(synth, `${cluster}-karpenter-node`);
  const other = identityNamed(synth, `${cluster}-cluster`);
  const foundation = stackOf(synth, `${env.name}-foundation`);
  const queueBlock = resources(foundation, "aws_sqs_queue")[0];
  const queueName = asString(queueBlock?.body.name);
  const queuePolicyBlock = resources(foundation, "aws_sqs_queue_policy")[0];
  if (!queueName || !queuePolicyBlock) throw new Error(`${env.name}-foundation: no interruption queue or queue policy`);
  const queuePolicy = concretePolicy(
    queuePolicyBlock.body.policy,
    providerContext(`${env.name}-foundation`, foundation, queuePolicyBlock.body),
    `${env.name}-foundation ${queuePolicyBlock.address}`,
  );
  const ec2 = (type: string, id: string) => `arn:${PARTITION}:ec2:${region}:${account}:${type}/${id}`;
  const instance = ec2("instance", "i-0123456789abcdef0");
  const template = ec2("launch-template", "lt-0123456789abcdef0");
  const profile = `arn:${PARTITION}:iam::${account}:instance-profile/${cluster}_1234567890123456789`;
  const queue = `arn:${PARTITION}:sqs:${region}:${account}:${queueName}`;
  const launchTagsOf = (name: string): Record<string, string> => ({
    [`kubernetes.io/cluster/${name}`]: "owned",
    "karpenter.sh/nodepool": "general",
    "karpenter.k8s.aws/ec2nodeclass": "default",
    "eks:eks-cluster-name": name,
  });
  const launchTags = launchTagsOf(cluster);
  const ownedBy = (name: string) =>
    resourceTags({ [`kubernetes.io/cluster/${name}`]: "owned", "karpenter.sh/nodepool": "general" });
  const otherLaunchTags = launchTagsOf("other");
  const profileTags = {
    [`kubernetes.io/cluster/${cluster}`]: "owned",
    "eks:eks-cluster-name": cluster,
    "topology.kubernetes.io/region": region,
    "karpenter.k8s.aws/ec2nodeclass": "default",
  };
  const ownedProfile = resourceTags({ ...profileTags });
  const inRegion = { "aws:RequestedRegion": region };
  const https = { "aws:SecureTransport": "true" };
  const amiParameter = `arn:${PARTITION}:ssm:${region}::parameter/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/recommended/image_id`;
  // prettier-ignore
  return [
    ...callRows(env, who, [
      { call: "ec2:CreateFleet creating its fleet with its tags", action: "ec2:CreateFleet", resource: ec2("fleet", "fleet-01234567-89ab-cdef-0123-456789abcdef"), context: requestTags(launchTags), expected: "allowed", source: FLEET },
      { call: "ec2:CreateFleet creating an instance with its tags", action: "ec2:CreateFleet", resource: instance, context: requestTags(launchTags), expected: "allowed", source: FLEET },
      { call: "ec2:CreateFleet creating a volume with its tags", action: "ec2:CreateFleet", resource: ec2("volume", "vol-0123456789abcdef0"), context: requestTags(launchTags), expected: "allowed", source: FLEET },
      { call: "ec2:CreateFleet from its launch template", action: "ec2:CreateFleet", resource: template, context: ownedBy(cluster), expected: "allowed", source: FLEET },
      { call: "ec2:CreateFleet in a subnet", action: "ec2:CreateFleet", resource: ec2("subnet", "subnet-0123456789abcdef0"), expected: "allowed", source: FLEET },
      { call: "ec2:CreateFleet with a public AMI", action: "ec2:CreateFleet", resource: `arn:${PARTITION}:ec2:${region}::image/ami-0123456789abcdef0`, expected: "allowed", source: FLEET },
      { call: "ec2:RunInstances (on CreateFleet's behalf) creating an instance with its tags", action: "ec2:RunInstances", resource: instance, context: requestTags(launchTags), expected: "allowed", source: FLEET },
      { call: "ec2:RunInstances in a security group", action: "ec2:RunInstances", resource: ec2("security-group", "sg-0123456789abcdef0"), expected: "allowed", source: FLEET },
      { call: "ec2:CreateTags on create (ec2:CreateAction CreateFleet) with its tags", action: "ec2:CreateTags", resource: instance, context: { ...requestTags(launchTags), "ec2:CreateAction": "CreateFleet" }, expected: "allowed", source: FLEET },
      { call: "ec2:CreateLaunchTemplate with its tags", action: "ec2:CreateLaunchTemplate", resource: template, context: requestTags(launchTags), expected: "allowed", source: TEMPLATES },
      { call: "ec2:CreateTags tagging its instance with Name and karpenter.sh/nodeclaim", action: "ec2:CreateTags", resource: instance, context: { ...ownedBy(cluster), ...requestTags({ Name: "ip-10-0-1-1", "karpenter.sh/nodeclaim": "general-abcde", "eks:eks-cluster-name": cluster }) }, expected: "allowed", source: FLEET },
      { call: "ec2:TerminateInstances on an instance tagged with its cluster", action: "ec2:TerminateInstances", resource: instance, context: ownedBy(cluster), expected: "allowed", source: FLEET },
      { call: "ec2:DeleteLaunchTemplate of its launch template", action: "ec2:DeleteLaunchTemplate", resource: template, context: ownedBy(cluster), expected: "allowed", source: TEMPLATES },
      ...["DescribeInstances", "DescribeInstanceTypes", "DescribeInstanceTypeOfferings", "DescribeSubnets", "DescribeSecurityGroups", "DescribeImages", "DescribeLaunchTemplates", "DescribeSpotPriceHistory", "DescribeCapacityReservations"].map(
        (call) => ({ call: `ec2:${call} in its region`, action: `ec2:${call}`, resource: "*", context: inRegion, expected: "allowed" as const, source: FLEET }),
      ),
      { call: "ssm:GetParameter of a public EKS AMI parameter", action: "ssm:GetParameter", resource: amiParameter, unvalidated: PUBLIC_PARAMETER, expected: "allowed", source: SSM },
      { call: "ssm:GetParameter of a public Bottlerocket AMI parameter", action: "ssm:GetParameter", resource: `arn:${PARTITION}:ssm:${region}::parameter/aws/service/bottlerocket/aws-k8s-1.35/x86_64/1.50.0/image_id`, unvalidated: PUBLIC_PARAMETER, expected: "allowed", source: SSM },
      { call: "pricing:GetProducts", action: "pricing:GetProducts", resource: "*", expected: "allowed", source: PRICING },
      ...["ReceiveMessage", "DeleteMessage", "GetQueueUrl"].map((call) => ({ call: `sqs:${call} on its interruption queue`, action: `sqs:${call}`, resource: queue, resourcePolicy: queuePolicy, context: https, expected: "allowed" as const, source: QUEUE })),
      { call: "iam:PassRole of its node role to EC2", action: "iam:PassRole", resource: node.arn, context: { "iam:PassedToService": "ec2.amazonaws.com" }, expected: "allowed", source: PROFILES },
      { call: "iam:CreateInstanceProfile with its tags", action: "iam:CreateInstanceProfile", resource: profile, context: requestTags(profileTags), expected: "allowed", source: PROFILES },
      { call: "iam:TagInstanceProfile of its instance profile", action: "iam:TagInstanceProfile", resource: profile, context: { ...ownedProfile, ...requestTags(profileTags) }, expected: "allowed", source: PROFILES },
      { call: "iam:AddRoleToInstanceProfile of its instance profile", action: "iam:AddRoleToInstanceProfile", resource: profile, context: ownedProfile, expected: "allowed", source: PROFILES },
      { call: "iam:GetInstanceProfile", action: "iam:GetInstanceProfile", resource: profile, expected: "allowed", source: PROFILES },
      { call: "iam:DeleteInstanceProfile of its instance profile", action: "iam:DeleteInstanceProfile", resource: profile, context: ownedProfile, expected: "allowed", source: PROFILES },
      { call: "eks:DescribeCluster of its cluster", action: "eks:DescribeCluster", resource: env.clusterArn, expected: "allowed", source: OPERATOR },
      { call: "arc-zonal-shift:GetManagedResource of its cluster", action: "arc-zonal-shift:GetManagedResource", resource: env.clusterArn, context: { "arc-zonal-shift:ResourceIdentifier": env.clusterArn }, unvalidated: "iam-data lists only ALB and NLB resources for GetManagedResource; Karpenter asks about the EKS cluster", expected: "allowed", source: ZONAL },
      // Must not.
      { call: "ec2:TerminateInstances on an instance of another cluster", action: "ec2:TerminateInstances", resource: instance, context: ownedBy("other"), expected: "denied", source: POLICY },
      { call: "ec2:TerminateInstances on an untagged instance", action: "ec2:TerminateInstances", resource: instance, expected: "denied", source: POLICY },
      { call: "ec2:RunInstances creating an instance with another cluster's tags", action: "ec2:RunInstances", resource: instance, context: requestTags(otherLaunchTags), expected: "denied", source: POLICY },
      { call: "ec2:CreateFleet creating an untagged instance", action: "ec2:CreateFleet", resource: instance, expected: "denied", source: POLICY },
      { call: "ec2:CreateFleet from another cluster's launch template", action: "ec2:CreateFleet", resource: template, context: ownedBy("other"), expected: "denied", source: POLICY },
      { call: "ec2:CreateTags re-tagging its instance with another tag key", action: "ec2:CreateTags", resource: instance, context: { ...ownedBy(cluster), ...requestTags({ "kubernetes.io/cluster/other": "owned" }) }, expected: "denied", source: POLICY },
      { call: "ec2:DescribeInstances in another region", action: "ec2:DescribeInstances", resource: "*", context: { "aws:RequestedRegion": region === "us-east-1" ? "us-west-2" : "us-east-1" }, expected: "denied", source: POLICY },
      { call: "iam:PassRole of another role (the cluster role)", action: "iam:PassRole", resource: other.arn, context: { "iam:PassedToService": "ec2.amazonaws.com" }, expected: "denied", source: POLICY },
      { call: "iam:PassRole of its node role to Lambda", action: "iam:PassRole", resource: node.arn, context: { "iam:PassedToService": "lambda.amazonaws.com" }, expected: "denied", source: POLICY },
      { call: "iam:AddRoleToInstanceProfile of another cluster's instance profile", action: "iam:AddRoleToInstanceProfile", resource: profile, context: resourceTags({ "kubernetes.io/cluster/other": "owned", "topology.kubernetes.io/region": region, "karpenter.k8s.aws/ec2nodeclass": "default" }), expected: "denied", source: POLICY },
      { call: "sqs:ReceiveMessage on another queue", action: "sqs:ReceiveMessage", resource: `arn:${PARTITION}:sqs:${region}:${account}:other-queue`, context: https, expected: "denied", source: POLICY },
      { call: "sqs:ReceiveMessage on its queue over plain HTTP", action: "sqs:ReceiveMessage", resource: queue, resourcePolicy: queuePolicy, context: { "aws:SecureTransport": "false" }, expected: "denied", source: POLICY },
      { call: "ssm:GetParameter of an account parameter", action: "ssm:GetParameter", resource: `arn:${PARTITION}:ssm:${region}:${account}:parameter/${env.name}/database/password`, expected: "denied", source: POLICY },
      { call: "eks:DescribeCluster of another cluster", action: "eks:DescribeCluster", resource: `arn:${PARTITION}:eks:${region}:${account}:cluster/other`, expected: "denied", source: POLICY },
      { call: "eks:DescribeCluster of its cluster name in another account", action: "eks:DescribeCluster", resource: `arn:${PARTITION}:eks:${region}:${OTHER_ACCOUNT}:cluster/${cluster}`, resourceAccount: OTHER_ACCOUNT, expected: "denied", source: POLICY },
    ]),
  ];
}
