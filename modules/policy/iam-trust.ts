import {
  actionCovers,
  asList,
  asStrings,
  firstBlock,
  literalText,
  parsePolicy,
  principalsOf,
  referencedAddresses,
  resources,
  type PolicyStatementView,
  type ResourceBlock,
  type StackJson,
} from "../terraform-json";
import { partitionOf } from "../iam/policy";
import { clusterNameOf } from "../naming";
import { checkEach, defineRule, type PolicyRule } from "./types";
import { isTerraformCloudTrust } from "./terraform-cloud";

/**
 * IAM rules on trust policies (`assume_role_policy`): who may assume a role. IRSA trusts name one service account;
 * Pod Identity trusts name pods.eks.amazonaws.com, limited to this account and cluster. The rules on permission
 * policies, and the assembled IAM_RULES, are iam.ts.
 */

const isAllow = (statement: PolicyStatementView) => statement.Effect === "Allow";

/** Trust statements of one role. */
function trustOf(role: ResourceBlock): PolicyStatementView[] {
  return parsePolicy(role.body.assume_role_policy) ?? [];
}

const hasWildcard = (value: string) => /[*?]/.test(literalText(value));

/** What is wrong with one IRSA trust statement, if anything. */
export function irsaTrustProblem(statement: PolicyStatementView): string | undefined {
  const equals = statement.Condition?.StringEquals ?? {};
  const sub = Object.entries(equals).filter(([key]) => key.endsWith(":sub"));
  const aud = Object.entries(equals).filter(([key]) => key.endsWith(":aud"));
  if (sub.length !== 1)
    return "IRSA trust has no StringEquals on the token's :sub: any service account of the cluster may assume the role";
  const subjects = asStrings(sub[0][1]);
  if (subjects.length !== 1)
    return `IRSA trust names ${subjects.length} service accounts in :sub; a role serves exactly one`;
  if (!/^system:serviceaccount:[^:]+:[^:]+$/.test(subjects[0]) || hasWildcard(subjects[0]))
    return `IRSA trust :sub "${subjects[0]}" is not one exact system:serviceaccount:<namespace>:<name>`;
  if (aud.length !== 1 || asStrings(aud[0][1]).join() !== "sts.amazonaws.com")
    return "IRSA trust has no StringEquals :aud = sts.amazonaws.com";
  return undefined;
}

const POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com";
const POD_IDENTITY_ACTIONS = ["sts:AssumeRole", "sts:TagSession"];

/** The values a statement's condition sets on `key`, under any of `operators`. */
function conditionValues(statement: PolicyStatementView, operators: ReadonlyArray<string>, key: string): string[] {
  return operators.flatMap((operator) => asStrings(statement.Condition?.[operator]?.[key]));
}

/**
 * The cluster a Pod Identity trust must be limited to: `pods.eks.amazonaws.com` assumes roles for every cluster
 * in every account, so without `aws:SourceAccount` and `aws:SourceArn` (the confused-deputy guard AWS documents)
 * any cluster's pod could be given this role by whoever can create an association there.
 */
export interface PodIdentityScope {
  readonly account: string;
  readonly clusterArn: string;
}

/** What is wrong with one Pod Identity trust statement, if anything. */
export function podIdentityTrustProblem(statement: PolicyStatementView, scope?: PodIdentityScope): string | undefined {
  const services = principalsOf(statement, "Service");
  if (services.length !== 1 || principalsOf(statement, "AWS").length || principalsOf(statement, "Federated").length) {
    return `Pod Identity trust must name only ${POD_IDENTITY_SERVICE} as principal`;
  }
  const actions = [...statement.Action].sort();
  if (actions.join() !== [...POD_IDENTITY_ACTIONS].sort().join())
    return `Pod Identity trust allows ${actions.join(", ") || "no action"}; it must allow exactly sts:AssumeRole and sts:TagSession`;
  if (!scope) return undefined;
  const accounts = conditionValues(statement, ["StringEquals"], "aws:SourceAccount");
  if (accounts.length !== 1 || accounts[0] !== scope.account)
    return `Pod Identity trust has no StringEquals aws:SourceAccount = ${scope.account}: a cluster in any account could use the role`;
  const arns = conditionValues(statement, ["ArnEquals", "StringEquals"], "aws:SourceArn");
  if (arns.length !== 1 || arns[0] !== scope.clusterArn)
    return `Pod Identity trust has no ArnEquals aws:SourceArn = ${scope.clusterArn}: another cluster of the account could use the role`;
  return undefined;
}

