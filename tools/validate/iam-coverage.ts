import {
  actionCovers,
  asList,
  asString,
  isWildcardAction,
  type PolicyStatementView,
} from "../../modules/terraform-json";
import { cloudFormationPolicyStatements, effectOf, parsePolicyText, policiesOf } from "./iam-documents";
import { FindingSink } from "./report";
import { resourcesOf, type SynthStack } from "./stacks";

/**
 * Two IAM checks. Coverage: each controller's synthesized role grants every action upstream publishes for
 * it (a missing action is a controller that fails at run time, on the one code path nobody tested).
 * Wildcards: no Allow statement anywhere grants `*` or `iam:*` (or everything-but via `NotAction`).
 * Resource scoping and conditions are deliberately not compared: the project narrows them on purpose.
 */

export interface ControllerPolicyReference {
  /** Add-on name, as in the catalog. */
  readonly controller: string;
  /** Logical id of its role: `aws_iam_role.<role>`, policies `aws_iam_policy.<role>[_N]`. */
  readonly role: string;
  /** File under `<reference>/iam-policies/`. */
  readonly file: string;
  /** CloudFormation templates: only managed policies whose name contains this are the controller's. */
  readonly cloudFormationPolicyFilter?: string;
  /** AWS managed policies upstream documents as equivalent: attached, they stand in for the literal policy. */
  readonly equivalentManagedPolicies?: ReadonlyArray<string>;
}

export const CONTROLLER_POLICY_REFERENCES: ReadonlyArray<ControllerPolicyReference> = [
  {
    controller: "aws-load-balancer-controller",
    role: "aws_load_balancer_controller",
    file: "aws-load-balancer-controller-v3.5.0.json",
  },
  {
    controller: "karpenter",
    role: "karpenter",
    file: "karpenter-v1.14-cloudformation.yaml",
    cloudFormationPolicyFilter: "KarpenterController",
  },
  {
    controller: "aws-efs-csi-driver",
    role: "aws_efs_csi_driver",
    file: "aws-efs-csi-driver-chart-3.3.0.json",
    equivalentManagedPolicies: ["AmazonEFSCSIDriverPolicy"],
  },
  {
    controller: "aws-ebs-csi-driver",
    role: "aws_ebs_csi_driver",
    // The tag-scoped policy (AmazonEBSCSIDriverPolicyV2's shape), not the older docs/example-iam-policy.json.
    file: "aws-ebs-csi-driver-v1.64.0-policy-v2.json",
  },
];

/** Reads a reference policy file's text by name; undefined when the reference directory does not have it. */
export type IamPolicyFiles = (file: string) => string | undefined;

export function referenceStatements(
  entry: ControllerPolicyReference,
  files: IamPolicyFiles,
): PolicyStatementView[] | undefined {
  const text = files(entry.file);
  if (text === undefined) return undefined;
  if (entry.cloudFormationPolicyFilter)
    return cloudFormationPolicyStatements(text, entry.cloudFormationPolicyFilter, entry.file);
  const parsed = parsePolicyText(text);
  if (!("statements" in parsed)) throw new Error(`Reference IAM policy ${entry.file} is not a JSON policy document.`);
  return parsed.statements;
}

interface RolePolicies {
  readonly statements: PolicyStatementView[];
  readonly managedPolicies: string[];
}

/** Policies attached to `aws_iam_role.<role>`: attachments, inline policies, and the `<role>[_N]` naming convention. */
function rolePolicies(stack: SynthStack, role: string): RolePolicies {
  const roleRef = new RegExp(`\\$\\{aws_iam_role\\.${role}\\.(name|id|arn)\\}`);
  const policyAddresses = new Set<string>();
  const managedPolicies: string[] = [];
  const statements: PolicyStatementView[] = [];
  for (const resource of resourcesOf(stack)) {
    if (resource.mode !== "resource") continue;
    if (
      resource.type === "aws_iam_policy" &&
      (resource.name === role || new RegExp(`^${role}_\\d+$`).test(resource.name))
    )
      policyAddresses.add(resource.address);
    const attachedToRole =
      roleRef.test(asString(resource.body.role) ?? "") ||
      asList(resource.body.roles).some((r) => roleRef.test(String(r)));
    if (resource.type === "aws_iam_role_policy_attachment" || resource.type === "aws_iam_policy_attachment") {
      if (!attachedToRole) continue;
      const arn = asString(resource.body.policy_arn) ?? "";
      const policy = /\$\{aws_iam_policy\.([\w-]+)\.arn\}/.exec(arn);
      if (policy) policyAddresses.add(`aws_iam_policy.${policy[1]}`);
      else managedPolicies.push(arn.split("/").pop() ?? arn);
    }
    if (resource.type === "aws_iam_role_policy" && attachedToRole) policyAddresses.add(resource.address);
    if (resource.type === "aws_iam_role" && resource.name === role) {
      policyAddresses.add(resource.address);
      for (const arn of asList(resource.body.managed_policy_arns))
        managedPolicies.push(String(arn).split("/").pop() ?? "");
    }
  }
  for (const found of policiesOf(stack)) {
    if (!policyAddresses.has(found.address) || found.attribute === "assume_role_policy") continue;
    if ("statements" in found.policy) statements.push(...found.policy.statements);
  }
  return { statements, managedPolicies };
}

