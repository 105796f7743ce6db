import { externalSecretsPathPrefixes, parameterArnPattern } from "../addons/external-secrets/iam";
import type { EnvironmentConfig } from "../config/schema";
import { partitionOf } from "../iam/policy";
import { karpenterNodeRoleName } from "../addons/karpenter/infrastructure";
import { clusterNameOf, iamArnPrefix, instanceProfileStart } from "./settings";
import type { RunPolicyStatement } from "./statements";

/**
 * The permissions boundary of every role the platform creates when Terraform Cloud runs build it
 * (`aws_iam_policy.<env>_boundary`, `/terraform-cloud/tfc-<cluster>-boundary`; boundary.ts sets it on the
 * platform stacks' roles, and a run can create a role only with it).
 *
 * A boundary caps what a role's own policies can grant. This one is the union of what the platform's roles call:
 * the controllers' policies (Karpenter, the AWS Load Balancer Controller, external-dns, cert-manager, the EFS CSI
 * driver, External Secrets), the cluster role, Karpenter's nodes and Fargate's pod execution role (their AWS
 * managed policies: AmazonEKSClusterPolicy, AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy,
 * AmazonEC2ContainerRegistryPullOnly, AmazonSSMManagedInstanceCore, AmazonEKSFargatePodExecutionRolePolicy).
 * Service-wide where the platform's roles use most of a service (EC2, Elastic Load Balancing), by action
 * elsewhere: key use but not key administration, image pulls but no pushes, the SSM agent and parameter reads
 * but no commands or parameter writes. Everything else is explicitly denied: IAM writes (but passing the
 * node role and Karpenter's instance profiles), sts:AssumeRole, Organizations, Account, and every
 * other service. So a `<cluster>-*` role whose policy is `*:*` cannot create, change or assume a role.
 *
 * Tested against every policy the platform synthesizes (terraform-cloud.test.ts) and by simulating the
 * controllers' calls with it (the IAM simulation).
 */

const PLATFORM_SERVICE_ACTIONS = [
  // Karpenter, the VPC CNI, the AWS Load Balancer Controller, the cluster role
  "ec2:*",
  "elasticloadbalancing:*",
  "autoscaling:Describe*",
  "autoscaling:UpdateAutoScalingGroup",
  // image pulls of nodes and Fargate pods
  "ecr:GetAuthorizationToken",
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchImportUpstreamImage",
  // the cluster; nodes serve EKS Pod Identity
  "eks:DescribeCluster",
  "eks-auth:AssumeRoleForPodIdentity",
  // the nodes' SSM agent (parameter values: PARAMETER_READS)
  "ssm:Describe*",
  "ssm:List*",
  "ssm:GetDocument",
  "ssm:GetManifest",
  "ssm:GetDeployablePatchSnapshotForInstance",
  "ssm:PutInventory",
  "ssm:PutComplianceItems",
  "ssm:PutConfigurePackageResult",
  "ssm:UpdateAssociationStatus",
  "ssm:UpdateInstanceAssociationStatus",
  "ssm:UpdateInstanceInformation",
  "ssmmessages:*",
  "ec2messages:*",
  // keys in use: secrets envelope encryption, SecureString parameters, encrypted volumes and file systems
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
  "kms:CreateGrant",
  "kms:ListGrants",
  // Karpenter's interruption queue and prices
  "sqs:ReceiveMessage",
  "sqs:DeleteMessage",
  "sqs:GetQueueUrl",
  "sqs:GetQueueAttributes",
  "pricing:GetProducts",
  "arc-zonal-shift:GetManagedResource",
  // the load balancer controller's certificates, WAF, Shield and Cognito lookups
  "acm:DescribeCertificate",
  "acm:ListCertificates",
  "acm:GetCertificate",
  "wafv2:GetWebACL",
  "wafv2:GetWebACLForResource",
  "wafv2:AssociateWebACL",
  "wafv2:DisassociateWebACL",
  "waf-regional:GetWebACL",
  "waf-regional:GetWebACLForResource",
  "waf-regional:AssociateWebACL",
  "waf-regional:DisassociateWebACL",
  "shield:GetSubscriptionState",
  "shield:DescribeProtection",
  "shield:CreateProtection",
  "shield:DeleteProtection",
  "cognito-idp:DescribeUserPoolClient",
  // external-dns and cert-manager's DNS-01 records
  "route53:ChangeResourceRecordSets",
  "route53:GetChange",
  "route53:GetHostedZone",
  "route53:List*",
  // the EFS CSI driver's access points, and mounts with IAM authorization
  "elasticfilesystem:Describe*",
  "elasticfilesystem:CreateAccessPoint",
  "elasticfilesystem:DeleteAccessPoint",
  "elasticfilesystem:TagResource",
  "elasticfilesystem:Client*",
  // Fargate and node logging
  "logs:CreateLogGroup",
  "logs:CreateLogStream",
  "logs:DescribeLogStreams",
  "logs:PutLogEvents",
  // IAM reads the controllers make, and service-linked roles (AWS's own, e.g. Elastic Load Balancing's)
  "iam:GetInstanceProfile",
  "iam:ListInstanceProfiles",
  "iam:GetServerCertificate",
  "iam:ListServerCertificates",
  "iam:CreateServiceLinkedRole",
];

