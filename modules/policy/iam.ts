import {
  actionCovers,
  asList,
  asStrings,
  isObject,
  isWildcardAction,
  literalText,
  parsePolicy,
  principalsOf,
  resources,
  type PolicyStatementView,
  type ResourceBlock,
  type StackJson,
} from "../terraform-json";
import { checkEach, defineRule, type PolicyRule, type Violation } from "./types";
import { ADMIN_POLICY_NAMES } from "./admin-policies";
import { IAM_TRUST_RULES } from "./iam-trust";

/**
 * IAM rules on permission policies (literal JSON, wildcard actions, admin policies, service principals of resource
 * policies, iam:PassRole), and IAM_RULES: these with the rules on trusts (iam-trust.ts), in the order the docs list.
 */

/** Permission policies by resource type (trust policies are checked separately). */
const POLICY_ATTRIBUTES: ReadonlyArray<readonly [string, string]> = [
  ["aws_iam_policy", "policy"],
  ["aws_iam_role_policy", "policy"],
  ["aws_iam_user_policy", "policy"],
  ["aws_iam_group_policy", "policy"],
];

const ATTACHMENT_TYPES = [
  "aws_iam_role_policy_attachment",
  "aws_iam_policy_attachment",
  "aws_iam_user_policy_attachment",
  "aws_iam_group_policy_attachment",
];
/** Attachments that take a list of policy ARNs. */
const EXCLUSIVE_ATTACHMENT_TYPES = [
  "aws_iam_role_policy_attachments_exclusive",
  "aws_iam_user_policy_attachments_exclusive",
  "aws_iam_group_policy_attachments_exclusive",
];
/** Resource policies (type, attribute) whose service-principal statements must name their source. */
const RESOURCE_POLICY_TYPES: ReadonlyArray<readonly [string, string]> = [
  ["aws_sqs_queue_policy", "policy"],
  ["aws_sns_topic_policy", "policy"],
  ["aws_s3_bucket_policy", "policy"],
];
const ADMIN_POLICIES = new RegExp(`:iam::aws:policy/(${ADMIN_POLICY_NAMES.join("|")})$`);

interface PermissionPolicy {
  readonly resource: ResourceBlock;
  readonly text: unknown;
}

/** Every permission policy document of the stack, with the resource that carries it (inline role policies too). */
function permissionPolicies(json: StackJson): PermissionPolicy[] {
  const found: PermissionPolicy[] = [];
  for (const [type, attribute] of POLICY_ATTRIBUTES)
    for (const resource of resources(json, type)) found.push({ resource, text: resource.body[attribute] });
  for (const role of resources(json, "aws_iam_role")) {
    for (const inline of asList(role.body.inline_policy))
      if (isObject(inline) && inline.policy !== undefined) found.push({ resource: role, text: inline.policy });
  }
  return found;
}

function eachStatement(json: StackJson, check: (statement: PolicyStatementView) => string | undefined): Violation[] {
  const violations: Violation[] = [];
  for (const { resource, text } of permissionPolicies(json)) {
    for (const statement of parsePolicy(text) ?? []) {
      const problem = check(statement);
      if (problem)
        violations.push({ resource, problem: statement.Sid ? `statement "${statement.Sid}": ${problem}` : problem });
    }
  }
  return violations;
}

const isAllow = (statement: PolicyStatementView) => statement.Effect === "Allow";

/**
 * A policy the pack cannot read (from a data source, jsonencode, a file) is reported once, by
 * IAM_POLICY_LITERAL_JSON, with how to write it; the rules that read policies skip it rather than judge an
 * empty document (which would give false findings such as "does not trust pods.eks.amazonaws.com").
 */
const NOT_LITERAL = (what: string) =>
  `the ${what} is not literal JSON, so it cannot be checked: write it as JSON (policyJson(statements), exported by the package; podIdentityTrustFor and irsaTrustFor build trusts)`;