export function validateIamCoverage(
  stacks: ReadonlyArray<SynthStack>,
  files: IamPolicyFiles,
  sink: FindingSink,
  table: ReadonlyArray<ControllerPolicyReference> = CONTROLLER_POLICY_REFERENCES,
): void {
  for (const entry of table) {
    const address = `aws_iam_role.${entry.role}`;
    const withRole = stacks.filter((stack) =>
      resourcesOf(stack).some((r) => r.mode === "resource" && r.address === address),
    );
    if (withRole.length === 0) {
      sink.skipped(
        "*",
        address,
        "iam",
        `${entry.controller}: role not in any stack (add-on disabled); policy coverage not checked`,
      );
      continue;
    }
    const upstream = referenceStatements(entry, files);
    if (!upstream) {
      sink.skipped(
        "*",
        address,
        "iam",
        `${entry.controller}: reference policy ${entry.file} not in the reference directory; coverage not checked`,
      );
      continue;
    }
    const wanted = uniqueActions(upstream.filter((s) => effectOf(s) === "Allow").flatMap((s) => s.Action));
    for (const stack of withRole) {
      const { statements, managedPolicies } = rolePolicies(stack, entry.role);
      const granted = statements.filter((s) => effectOf(s) === "Allow").flatMap((s) => s.Action);
      const missing = wanted.filter((action) => !granted.some((g) => actionCovers(g, action)));
      if (missing.length === 0) continue;
      const equivalent = managedPolicies.find((name) => entry.equivalentManagedPolicies?.includes(name));
      if (equivalent) {
        sink.skipped(
          stack.name,
          address,
          "iam",
          `${entry.controller}: relies on AWS managed policy ${equivalent}, which upstream documents as equivalent to ${entry.file}; its contents are not checked offline`,
        );
        continue;
      }
      sink.error(
        stack.name,
        address,
        "iam",
        `${entry.controller}: grants ${wanted.length - missing.length} of ${wanted.length} actions in upstream ${entry.file}; missing ${missing.join(", ")}`,
      );
    }
  }
}

function uniqueActions(actions: ReadonlyArray<string>): string[] {
  const seen = new Map<string, string>();
  for (const action of actions) if (!seen.has(action.toLowerCase())) seen.set(action.toLowerCase(), action);
  return [...seen.values()];
}

export function validateIamWildcards(stacks: ReadonlyArray<SynthStack>, sink: FindingSink): void {
  for (const stack of stacks) {
    for (const { address, attribute, policy, via } of policiesOf(stack)) {
      // A policy resolved from a document data source is reported once, at the data source.
      if (via) continue;
      if ("problem" in policy) {
        sink.error(stack.name, address, "iam", `${attribute}: ${policy.problem}`);
        continue;
      }
      if ("computed" in policy) {
        sink.skipped(
          stack.name,
          address,
          "iam",
          `${attribute}: computed at apply time (${policy.computed}); not checked for wildcards`,
        );
        continue;
      }
      policy.statements.forEach((statement, index) => {
        if (effectOf(statement) !== "Allow") return;
        for (const action of statement.Action) {
          if (isWildcardAction(action))
            sink.error(stack.name, address, "iam", `${attribute}: Statement[${index}] allows "${action}"`);
        }
        if (statement.NotAction.length > 0)
          sink.error(
            stack.name,
            address,
            "iam",
            `${attribute}: Statement[${index}] allows every action except ${statement.NotAction.join(", ")} (Allow with NotAction)`,
          );
      });
    }
  }
}
