import { dnsSuffixOf, managedPolicyArn, type PolicyStatement } from "../iam/policy";
import type { ManagedEnvironmentPlan } from "./plan";
import { WORKLOAD_AUDIENCE } from "./settings";

/**
 * The run roles' trust and permissions, as literal IAM JSON (policyJson).
 *
 * Trust: HCP Terraform's OIDC provider for the host, `aud` = aws.workload.identity (StringEquals) and `sub` =
 * this one workspace in its organization and project, any run phase (StringLike on `run_phase:*` only).
 *
 * Permissions, when the environment has an `assumeRoleArn`: only sts:AssumeRole on that role. The AWS provider
 * of every platform stack assumes it anyway, so that role's permissions (yours, reviewed once) are what a run can
 * do, and the run role is a stepping stone.
 *
 * Without one, the run role is the identity that builds the whole platform, which needs EC2/VPC, EKS, KMS,
 * CloudWatch Logs, SQS, EventBridge, EFS, ACM and Route 53 in full, and IAM for its own roles. Least privilege
 * per API call is not maintainable for that set, and AdministratorAccess is refused (IAM_NO_ADMIN_POLICY), so:
 *   - PowerUserAccess (AWS managed): every service except IAM, Organizations and Account management;
 *   - plus IAM scoped to the platform's own objects: roles and policies named `<cluster>-*` (roleName's
 *     convention), the cluster's EKS OIDC provider in the region, Karpenter's `<cluster>_*` instance profiles;
 *     managed-policy attachments limited to the exact AWS policies the platform attaches (no AdministratorAccess,
 *     IAMFullAccess or PowerUserAccess on a platform role) and to `<cluster>-*` customer policies.
 * Run roles live under /terraform-cloud/, which no `role/<cluster>-*` grant matches: a run cannot widen its own
 * role. What remains (docs in README "Terraform Cloud"): a run may write a broad `<cluster>-*` policy for a
 * `<cluster>-*` role and give it to a pod, so the run role is privileged within the account; a permissions
 * boundary on every platform role would close that and is not there yet.
 */

export function runRoleTrust(providerArn: string, hostname: string, subject: string): PolicyStatement[] {
  return [
    {
      Sid: "TerraformCloudWorkspace",
      Effect: "Allow",
      Principal: { Federated: providerArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: { [`${hostname}:aud`]: WORKLOAD_AUDIENCE },
        StringLike: { [`${hostname}:sub`]: subject },
      },
    },
  ];
}

/** The AWS managed policies the platform itself attaches (cluster, Fargate, Karpenter's node role) and its add-ons'. */
const PLATFORM_MANAGED_POLICIES = [
  "AmazonEKSClusterPolicy",
  "AmazonEKSFargatePodExecutionRolePolicy",
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonSSMManagedInstanceCore",
];

/** Attached by ARN to every run role that builds the platform itself (no assumeRoleArn). */
export const RUN_ROLE_MANAGED_POLICY = "PowerUserAccess";

/** IAM writes on roles; reads the AWS provider needs to refresh and delete them. */
const ROLE_ACTIONS = [
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:GetRole",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
  "iam:UpdateAssumeRolePolicy",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:ListRolePolicies",
  "iam:ListAttachedRolePolicies",
  "iam:ListInstanceProfilesForRole",
  "iam:PassRole",
];
const POLICY_ACTIONS = [
  "iam:CreatePolicy",
  "iam:DeletePolicy",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:ListPolicyVersions",
  "iam:CreatePolicyVersion",
  "iam:DeletePolicyVersion",
  "iam:TagPolicy",
  "iam:UntagPolicy",
];
const OIDC_PROVIDER_ACTIONS = [
  "iam:CreateOpenIDConnectProvider",
  "iam:DeleteOpenIDConnectProvider",
  "iam:GetOpenIDConnectProvider",
  "iam:TagOpenIDConnectProvider",
  "iam:UntagOpenIDConnectProvider",
  "iam:UpdateOpenIDConnectProviderThumbprint",
  "iam:AddClientIDToOpenIDConnectProvider",
  "iam:RemoveClientIDFromOpenIDConnectProvider",
];

/**
 * The run roles' own policy for one environment. `addonManagedPolicies`: AWS managed policies the catalog's
 * add-ons attach (IdentitySpec.managedPolicies), allowed beside the platform's.
 */
export function runRolePermissions(
  plan: ManagedEnvironmentPlan,
  addonManagedPolicies: ReadonlyArray<string> = [],
): PolicyStatement[] {
  const { environment, partition, clusterName } = plan;
  if (environment.assumeRoleArn) {
    return [
      { Sid: "AssumeEnvironmentRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: environment.assumeRoleArn },
    ];
  }
  const iam = `arn:${partition}:iam::${environment.account}`;
  // roleName() truncates long cluster names before `-<purpose>`; the shortest prefix it can leave still identifies them.
  const prefix = clusterName.length > 30 ? `${clusterName.slice(0, 30)}*` : `${clusterName}-*`;
  const managed = [...new Set([...PLATFORM_MANAGED_POLICIES, ...addonManagedPolicies])]
    .sort()
    .map((name) => managedPolicyArn(environment.region, name));
  return [
    { Sid: "PlatformRoles", Effect: "Allow", Action: ROLE_ACTIONS, Resource: `${iam}:role/${prefix}` },
    {
      Sid: "PlatformRolePolicyAttachments",
      Effect: "Allow",
      Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      Resource: `${iam}:role/${prefix}`,
      Condition: { ArnEquals: { "iam:PolicyARN": [...managed] } },
    },
    {
      Sid: "PlatformCustomerPolicyAttachments",
      Effect: "Allow",
      Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      Resource: `${iam}:role/${prefix}`,
      Condition: { ArnLike: { "iam:PolicyARN": `${iam}:policy/${prefix}` } },
    },
    { Sid: "PlatformPolicies", Effect: "Allow", Action: POLICY_ACTIONS, Resource: `${iam}:policy/${prefix}` },
    {
      Sid: "ClusterOidcProvider",
      Effect: "Allow",
      Action: OIDC_PROVIDER_ACTIONS,
      Resource: `${iam}:oidc-provider/oidc.eks.${environment.region}.${dnsSuffixOf(environment.region)}/id/*`,
    },
    // Karpenter creates `<cluster>_<hash>` instance profiles for its node role; deleting that role detaches them.
    {
      Sid: "KarpenterInstanceProfiles",
      Effect: "Allow",
      Action: ["iam:RemoveRoleFromInstanceProfile", "iam:GetInstanceProfile"],
      Resource: `${iam}:instance-profile/${clusterName}_*`,
    },
    // PowerUserAccess creates and deletes service-linked roles (EKS, spot); the provider also reads them back.
    {
      Sid: "ServiceLinkedRoles",
      Effect: "Allow",
      Action: ["iam:GetRole", "iam:GetServiceLinkedRoleDeletionStatus"],
      Resource: `${iam}:role/aws-service-role/*`,
    },
    // The AWS provider tags a service-linked role right after creating it when the provider has default tags,
    // and every platform stack has them (the environment's tags are never empty): only the spot role is ours.
    {
      Sid: "SpotServiceLinkedRoleTags",
      Effect: "Allow",
      Action: ["iam:TagRole", "iam:UntagRole"],
      Resource: `${iam}:role/aws-service-role/spot.amazonaws.com/*`,
    },
  ];
}