export const IAM_RULES: PolicyRule[] = [
  defineRule({
    id: "IAM_POLICY_LITERAL_JSON",
    area: "iam",
    title: "IAM policies are literal JSON, so they can be reviewed and checked",
    scanners: {},
    fix: "build the policy with policyJson(statements) from modules/iam/policy.ts (no data.aws_iam_policy_document, no jsonencode)",
    check: ({ json }) => {
      const violations: Violation[] = permissionPolicies(json)
        .filter(({ text }) => !parsePolicy(text))
        .map(({ resource }) => ({ resource, problem: NOT_LITERAL("policy") }));
      for (const role of resources(json, "aws_iam_role"))
        if (!parsePolicy(role.body.assume_role_policy))
          violations.push({ resource: role, problem: NOT_LITERAL("trust policy") });
      return violations;
    },
  }),
  defineRule({
    id: "IAM_NO_WILDCARD_ACTION",
    area: "iam",
    title: "No policy allows every action (`*`) or every IAM action (`iam:*`), and none allows by NotAction",
    scanners: { checkov: ["CKV_AWS_62", "CKV_AWS_63", "CKV2_AWS_40"], trivy: ["AVD-AWS-0057"] },
    fix: "list the actions the workload needs (the controller's published policy)",
    check: ({ json }) =>
      eachStatement(json, (statement) => {
        if (!isAllow(statement)) return undefined;
        if (statement.NotAction.length) return "Allow with NotAction grants everything not listed";
        const broad = statement.Action.filter(isWildcardAction);
        return broad.length ? `allows ${broad.join(", ")}` : undefined;
      }),
  }),
  defineRule({
    id: "IAM_NO_ADMIN_POLICY",
    area: "iam",
    title: `AWS managed admin-class policies (${ADMIN_POLICY_NAMES.join(", ")}) are never attached, by any attachment resource`,
    scanners: { checkov: ["CKV_AWS_274"] },
    fix: "attach a policy with the actions the role needs instead",
    check: ({ json }) => {
      const admin = (arns: unknown) => asStrings(arns).filter((arn) => ADMIN_POLICIES.test(arn));
      const problem = (arns: unknown) => {
        const found = admin(arns);
        return found.length > 0 ? `attaches ${found.map((arn) => arn.split("/").pop()).join(", ")}` : undefined;
      };
      return [
        ...ATTACHMENT_TYPES.flatMap((type) =>
          checkEach(json, type, (attachment) => problem(attachment.body.policy_arn)),
        ),
        ...EXCLUSIVE_ATTACHMENT_TYPES.flatMap((type) =>
          checkEach(json, type, (attachment) => problem(attachment.body.policy_arns)),
        ),
        ...checkEach(json, "aws_iam_role", (role) => problem(role.body.managed_policy_arns)),
      ];
    },
  }),
  ...IAM_TRUST_RULES,
  defineRule({
    id: "SERVICE_PRINCIPAL_SOURCE_SCOPED",
    area: "iam",
    title:
      "A resource policy that allows an AWS service principal limits it to this account's sources (aws:SourceAccount or aws:SourceArn), so another account's rule or bucket cannot use it",
    scanners: {},
    fix: "add Condition StringEquals aws:SourceAccount and ArnEquals/ArnLike aws:SourceArn (the account's own rules) to the Allow",
    check: ({ json }) =>
      RESOURCE_POLICY_TYPES.flatMap(([type, attribute]) =>
        checkEach(json, type, (resource) => {
          const statements = parsePolicy(resource.body[attribute]);
          if (!statements) return undefined; // IAM_POLICY_LITERAL_JSON reports it
          const open = statements.filter(
            (statement) =>
              isAllow(statement) &&
              principalsOf(statement, "Service").length > 0 &&
              !Object.values(statement.Condition ?? {}).some(
                (operator) => isObject(operator) && ("aws:SourceAccount" in operator || "aws:SourceArn" in operator),
              ),
          );
          return open.length > 0
            ? `allows ${principalsOf(open[0], "Service").join(", ")} with no aws:SourceAccount or aws:SourceArn condition`
            : undefined;
        }),
      ),
  }),
  defineRule({
    id: "IAM_PASSROLE_SCOPED",
    area: "iam",
    title: "iam:PassRole is never allowed on every role without a condition",
    scanners: { checkov: ["CKV_AWS_286"] },
    fix: "name the role ARNs that may be passed, or add a Condition such as iam:PassedToService",
    check: ({ json }) =>
      eachStatement(json, (statement) => {
        if (
          !isAllow(statement) ||
          statement.Condition ||
          !statement.Action.some((action) => actionCovers(action, "iam:PassRole"))
        )
          return undefined;
        const everyRole = statement.Resource.some(
          (resource) => literalText(resource) === "*" || /:role\/\*$/.test(resource),
        );
        return everyRole ? "allows iam:PassRole on every role without a condition" : undefined;
      }),
  }),
];
