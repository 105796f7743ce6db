import { asString, resources } from "../../../modules/terraform-json";
import { PARTITION } from "./environments";
import { identityNamed, type Identity } from "./identities";
import { callRows, requestFor, type CallRow, type CallSpec } from "./rows";
import { stackOf } from "./synthesized";
import { iamArn, runRole, type RunRoles } from "./tfc-run-roles";

/**
 * Table 3 (b): escalation paths of the run roles, each a chain that must have at least one denied step, or a
 * single call that must be denied; and what a platform role given `*:*` can still do under its permissions
 * boundary. Written before the fix (issue 22) as the attacker would: with the boundary where a call needs one.
 */

const ESCALATION =
  "IAM privilege escalation through policy and trust writes (Rhino Security Labs, 'AWS IAM privilege escalation methods': CreatePolicyVersion, UpdateAssumeRolePolicy, CreateRole + AttachRolePolicy, PassRole); IAM User Guide, permissions boundaries (iam:PermissionsBoundary)";
const BOUNDARY =
  "IAM User Guide, policy evaluation logic: an explicit Deny or the absence of an Allow in the permissions boundary denies, whatever the identity policy allows (also for sts:AssumeRole of a role whose trust names this role)";
const SCOPE =
  "issue 22: each layer's apply role writes what its layer builds (modules/terraform-cloud/layer-policy.ts)";

const trusting = (principal: string) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }],
});

/** The boundary every platform role of the environment carries, as the foundation's roles name it. */
export function platformBoundaryArn(run: RunRoles): string {
  const role = resources(stackOf(run.synth, `${run.env.name}-foundation`), "aws_iam_role")[0];
  const arn = asString(role?.body.permissions_boundary);
  if (!arn) throw new Error(`${run.env.name}-foundation: its roles carry no permissions boundary`);
  return arn;
}

