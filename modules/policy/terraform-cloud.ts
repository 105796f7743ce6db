import {
  actionCovers,
  asStrings,
  isObject,
  literalText,
  parsePolicy,
  principalsOf,
  referencedAddresses,
  resources,
  type PolicyStatementView,
  type ResourceBlock,
} from "../terraform-json";
import { checkEach, defineRule, type PolicyRule, type Violation } from "./types";

/**
 * Rules for Terraform Cloud as code (the terraform-cloud stack) and for what it relies on everywhere: a run
 * role trusts one workspace, no trust has a wildcard principal, and remote state is shared with named readers only.
 * (Every AWS provider is locked to its account: provider-guard.ts.)
 */

const isAllow = (statement: PolicyStatementView) => statement.Effect === "Allow";
const trustOf = (role: ResourceBlock): PolicyStatementView[] => parsePolicy(role.body.assume_role_policy) ?? [];
const hasWildcard = (value: string) => /[*?]/.test(literalText(value));

/** Condition values under keys ending with `suffix` (`:sub`), per operator. */
function conditionValues(
  statement: PolicyStatementView,
  operator: string,
  suffix: string,
): Array<readonly [string, string[]]> {
  return Object.entries(statement.Condition?.[operator] ?? {})
    .filter(([key]) => key.endsWith(suffix))
    .map(([key, value]) => [key, asStrings(value)] as const);
}

/**
 * A Terraform Cloud / Enterprise run identity trust: web identity, with a `:sub` naming an organization
 * (`organization:<org>:...`). Every other web identity trust is an IRSA trust (IAM_IRSA_TRUST_SCOPED).
 */
export function isTerraformCloudTrust(statement: PolicyStatementView): boolean {
  if (!isAllow(statement) || !statement.Action.some((action) => actionCovers(action, "sts:AssumeRoleWithWebIdentity")))
    return false;
  return Object.values(statement.Condition ?? {}).some((values) =>
    Object.entries(values ?? {}).some(
      ([key, value]) => key.endsWith(":sub") && asStrings(value).some((sub) => sub.startsWith("organization:")),
    ),
  );
}

/** `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<phase>`, each name exact. */
const ONE_WORKSPACE = /^organization:[^:*?]+:project:[^:*?]+:workspace:[^:*?]+:run_phase:(plan|apply|\*)$/;

/** What is wrong with one Terraform Cloud trust statement, if anything. */
export function terraformCloudTrustProblem(statement: PolicyStatementView): string | undefined {
  const federated = principalsOf(statement, "Federated");
  if (
    federated.length !== 1 ||
    federated.some(hasWildcard) ||
    principalsOf(statement, "AWS").length ||
    principalsOf(statement, "Service").length
  )
    return "the trust must name exactly one OIDC provider (Federated) as principal";
  const subs = [
    ...conditionValues(statement, "StringEquals", ":sub"),
    ...conditionValues(statement, "StringLike", ":sub"),
  ];
  const subjects = subs.flatMap(([, values]) => values);
  if (subjects.length !== 1)
    return `the trust accepts ${subjects.length} subjects; a run role serves exactly one workspace`;
  const subject = literalText(subjects[0]);
  if (!ONE_WORKSPACE.test(subject))
    return `:sub "${subjects[0]}" does not name one organization, project and workspace exactly (organization:<org>:project:<project>:workspace:<workspace>:run_phase:*)`;
  const likeOnly = conditionValues(statement, "StringEquals", ":sub").length === 0;
  if (subject.endsWith(":*") && !likeOnly)
    return "`run_phase:*` needs StringLike: StringEquals compares the `*` literally and no run matches";
  const auds = conditionValues(statement, "StringEquals", ":aud");
  if (auds.length !== 1 || auds[0][1].length !== 1 || hasWildcard(auds[0][1][0]))
    return "the trust has no StringEquals on :aud with one exact audience (aws.workload.identity)";
  const host = (key: string) => key.slice(0, key.lastIndexOf(":"));
  if (host(auds[0][0]) !== host(subs[0][0]))
    return `:aud is checked for ${host(auds[0][0])} but :sub for ${host(subs[0][0])}`;
  return undefined;
}

/** Every principal value of a statement, whatever its kind: `"*"`, `{ AWS: [...] }`, `{ Service: ... }` ... */
function allPrincipals(statement: PolicyStatementView): string[] {
  if (typeof statement.Principal === "string") return [statement.Principal];
  return isObject(statement.Principal) ? Object.values(statement.Principal).flatMap(asStrings) : [];
}

export const TERRAFORM_CLOUD_RULES: PolicyRule[] = [
  defineRule({
    id: "TFC_TRUST_ONE_WORKSPACE",
    area: "iam",
    title:
      "Every Terraform Cloud run role trusts one OIDC provider for one workspace: :sub names organization, project and workspace exactly (only the run phase may be `*`, with StringLike) and :aud is checked with StringEquals",
    scanners: {},
    fix: "build the trust with runRoleTrust(...) from modules/terraform-cloud/run-role-policy.ts (one role per workspace)",
    check: ({ json }) =>
      checkEach(json, "aws_iam_role", (role) =>
        trustOf(role)
          .filter(isTerraformCloudTrust)
          .map(terraformCloudTrustProblem)
          .filter((problem): problem is string => problem !== undefined),
      ),
  }),
  defineRule({
    id: "IAM_TRUST_NO_WILDCARD_PRINCIPAL",
    area: "iam",
    title: "No role trusts a wildcard principal (`*`, or a `*` inside an AWS, Service or Federated principal)",
    scanners: {},
    fix: "name the principal: an account, role, service or OIDC provider ARN, scoped by conditions",
    check: ({ json }) =>
      checkEach(json, "aws_iam_role", (role) =>
        trustOf(role)
          .filter(isAllow)
          .flatMap((statement) =>
            allPrincipals(statement)
              .filter(hasWildcard)
              .map((principal) => `the trust allows principal "${principal}"`),
          ),
      ),
  }),
  defineRule({
    id: "TFC_STATE_SHARING_SCOPED",
    area: "safety",
    title:
      "Terraform Cloud workspaces share their state with named workspaces only: each has tfe_workspace_settings with global_remote_state = false",
    scanners: {},
    fix: "share state through remote_state_consumer_ids on the workspace's tfe_workspace_settings (EnvironmentWorkspaces in modules/terraform-cloud/workspaces.ts), with global_remote_state = false",
    check: ({ json }) => {
      const settings = resources(json, "tfe_workspace_settings");
      const configured = new Set(settings.flatMap((block) => referencedAddresses(block.body.workspace_id)));
      const violations: Violation[] = checkEach(json, "tfe_workspace_settings", (block) =>
        block.body.global_remote_state === false
          ? undefined
          : "global_remote_state is not false: every workspace of the organization could read this state (its outputs include the cluster's endpoint and more)",
      );
      violations.push(
        ...checkEach(json, "tfe_workspace", (workspace) => {
          if (workspace.body.global_remote_state === true)
            return "global_remote_state = true shares the state with every workspace of the organization";
          return configured.has(workspace.address)
            ? undefined
            : "has no tfe_workspace_settings: its remote state sharing is whatever the workspace has today";
        }),
      );
      return violations;
    },
  }),
];