/** Roles the stack binds through Pod Identity (associations and EKS add-ons' pod_identity_association). */
function podIdentityRoles(json: StackJson): Set<string> {
  const roles = new Set<string>();
  const add = (value: unknown) =>
    referencedAddresses(value)
      .filter((address) => address.startsWith("aws_iam_role."))
      .forEach((address) => roles.add(address));
  for (const association of resources(json, "aws_eks_pod_identity_association")) add(association.body.role_arn);
  for (const addon of resources(json, "aws_eks_addon"))
    for (const association of asList(addon.body.pod_identity_association)) add(firstBlock(association)?.role_arn);
  return roles;
}

/** IAM_IRSA_TRUST_SCOPED and IAM_POD_IDENTITY_TRUST, in the order the docs list them. */
export const IAM_TRUST_RULES: PolicyRule[] = [
  defineRule({
    id: "IAM_IRSA_TRUST_SCOPED",
    area: "iam",
    title:
      "Every IRSA trust (sts:AssumeRoleWithWebIdentity) uses StringEquals on :sub (one service account, no wildcards) and :aud",
    scanners: {},
    fix: "build the trust with irsaTrust(ctx, namespace, serviceAccount) from modules/iam/addon-identity.ts",
    check: ({ json }) =>
      checkEach(json, "aws_iam_role", (role) =>
        trustOf(role)
          // Terraform Cloud run identity trusts have their own rule (TFC_TRUST_ONE_WORKSPACE, policy/terraform-cloud.ts).
          .filter(
            (statement) =>
              isAllow(statement) &&
              statement.Action.some((action) => actionCovers(action, "sts:AssumeRoleWithWebIdentity")) &&
              !isTerraformCloudTrust(statement),
          )
          .map((statement) => irsaTrustProblem(statement))
          .filter((problem): problem is string => problem !== undefined),
      ),
  }),
  defineRule({
    id: "IAM_POD_IDENTITY_TRUST",
    area: "iam",
    title:
      "Every Pod Identity trust is pods.eks.amazonaws.com with exactly sts:AssumeRole + sts:TagSession, limited to this account and cluster (aws:SourceAccount, aws:SourceArn)",
    scanners: {},
    fix: "build the trust with podIdentityTrust(ctx) from modules/iam/addon-identity.ts",
    check: ({ json, environment }) => {
      const bound = podIdentityRoles(json);
      const partition = partitionOf(environment.region);
      const scope: PodIdentityScope = {
        account: environment.account,
        clusterArn: `arn:${partition}:eks:${environment.region}:${environment.account}:cluster/${clusterNameOf(environment)}`,
      };
      return checkEach(json, "aws_iam_role", (role) => {
        if (!parsePolicy(role.body.assume_role_policy)) return []; // IAM_POLICY_LITERAL_JSON reports it
        const statements = trustOf(role).filter(
          (statement) => isAllow(statement) && principalsOf(statement, "Service").includes(POD_IDENTITY_SERVICE),
        );
        const problems = statements
          .map((statement) => podIdentityTrustProblem(statement, scope))
          .filter((problem): problem is string => problem !== undefined);
        if (bound.has(role.address) && statements.length === 0)
          problems.push(`the role is bound through Pod Identity but does not trust ${POD_IDENTITY_SERVICE}`);
        return problems;
      });
    },
  }),
];