/**
 * Parameter values: AWS's public ones (Karpenter's AMI ids, `arn:<partition>:ssm:<region>::parameter/aws/service/...`)
 * and those under External Secrets' prefixes, not every parameter of the account (SSM_READ_SCOPED).
 */
const PARAMETER_READS = "ssm:GetParameter*";

/** Karpenter manages its nodes' instance profiles (`<cluster>_<hash>`) and passes the node role (nothing else does). */
const INSTANCE_PROFILE_WRITES = [
  "iam:CreateInstanceProfile",
  "iam:DeleteInstanceProfile",
  "iam:AddRoleToInstanceProfile",
  "iam:RemoveRoleFromInstanceProfile",
  "iam:TagInstanceProfile",
  "iam:UntagInstanceProfile",
];

export function boundaryStatements(environment: EnvironmentConfig): RunPolicyStatement[] {
  const iam = iamArnPrefix(environment);
  const cluster = clusterNameOf(environment);
  const nodeRole = `${iam}:role/${karpenterNodeRoleName(cluster)}`;
  const instanceProfiles = `${iam}:instance-profile/${instanceProfileStart(cluster)}*`;
  const partition = partitionOf(environment.region);
  const where = { partition, region: environment.region, account: environment.account };
  const parameters = [
    `arn:${partition}:ssm:${environment.region}::parameter/aws/service/*`,
    ...externalSecretsPathPrefixes({ environment }).map((prefix) => parameterArnPattern(where, prefix)),
  ];
  const allowed = [...PLATFORM_SERVICE_ACTIONS, PARAMETER_READS, "iam:PassRole", ...INSTANCE_PROFILE_WRITES];
  return [
    { Sid: "PlatformServices", Effect: "Allow", Action: PLATFORM_SERVICE_ACTIONS, Resource: "*" },
    { Sid: "ParameterReads", Effect: "Allow", Action: PARAMETER_READS, Resource: parameters },
    { Sid: "PassTheNodeRole", Effect: "Allow", Action: "iam:PassRole", Resource: nodeRole },
    { Sid: "KarpenterInstanceProfiles", Effect: "Allow", Action: INSTANCE_PROFILE_WRITES, Resource: instanceProfiles },
    // Explicit, whatever a role's own policy says: IAM writes, sts:AssumeRole, Organizations, Account, the rest.
    { Sid: "DenyEverythingElse", Effect: "Deny", NotAction: allowed, Resource: "*" },
    { Sid: "DenyPassingOtherRoles", Effect: "Deny", Action: "iam:PassRole", NotResource: nodeRole },
    {
      Sid: "DenyOtherInstanceProfiles",
      Effect: "Deny",
      Action: INSTANCE_PROFILE_WRITES,
      NotResource: instanceProfiles,
    },
  ];
}