export function escalationRows(run: RunRoles): CallRow[] {
  const who = runRole(run, "foundation");
  const { cluster, account, region } = run.env;
  const boundary = { "iam:PermissionsBoundary": platformBoundaryArn(run) };
  const newRole = iamArn(run, "role", `${cluster}-x`);
  const newPolicy = iamArn(run, "policy", `${cluster}-x`);
  const karpenterRole = iamArn(run, "role", `${cluster}-karpenter`);
  const karpenterPolicy = iamArn(run, "policy", `${cluster}-karpenter`);
  // Another cluster of the account whose name starts with this one's (`dev-eu` beside `dev`).
  const other = `${cluster}-eu`;
  const otherProvider = iamArn(
    run,
    "oidc-provider",
    `oidc.eks.${region}.amazonaws.com/id/0THER0CLUSTER0000000000000000000`,
  );
  const otherTags = { "aws:ResourceTag/stack": `${other}-foundation` };
  const ownTag = { "aws:RequestTag/stack": `${run.env.name}-foundation`, "aws:TagKeys": ["stack"] };
  const chain = (call: string, steps: CallRow["steps"]): CallRow => ({
    id: `${run.env.name} ${who.name}: escalation: ${call}`,
    steps,
    expected: "denied",
    source: ESCALATION,
  });
  const denied = (call: string, action: string, resource: string, extra: Partial<CallSpec> = {}): CallSpec => ({
    call: `escalation: ${call}`,
    action,
    resource,
    expected: "denied",
    source: ESCALATION,
    ...extra,
  });
  // prettier-ignore
  return [
    chain("CreatePolicy <cluster>-x (*:*), CreateRole <cluster>-x trusting the run role, AttachRolePolicy, sts:AssumeRole", [
      requestFor(who, { action: "iam:CreatePolicy", resource: newPolicy }),
      requestFor(who, { action: "iam:CreateRole", resource: newRole, context: boundary }),
      requestFor(who, { action: "iam:AttachRolePolicy", resource: newRole, context: { "iam:PolicyARN": newPolicy, ...boundary } }),
      requestFor(who, { action: "sts:AssumeRole", resource: newRole, resourcePolicy: trusting(who.arn) }),
    ]),
    chain("CreatePolicyVersion on the Karpenter policy (*:*), UpdateAssumeRolePolicy of the Karpenter role trusting the run role, sts:AssumeRole", [
      requestFor(who, { action: "iam:CreatePolicyVersion", resource: karpenterPolicy }),
      requestFor(who, { action: "iam:UpdateAssumeRolePolicy", resource: karpenterRole }),
      requestFor(who, { action: "sts:AssumeRole", resource: karpenterRole, resourcePolicy: trusting(who.arn) }),
    ]),
    ...callRows(run.env, who, [
      denied("sts:AssumeRole into an arbitrary role of the account that trusts the account", "sts:AssumeRole", iamArn(run, "role", "OrganizationAccountAccessRole"), { resourcePolicy: trusting(`arn:${PARTITION}:iam::${account}:root`) }),
      denied("sts:AssumeRole into a platform role whose trust names the run role", "sts:AssumeRole", karpenterRole, { resourcePolicy: trusting(who.arn) }),
      denied("iam:AttachRolePolicy of AdministratorAccess to a platform role", "iam:AttachRolePolicy", karpenterRole, { context: { "iam:PolicyARN": `arn:${PARTITION}:iam::aws:policy/AdministratorAccess`, ...boundary } }),
      denied("iam:AttachRolePolicy of PowerUserAccess to a platform role", "iam:AttachRolePolicy", karpenterRole, { context: { "iam:PolicyARN": `arn:${PARTITION}:iam::aws:policy/PowerUserAccess`, ...boundary } }),
      denied("iam:AttachRolePolicy of its policy to a platform role without the boundary", "iam:AttachRolePolicy", karpenterRole, { context: { "iam:PolicyARN": karpenterPolicy } }),
      denied("iam:PutRolePolicy (inline) on a platform role", "iam:PutRolePolicy", karpenterRole, { context: boundary }),
      denied("iam:CreateRole outside the platform's names", "iam:CreateRole", iamArn(run, "role", "admin-x"), { context: boundary }),
      denied("iam:CreateRole of a platform role without the permissions boundary", "iam:CreateRole", karpenterRole),
      denied("iam:CreateRole of a platform role with a boundary of its own (its policy)", "iam:CreateRole", karpenterRole, { context: { "iam:PermissionsBoundary": karpenterPolicy } }),
      denied("iam:PutRolePermissionsBoundary of a platform role to a policy of its own", "iam:PutRolePermissionsBoundary", karpenterRole, { context: { "iam:PermissionsBoundary": karpenterPolicy } }),
      denied("iam:DeleteRolePermissionsBoundary of a platform role", "iam:DeleteRolePermissionsBoundary", karpenterRole, { context: boundary }),
      denied("iam:CreatePolicyVersion of the permissions boundary", "iam:CreatePolicyVersion", platformBoundaryArn(run)),
      denied("iam:SetDefaultPolicyVersion of the permissions boundary", "iam:SetDefaultPolicyVersion", platformBoundaryArn(run)),
      denied("iam:DeletePolicy of the permissions boundary", "iam:DeletePolicy", platformBoundaryArn(run)),
      denied("iam:UpdateAssumeRolePolicy of its own run role", "iam:UpdateAssumeRolePolicy", who.arn),
      denied("iam:AttachRolePolicy to its own run role", "iam:AttachRolePolicy", who.arn, { context: { "iam:PolicyARN": karpenterPolicy } }),
      denied("iam:CreatePolicyVersion of its own run policy", "iam:CreatePolicyVersion", iamArn(run, "policy", `terraform-cloud/tfc-${cluster}-run`)),
      denied("iam:PassRole of a platform role to another service (EC2)", "iam:PassRole", karpenterRole, { context: { "iam:PassedToService": "ec2.amazonaws.com" } }),
      denied(`iam:CreateRole of another cluster's role (${other}-cluster of cluster ${other})`, "iam:CreateRole", iamArn(run, "role", `${other}-cluster`), { context: boundary }),
      denied(`iam:UpdateAssumeRolePolicy of another cluster's role (${other}-karpenter)`, "iam:UpdateAssumeRolePolicy", iamArn(run, "role", `${other}-karpenter`)),
      denied(`iam:CreatePolicyVersion of another cluster's policy (${other}-karpenter)`, "iam:CreatePolicyVersion", iamArn(run, "policy", `${other}-karpenter`)),
      denied(`iam:PassRole of another cluster's role (${other}-cluster) to EKS`, "iam:PassRole", iamArn(run, "role", `${other}-cluster`), { context: { "iam:PassedToService": "eks.amazonaws.com" } }),
      denied("iam:DeleteOpenIDConnectProvider of another cluster's OIDC provider", "iam:DeleteOpenIDConnectProvider", otherProvider, { context: otherTags }),
      denied("iam:AddClientIDToOpenIDConnectProvider of another cluster's OIDC provider", "iam:AddClientIDToOpenIDConnectProvider", otherProvider, { context: otherTags }),
      denied("iam:TagOpenIDConnectProvider of another cluster's OIDC provider with this environment's stack tag", "iam:TagOpenIDConnectProvider", otherProvider, { context: { ...otherTags, ...ownTag } }),
      denied("iam:CreateUser", "iam:CreateUser", iamArn(run, "role", "x").replace(":role/", ":user/")),
      denied("iam:CreateAccessKey", "iam:CreateAccessKey", `arn:${PARTITION}:iam::${account}:user/someone`),
    ]),
  ];
}

