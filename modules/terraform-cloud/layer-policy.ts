import { dnsSuffixOf, hostedZoneArn } from "../iam/policy";
import type { Layer } from "../layers";
import { stackName } from "../naming";
import type { ManagedEnvironmentPlan } from "./plan";
import { iamArnPrefix, instanceProfileStart } from "./settings";
import type { RunPolicyStatement } from "./statements";

/**
 * What each layer's apply role writes (`aws_iam_policy.<env>_<layer>`), and what every run role reads
 * (`aws_iam_policy.<env>_plan`: the plan roles' only policy, and on every apply role). PowerUserAccess is gone:
 * a run gets the services its layer builds, nothing else. The operators layer writes no EC2, VPC or KMS; the
 * storage layer only security groups and the file system's network interfaces; only the foundation builds the
 * network, the cluster and its OIDC provider. The IAM simulation's resource-call tables are the check: each row
 * is a call the layer's resources make, by that layer's role (__tests__/synth/iam-simulation).
 *
 * Scoped where the service allows: EKS to this cluster and its objects, control-plane logs to its log group,
 * Route 53 to the environment's zone, the cluster's OIDC provider by the `stack` tag the foundation's default tags
 * put on it. Keys: their administration (no Decrypt, Encrypt, GenerateDataKey), and grants only for the AWS
 * services that use them (EKS, EFS). Reads: Describe/Get/List of the platform's services, never data (no log
 * events, no parameter or secret values, no queue messages).
 */

/** Key administration, as KMS's console gives a key administrator; CreateGrant only through an AWS service. */
const KEY_ADMINISTRATION = [
  "kms:CreateKey",
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
  "kms:Describe*",
  "kms:Get*",
  "kms:List*",
  "kms:PutKeyPolicy",
  "kms:EnableKeyRotation",
  "kms:DisableKeyRotation",
  "kms:UpdateKeyDescription",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
];

/** The reads of the platform's services: every run role's, and a plan role's only permissions. */
const PLATFORM_READS = [
  "ec2:Describe*",
  "eks:Describe*",
  "eks:List*",
  "iam:Get*",
  "iam:List*",
  "kms:Describe*",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:List*",
  "logs:DescribeLogGroups",
  "logs:ListTagsForResource",
  "logs:ListTagsLogGroup",
  "sqs:GetQueueAttributes",
  "sqs:GetQueueUrl",
  "sqs:ListQueues",
  "sqs:ListQueueTags",
  "events:Describe*",
  "events:List*",
  "elasticfilesystem:Describe*",
  "elasticfilesystem:ListTagsForResource",
  "acm:Describe*",
  "acm:List*",
  "route53:Get*",
  "route53:List*",
];

export function readStatements(): RunPolicyStatement[] {
  return [{ Sid: "PlatformReads", Effect: "Allow", Action: PLATFORM_READS, Resource: "*" }];
}

interface Scope {
  readonly plan: ManagedEnvironmentPlan;
  /** `arn:<partition>:<service>:<region>:<account>:<rest>` */
  readonly arn: (service: string, rest: string) => string;
  readonly iam: string;
}

