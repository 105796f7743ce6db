import { asString, resources } from "../../../modules/terraform-json";
import { managedPolicyName } from "./managed-policies";
import { callRows, resourceTags, type CallRow } from "./rows";
import { clusterOidcIssuer } from "./substitution";
import {
  createTags,
  defaultTags,
  iamArn,
  providerSource,
  runRole,
  stacksWithType,
  typeRows,
  type RunRoles,
} from "./tfc-run-roles";

/**
 * Table 3 (IAM part): what the run roles need for the platform's IAM resources, one row set per role, policy and
 * attachment the environments' stacks really declare, by the apply role of the layer that declares it (so a role
 * outside its layer's exact names shows up as denied). The escalation paths are in tfc-escalation-calls.ts.
 */

const ROLE = providerSource(
  "iam/role.go (CreateRole with Tags, TagRole, GetRole, ListRolePolicies, ListAttachedRolePolicies, UpdateAssumeRolePolicy, UpdateRoleDescription, ListInstanceProfilesForRole, DeleteRole)",
);
const POLICY = providerSource(
  "iam/policy.go (CreatePolicy with Tags, TagPolicy, GetPolicy, GetPolicyVersion, ListPolicyVersions, CreatePolicyVersion, DeletePolicyVersion, DeletePolicy)",
);
const ATTACHMENT = providerSource(
  "iam/role_policy_attachment.go (AttachRolePolicy, ListAttachedRolePolicies, DetachRolePolicy)",
);
const OIDC = providerSource("iam/openid_connect_provider.go");
const SLR = providerSource(
  "iam/service_linked_role.go (CreateServiceLinkedRole, then TagRole when tags_all is not empty; GetRole; DeleteServiceLinkedRole, GetServiceLinkedRoleDeletionStatus)",
);

/** Service-linked role names of the services the stacks create one for (IAM User Guide, services that work with IAM). */
const SERVICE_LINKED_ROLES: Readonly<Record<string, string>> = { "spot.amazonaws.com": "AWSServiceRoleForEC2Spot" };

/** `iam:PermissionsBoundary` as a call on a role that carries one sends it (CreateRole, AttachRolePolicy ...). */
function boundaryOf(role: Readonly<Record<string, unknown>>): Record<string, string> | undefined {
  const arn = asString(role.permissions_boundary);
  return arn ? { "iam:PermissionsBoundary": arn } : undefined;
}