/**
 * A platform role whose policy a run rewrote to `*:*` (CreatePolicyVersion on its policy is a legitimate update,
 * so it is allowed): under the boundary it still cannot create, change or assume a role, nor leave the
 * platform's services. Two controls are allowed, so the boundary is not a deny-all.
 */
export function boundedRoleRows(run: RunRoles): CallRow[] {
  const karpenter = identityNamed(run.synth, `${run.env.cluster}-karpenter`);
  if (!karpenter.boundary) throw new Error(`${karpenter.name}: no permissions boundary`);
  const who: Identity = {
    ...karpenter,
    name: `${karpenter.name} (*:*)`,
    policies: [
      {
        name: "everything",
        policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
      },
    ],
  };
  const { account, region, cluster } = run.env;
  const boundary = { "iam:PermissionsBoundary": platformBoundaryArn(run) };
  const outcome =
    (expected: CallSpec["expected"]) =>
    (call: string, action: string, resource: string, extra: Partial<CallSpec> = {}): CallSpec => ({
      call: `escalation: ${call}`,
      action,
      resource,
      expected,
      source: BOUNDARY,
      ...extra,
    });
  const denied = outcome("denied");
  const allowed = outcome("allowed");
  const admin = iamArn(run, "role", "admin");
  // prettier-ignore
  return callRows(run.env, who, [
    denied("iam:CreateRole, even with the boundary", "iam:CreateRole", iamArn(run, "role", `${cluster}-x`), { context: boundary }),
    denied("iam:CreatePolicyVersion of its own policy", "iam:CreatePolicyVersion", iamArn(run, "policy", `${cluster}-karpenter`)),
    denied("iam:AttachRolePolicy of AdministratorAccess to itself", "iam:AttachRolePolicy", karpenter.arn, { context: { "iam:PolicyARN": `arn:${PARTITION}:iam::aws:policy/AdministratorAccess`, ...boundary } }),
    denied("iam:PutRolePolicy on itself", "iam:PutRolePolicy", karpenter.arn, { context: boundary }),
    denied("iam:UpdateAssumeRolePolicy of itself", "iam:UpdateAssumeRolePolicy", karpenter.arn),
    denied("iam:DeleteRolePermissionsBoundary of itself", "iam:DeleteRolePermissionsBoundary", karpenter.arn, { context: boundary }),
    denied("iam:CreateUser", "iam:CreateUser", `arn:${PARTITION}:iam::${account}:user/x`),
    denied("iam:CreateAccessKey", "iam:CreateAccessKey", `arn:${PARTITION}:iam::${account}:user/someone`),
    denied("iam:PassRole of an administrator role to EC2", "iam:PassRole", admin, { context: { "iam:PassedToService": "ec2.amazonaws.com" } }),
    denied("sts:AssumeRole into a role that trusts the account", "sts:AssumeRole", admin, { resourcePolicy: trusting(`arn:${PARTITION}:iam::${account}:root`) }),
    denied("sts:AssumeRole into a role whose trust names it", "sts:AssumeRole", admin, { resourcePolicy: trusting(karpenter.arn) }),
    denied("ssm:SendCommand to an instance", "ssm:SendCommand", `arn:${PARTITION}:ec2:${region}:${account}:instance/i-0123456789abcdef0`),
    denied("kms:PutKeyPolicy", "kms:PutKeyPolicy", `arn:${PARTITION}:kms:${region}:${account}:key/0ec7a6b2-1c3d-4e5f-8a9b-0c1d2e3f4a5b`),
    denied("ecr:PutImage", "ecr:PutImage", `arn:${PARTITION}:ecr:${region}:${account}:repository/app`),
    allowed("control: ec2:DescribeInstances", "ec2:DescribeInstances", "*"),
    allowed("control: eks:DescribeCluster", "eks:DescribeCluster", run.env.clusterArn),
  ]);
}

const ORGANIZATION =
  "issue 23 item 4: with iam.permissionsBoundaryArn the organization's boundary replaces the platform's on the roles runs create (one boundary per role); the run policy pins it (NoRoleWithoutTheBoundary, KeepBoundaries, ProtectTerraformCloudIdentities) and each layer's IAM grant requires it (LayerRolesCarryTheBoundary)";

/**
 * With the organization's boundary configured: the run roles create and change the platform's roles only with
 * it, never with the platform's own or any other, never without one, never remove it, and never touch the
 * boundary policy. The organization's boundary is modelled as allowing everything about roles
 * (organization-boundary.ts), so what denies is the platform's run policy and layer grants.
 */
