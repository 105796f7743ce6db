import type { PolicyStatement } from "../iam/policy";
import type { ManagedEnvironmentPlan } from "./plan";
import { iamArnPrefix, requiredBoundary, RUN_ROLE_PATH, WORKLOAD_AUDIENCE } from "./settings";
import type { RunPolicyStatement } from "./statements";

/**
 * The run roles' trust and the environment's run policy, as literal IAM JSON. What each layer writes is in
 * layer-policy.ts (services) and layer-iam-policy.ts (its roles), what every run role reads in layer-policy.ts,
 * the boundary every platform role carries in boundary-policy.ts.
 *
 * Trust: HCP Terraform's OIDC provider for the host, `aud` = aws.workload.identity and `sub` = this one workspace
 * in its organization and project and ONE run phase (both StringEquals): a workspace has a plan role and an apply
 * role, so a speculative or pull-request plan never holds write credentials.
 *
 * With an `assumeRoleArn`: only sts:AssumeRole on that role, for plan and apply alike (the AWS provider of every
 * platform stack assumes it, so that role's permissions, yours, are what a run can do); every other role denied.
 *
 * Without one, the apply roles build the platform, IAM included, and a run must not be able to widen what it can
 * do: it creates and changes only its layer's roles and policies, by exact name; every role it creates carries
 * the platform's permissions boundary, which denies IAM writes, sts:AssumeRole and everything outside the
 * platform's services (so a platform role with `*:*` still cannot escalate); it attaches policies only to roles
 * carrying it, passes roles to the EKS services only, cannot touch /terraform-cloud/ (its own roles and policies,
 * the boundary) and assumes no role at all (explicit Deny: not the platform's roles, not one that trusts the
 * account).
 */

export function runRoleTrust(providerArn: string, hostname: string, subject: string): PolicyStatement[] {
  return [
    {
      Sid: "TerraformCloudWorkspace",
      Effect: "Allow",
      Principal: { Federated: providerArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${hostname}:aud`]: WORKLOAD_AUDIENCE, [`${hostname}:sub`]: subject } },
    },
  ];
}

/** What a run may never do to the Terraform Cloud roles and policies (its own, the boundary). */
const TERRAFORM_CLOUD_IDENTITY_WRITES = [
  "iam:CreatePolicyVersion",
  "iam:DeletePolicy",
  "iam:DeletePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:TagPolicy",
  "iam:UntagPolicy",
  "iam:UpdateAssumeRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
  "iam:UpdateRole",
  "iam:DeleteRole",
  "iam:TagRole",
  "iam:UntagRole",
];

/**
 * Runs assume no role but the environment's: PowerUserAccess-like grants elsewhere, a policy someone attaches
 * later, or a role that trusts the account would otherwise let a run step into it.
 */
export function assumeRoleStatements(assumeRoleArn: string | undefined): RunPolicyStatement[] {
  if (!assumeRoleArn) return [{ Sid: "AssumeNoRole", Effect: "Deny", Action: "sts:AssumeRole", Resource: "*" }];
  return [
    { Sid: "AssumeEnvironmentRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: assumeRoleArn },
    { Sid: "AssumeNoOtherRole", Effect: "Deny", Action: "sts:AssumeRole", NotResource: assumeRoleArn },
  ];
}

/**
 * The environment's run policy (`aws_iam_policy.<env>_run`), on every run role, plan and apply: with an
 * assumeRoleArn, assuming that role and no other; otherwise the guard rails that hold whatever else a run role is
 * granted (its layer's IAM: layer-iam-policy.ts): no role without the platform's boundary, no boundary removed,
 * nothing under /terraform-cloud/ changed (the run roles, their policies, the boundary), no role assumed.
 */
export function runRolePermissions(plan: ManagedEnvironmentPlan): RunPolicyStatement[] {
  const { environment } = plan;
  if (environment.assumeRoleArn) return assumeRoleStatements(environment.assumeRoleArn);
  const iam = iamArnPrefix(environment);
  const boundary = requiredBoundary(environment);
  return [
    {
      Sid: "NoRoleWithoutTheBoundary",
      Effect: "Deny",
      Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
      Resource: "*",
      Condition: { StringNotEquals: { "iam:PermissionsBoundary": boundary } },
    },
    { Sid: "KeepBoundaries", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: "*" },
    {
      Sid: "ProtectTerraformCloudIdentities",
      Effect: "Deny",
      Action: TERRAFORM_CLOUD_IDENTITY_WRITES,
      Resource: [boundary, `${iam}:policy${RUN_ROLE_PATH}*`, `${iam}:role${RUN_ROLE_PATH}*`],
    },
    ...assumeRoleStatements(undefined),
  ];
}