export function iamTypeRows(run: RunRoles): CallRow[] {
  const rows: CallRow[] = [];
  const seen = new Set<string>();
  const once = (key: string) => !seen.has(key) && Boolean(seen.add(key));
  for (const { stack, layer } of stacksWithType(run, "aws_iam_role", true)) {
    const tags = createTags(run, layer);
    for (const role of resources(stack, "aws_iam_role")) {
      const name = asString(role.body.name) ?? "";
      if (!once(`role ${name}`)) continue;
      const arn = iamArn(run, "role", `${(asString(role.body.path) ?? "/").slice(1)}${name}`);
      const bounded = boundaryOf(role.body);
      // prettier-ignore
      rows.push(
        ...typeRows(run, "aws_iam_role", {
          layer,
          calls: [
            { phase: "create", what: name, action: "iam:CreateRole", resource: arn, context: { ...tags, ...bounded }, source: ROLE },
            { phase: "create", what: name, action: "iam:TagRole", resource: arn, context: tags, source: ROLE },
            ...["GetRole", "ListRolePolicies", "ListAttachedRolePolicies"].map((action) => ({ phase: "read" as const, what: name, action: `iam:${action}`, resource: arn, source: ROLE })),
            ...["UpdateAssumeRolePolicy", "UpdateRoleDescription"].map((action) => ({ phase: "update" as const, what: name, action: `iam:${action}`, resource: arn, source: ROLE })),
            // A role made before the boundary gets it in place on its layer's next apply.
            ...(bounded ? [{ phase: "update" as const, what: name, action: "iam:PutRolePermissionsBoundary", resource: arn, context: bounded, source: ROLE }] : []),
            ...["ListInstanceProfilesForRole", "DeleteRole"].map((action) => ({ phase: "delete" as const, what: name, action: `iam:${action}`, resource: arn, source: ROLE })),
          ],
        }),
      );
    }
    for (const policy of resources(stack, "aws_iam_policy")) {
      const name = asString(policy.body.name) ?? "";
      if (!once(`policy ${name}`)) continue;
      const arn = iamArn(run, "policy", `${(asString(policy.body.path) ?? "/").slice(1)}${name}`);
      const at = (phase: "create" | "read" | "update" | "delete", actions: string[], withTags = false) =>
        actions.map((action) => ({
          phase,
          what: name,
          action: `iam:${action}`,
          resource: arn,
          context: withTags ? tags : undefined,
          source: POLICY,
        }));
      // prettier-ignore
      rows.push(
        ...typeRows(run, "aws_iam_policy", {
          layer,
          calls: [...at("create", ["CreatePolicy", "TagPolicy"], true), ...at("read", ["GetPolicy", "GetPolicyVersion", "ListPolicyVersions"]), ...at("update", ["CreatePolicyVersion", "DeletePolicyVersion"]), ...at("delete", ["DeletePolicy"])],
        }),
      );
    }
    for (const attachment of resources(stack, "aws_iam_role_policy_attachment")) {
      const roleRef = /^\$\{aws_iam_role\.([\w-]+)\.name\}$/.exec(asString(attachment.body.role) ?? "")?.[1];
      const policyRef = /^\$\{aws_iam_policy\.([\w-]+)\.arn\}$/.exec(asString(attachment.body.policy_arn) ?? "")?.[1];
      const roleName = asString(resources(stack, "aws_iam_role").find((block) => block.name === roleRef)?.body.name);
      const policyBody = resources(stack, "aws_iam_policy").find((block) => block.name === policyRef)?.body;
      const literal = asString(attachment.body.policy_arn) ?? "";
      const policyArn = policyBody
        ? iamArn(run, "policy", `${(asString(policyBody.path) ?? "/").slice(1)}${asString(policyBody.name)}`)
        : managedPolicyName(literal)
          ? literal
          : undefined;
      if (!roleName || !policyArn) throw new Error(`${attachment.address}: cannot resolve its role or policy`);
      const what = `${roleName} <- ${policyArn.split("/").pop()}`;
      if (!once(`attachment ${what}`)) continue;
      const arn = iamArn(run, "role", roleName);
      const roleBody = resources(stack, "aws_iam_role").find((block) => block.name === roleRef)?.body ?? {};
      const withPolicy = { "iam:PolicyARN": policyArn, ...boundaryOf(roleBody) };
      // prettier-ignore
      rows.push(
        ...typeRows(run, "aws_iam_role_policy_attachment", {
          layer,
          calls: [
            { phase: "create", what, action: "iam:AttachRolePolicy", resource: arn, context: withPolicy, source: ATTACHMENT },
            { phase: "read", what, action: "iam:ListAttachedRolePolicies", resource: arn, source: ATTACHMENT },
            { phase: "delete", what, action: "iam:DetachRolePolicy", resource: arn, context: withPolicy, source: ATTACHMENT },
          ],
        }),
      );
    }
  }
  for (const { layer } of stacksWithType(run, "aws_iam_openid_connect_provider", true).slice(0, 1)) {
    const arn = iamArn(run, "oidc-provider", clusterOidcIssuer(run.env.region));
    const tags = createTags(run, layer);
    const tagged = resourceTags(defaultTags(run, layer));
    // prettier-ignore
    rows.push(
      ...typeRows(run, "aws_iam_openid_connect_provider", {
        layer,
        calls: [
          { phase: "create", what: "the cluster's OIDC provider", action: "iam:CreateOpenIDConnectProvider", resource: arn, context: tags, source: OIDC },
          { phase: "create", what: "the cluster's OIDC provider", action: "iam:TagOpenIDConnectProvider", resource: arn, context: tags, source: OIDC },
          { phase: "read", what: "the cluster's OIDC provider", action: "iam:GetOpenIDConnectProvider", resource: arn, source: OIDC },
          { phase: "update", what: "the cluster's OIDC provider", action: "iam:TagOpenIDConnectProvider", resource: arn, context: { ...tagged, "aws:RequestTag/cost-center": "eks", "aws:TagKeys": ["cost-center"] }, source: OIDC },
          { phase: "update", what: "the cluster's OIDC provider", action: "iam:UpdateOpenIDConnectProviderThumbprint", resource: arn, context: tagged, source: OIDC },
          { phase: "delete", what: "the cluster's OIDC provider", action: "iam:DeleteOpenIDConnectProvider", resource: arn, context: tagged, source: OIDC },
        ],
      }),
    );
  }
  for (const { stack, layer } of stacksWithType(run, "aws_iam_service_linked_role").slice(0, 1))
    for (const slr of resources(stack, "aws_iam_service_linked_role")) {
      const service = asString(slr.body.aws_service_name) ?? "";
      const roleName = SERVICE_LINKED_ROLES[service];
      if (!roleName) throw new Error(`${slr.address}: no known service-linked role name for ${service}`);
      const arn = iamArn(run, "role", `aws-service-role/${service}/${roleName}`);
      const who = runRole(run, layer);
      const label = service.split(".")[0];
      // prettier-ignore
      rows.push(
        ...callRows(run.env, who, [
          { call: `aws_iam_service_linked_role create: iam:CreateServiceLinkedRole for ${service}`, action: "iam:CreateServiceLinkedRole", resource: arn, context: { "iam:AWSServiceName": service }, expected: "allowed", source: SLR },
          { call: `aws_iam_service_linked_role create: iam:TagRole on the ${label} service-linked role (provider default tags)`, action: "iam:TagRole", resource: arn, context: createTags(run, layer), expected: "allowed", source: SLR },
          { call: `aws_iam_service_linked_role read: iam:GetRole on the ${label} service-linked role`, action: "iam:GetRole", resource: arn, expected: "allowed", source: SLR },
          { call: `aws_iam_service_linked_role delete: iam:DeleteServiceLinkedRole of the ${label} service-linked role`, action: "iam:DeleteServiceLinkedRole", resource: arn, expected: "allowed", source: SLR },
          { call: `aws_iam_service_linked_role delete: iam:GetServiceLinkedRoleDeletionStatus`, action: "iam:GetServiceLinkedRoleDeletionStatus", resource: arn, expected: "allowed", source: SLR },
        ]),
      );
    }
  return rows;
}