function keyStatements(): RunPolicyStatement[] {
  return [
    { Sid: "KeyAdministration", Effect: "Allow", Action: KEY_ADMINISTRATION, Resource: "*" },
    {
      Sid: "KeyGrantsForAwsServices",
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ];
}

/** The later layers' EKS writes: add-ons and Pod Identity associations of this cluster, nothing of the cluster itself. */
function addOnStatements({ plan, arn }: Scope): RunPolicyStatement[] {
  const cluster = plan.clusterName;
  return [
    {
      Sid: "ClusterAddOns",
      Effect: "Allow",
      Action: ["eks:CreateAddon", "eks:CreatePodIdentityAssociation"],
      Resource: arn("eks", `cluster/${cluster}`),
    },
    {
      Sid: "ClusterAddOnObjects",
      Effect: "Allow",
      Action: "eks:*",
      Resource: [arn("eks", `addon/${cluster}/*`), arn("eks", `podidentityassociation/${cluster}/*`)],
    },
  ];
}

function foundationStatements(scope: Scope): RunPolicyStatement[] {
  const { plan, arn, iam } = scope;
  const { environment, clusterName: cluster } = plan;
  const dns = dnsSuffixOf(environment.region);
  const oidcProviders = `${iam}:oidc-provider/oidc.eks.${environment.region}.${dns}/id/*`;
  const stackTag = "aws:ResourceTag/stack";
  const foundation = stackName(environment.name, "foundation");
  return [
    // VPC, subnets, gateways, routes, endpoints, security groups and the tags Karpenter discovers them by.
    { Sid: "Network", Effect: "Allow", Action: "ec2:*", Resource: "*" },
    // CreateCluster has no resource-level permission: only with the foundation's default `stack` tag.
    {
      Sid: "CreateCluster",
      Effect: "Allow",
      Action: "eks:CreateCluster",
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestTag/stack": foundation } },
    },
    {
      Sid: "Cluster",
      Effect: "Allow",
      Action: "eks:*",
      Resource: ["cluster", "addon", "access-entry", "fargateprofile", "podidentityassociation"].map((type) =>
        arn("eks", type === "cluster" ? `cluster/${cluster}` : `${type}/${cluster}/*`),
      ),
    },
    ...keyStatements(),
    {
      Sid: "ControlPlaneLogs",
      Effect: "Allow",
      Action: "logs:*",
      Resource: arn("logs", `log-group:/aws/eks/${cluster}/*`),
    },
    { Sid: "InterruptionQueue", Effect: "Allow", Action: "sqs:*", Resource: "*" },
    { Sid: "InterruptionEvents", Effect: "Allow", Action: "events:*", Resource: "*" },
    // The cluster's OIDC provider: its id exists only once the cluster does, so it is told by the `stack` tag the
    // foundation's default tags give it (a provider of another environment has its own; an untagged one, made by
    // hand, can be tagged: the residual, README).
    {
      Sid: "CreateClusterOidcProvider",
      Effect: "Allow",
      Action: "iam:CreateOpenIDConnectProvider",
      Resource: oidcProviders,
      Condition: { StringEquals: { "aws:RequestTag/stack": foundation } },
    },
    {
      Sid: "TagClusterOidcProvider",
      Effect: "Allow",
      Action: "iam:TagOpenIDConnectProvider",
      Resource: oidcProviders,
      Condition: { StringEqualsIfExists: { [stackTag]: foundation, "aws:RequestTag/stack": foundation } },
    },
    {
      Sid: "ClusterOidcProvider",
      Effect: "Allow",
      Action: [
        "iam:DeleteOpenIDConnectProvider",
        "iam:UntagOpenIDConnectProvider",
        "iam:UpdateOpenIDConnectProviderThumbprint",
        "iam:AddClientIDToOpenIDConnectProvider",
        "iam:RemoveClientIDFromOpenIDConnectProvider",
      ],
      Resource: oidcProviders,
      Condition: { StringEquals: { [stackTag]: foundation } },
    },
    // Karpenter creates `<cluster>_<hash>` instance profiles for its node role; deleting that role detaches them.
    {
      Sid: "KarpenterInstanceProfiles",
      Effect: "Allow",
      Action: ["iam:RemoveRoleFromInstanceProfile", "iam:GetInstanceProfile"],
      Resource: `${iam}:instance-profile/${instanceProfileStart(cluster)}*`,
    },
    // EKS and Fargate create theirs on first use; the spot one is a resource (and the AWS provider tags it).
    {
      Sid: "ServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: `${iam}:role/aws-service-role/*`,
      Condition: {
        StringEquals: {
          "iam:AWSServiceName": ["eks.amazonaws.com", "eks-fargate.amazonaws.com", "spot.amazonaws.com"],
        },
      },
    },
    {
      Sid: "SpotServiceLinkedRole",
      Effect: "Allow",
      Action: ["iam:DeleteServiceLinkedRole", "iam:GetServiceLinkedRoleDeletionStatus", "iam:TagRole", "iam:UntagRole"],
      Resource: `${iam}:role/aws-service-role/spot.amazonaws.com/*`,
    },
  ];
}

function networkStatements(scope: Scope): RunPolicyStatement[] {
  const { plan } = scope;
  const zone = plan.environment.dns?.hostedZoneId;
  return [
    {
      Sid: "Certificates",
      Effect: "Allow",
      Action: [
        "acm:RequestCertificate",
        "acm:AddTagsToCertificate",
        "acm:RemoveTagsFromCertificate",
        "acm:UpdateCertificateOptions",
        "acm:DeleteCertificate",
      ],
      Resource: "*",
    },
    ...(zone
      ? [
          {
            Sid: "DnsRecords",
            Effect: "Allow" as const,
            Action: ["route53:ChangeResourceRecordSets", "route53:ChangeTagsForResource"],
            Resource: hostedZoneArn(plan.partition, zone),
          },
        ]
      : []),
    ...addOnStatements(scope),
  ];
}

function storageStatements(scope: Scope): RunPolicyStatement[] {
  return [
    { Sid: "FileSystems", Effect: "Allow", Action: "elasticfilesystem:*", Resource: "*" },
    // The file system's security group and rule, and the network interfaces of its mount targets: no other EC2.
    {
      Sid: "FileSystemNetwork",
      Effect: "Allow",
      Action: [
        "ec2:CreateSecurityGroup",
        "ec2:DeleteSecurityGroup",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:AuthorizeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupEgress",
        "ec2:ModifySecurityGroupRules",
        "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
        "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
      ],
      Resource: "*",
    },
    {
      Sid: "FileSystemNetworkTags",
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags"],
      Resource: ["security-group", "security-group-rule", "network-interface"].map((type) =>
        scope.arn("ec2", `${type}/*`),
      ),
    },
    ...keyStatements(),
    ...addOnStatements(scope),
  ];
}

const LAYER_STATEMENTS: Readonly<Record<Layer, (scope: Scope) => RunPolicyStatement[]>> = {
  foundation: foundationStatements,
  network: networkStatements,
  storage: storageStatements,
  operators: addOnStatements,
};

/** What the layer's apply role writes, beside the environment's run policy (IAM) and the reads. */
export function layerStatements(plan: ManagedEnvironmentPlan, layer: Layer): RunPolicyStatement[] {
  const { environment, partition } = plan;
  return LAYER_STATEMENTS[layer]({
    plan,
    iam: iamArnPrefix(environment),
    arn: (service, rest) => `arn:${partition}:${service}:${environment.region}:${environment.account}:${rest}`,
  });
}