export function organizationBoundaryRows(run: RunRoles): CallRow[] {
  const organization = run.env.organizationBoundary;
  if (!organization) throw new Error(`${run.env.name}: configures no organization boundary`);
  const who = runRole(run, "foundation");
  const { cluster } = run.env;
  const karpenterRole = iamArn(run, "role", `${cluster}-karpenter`);
  const platformOwn = iamArn(run, "policy", `terraform-cloud/tfc-${cluster}-boundary`);
  const another = organization.replace(/[^/]+$/, "another-boundary");
  const withBoundary = (arn: string) => ({ context: { "iam:PermissionsBoundary": arn } });
  const outcome =
    (expected: CallSpec["expected"]) =>
    (call: string, action: string, resource: string, extra: Partial<CallSpec> = {}): CallSpec => ({
      call: `organization boundary: ${call}`,
      action,
      resource,
      expected,
      source: ORGANIZATION,
      ...extra,
    });
  const denied = outcome("denied");
  const allowed = outcome("allowed");
  // prettier-ignore
  return callRows(run.env, who, [
    allowed("control: iam:CreateRole of a platform role with the organization's boundary", "iam:CreateRole", karpenterRole, withBoundary(organization)),
    allowed("control: iam:PutRolePermissionsBoundary of a platform role to the organization's boundary", "iam:PutRolePermissionsBoundary", karpenterRole, withBoundary(organization)),
    denied("iam:CreateRole of a platform role without a boundary", "iam:CreateRole", karpenterRole),
    denied("iam:CreateRole of a platform role with the platform's own boundary instead", "iam:CreateRole", karpenterRole, withBoundary(platformOwn)),
    denied("iam:CreateRole of a platform role with another policy of the organization's path", "iam:CreateRole", karpenterRole, withBoundary(another)),
    denied("iam:PutRolePermissionsBoundary of a platform role to the platform's own boundary", "iam:PutRolePermissionsBoundary", karpenterRole, withBoundary(platformOwn)),
    denied("iam:DeleteRolePermissionsBoundary of a platform role", "iam:DeleteRolePermissionsBoundary", karpenterRole, withBoundary(organization)),
    denied("iam:DeleteRolePermissionsBoundary of its own run role", "iam:DeleteRolePermissionsBoundary", who.arn, withBoundary(organization)),
    ...["CreatePolicyVersion", "SetDefaultPolicyVersion", "DeletePolicyVersion", "DeletePolicy"].map((action) =>
      denied(`iam:${action} of the organization's boundary`, `iam:${action}`, organization),
    ),
  ]);
}

/** What a layer's apply role may not write: another layer's resources (the operators layer builds no EC2 or KMS). */
export function layerScopeRows(run: RunRoles): CallRow[] {
  const { account, region, cluster, clusterArn } = run.env;
  const arn = (service: string, rest: string) => `arn:${PARTITION}:${service}:${region}:${account}:${rest}`;
  const key = arn("kms", "key/0ec7a6b2-1c3d-4e5f-8a9b-0c1d2e3f4a5b");
  const denied = (call: string, action: string, resource: string, extra: Partial<CallSpec> = {}): CallSpec => ({
    call: `scope: ${call}`,
    action,
    resource,
    expected: "denied",
    source: SCOPE,
    ...extra,
  });
  const boundary = { "iam:PermissionsBoundary": platformBoundaryArn(run) };
  // prettier-ignore
  return [
    ...callRows(run.env, runRole(run, "operators"), [
      denied("ec2:CreateVpc", "ec2:CreateVpc", arn("ec2", "vpc/vpc-0123456789abcdef0")),
      denied("ec2:RunInstances", "ec2:RunInstances", arn("ec2", "instance/i-0123456789abcdef0")),
      denied("ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupIngress", arn("ec2", "security-group/sg-0123456789abcdef0")),
      denied("kms:CreateKey", "kms:CreateKey", "*"),
      denied("kms:ScheduleKeyDeletion", "kms:ScheduleKeyDeletion", key),
      denied("eks:DeleteCluster", "eks:DeleteCluster", clusterArn),
      denied("eks:CreateAccessEntry (cluster-admin for someone)", "eks:CreateAccessEntry", clusterArn),
      denied(`iam:CreateRole of a foundation role (${cluster}-karpenter)`, "iam:CreateRole", iamArn(run, "role", `${cluster}-karpenter`), { context: boundary }),
    ]),
    ...callRows(run.env, runRole(run, "network"), [
      denied("eks:UpdateClusterConfig (the endpoint's access)", "eks:UpdateClusterConfig", clusterArn),
      denied("ec2:CreateVpc", "ec2:CreateVpc", arn("ec2", "vpc/vpc-0123456789abcdef0")),
    ]),
    ...callRows(run.env, runRole(run, "foundation"), [
      denied("kms:Decrypt (no key's data)", "kms:Decrypt", key),
      denied("eks:DeleteCluster of another cluster", "eks:DeleteCluster", clusterArn.replace(`/${cluster}`, `/${cluster}-eu`)),
    ]),
  ];
}
