import { parseTemplateJson } from "./interpolation";
import { asList, asObject, asStrings, isObject } from "./json";

/**
 * IAM (and KMS key, EFS file system) policy documents as both the policy pack and the validator read them: per
 * statement its effect, actions, resources, principals and conditions, one-or-many values always as lists. The
 * field names are the document's own, so a rule reads like the policy it checks.
 */

export interface PolicyStatementView {
  readonly Sid?: string;
  /** As written: a statement without `Effect` is invalid IAM, and each reader decides how to treat it. */
  readonly Effect?: string;
  readonly Action: string[];
  readonly NotAction: string[];
  readonly Resource: string[];
  readonly Principal: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of a parsed policy document (`Statement` may be one statement or a list). */
export function statementsOf(document: unknown): PolicyStatementView[] {
  return asList(asObject(document)?.Statement)
    .filter(isObject)
    .map((statement) => ({
      Sid: typeof statement.Sid === "string" ? statement.Sid : undefined,
      Effect: typeof statement.Effect === "string" ? statement.Effect : undefined,
      Action: asStrings(statement.Action),
      NotAction: asStrings(statement.NotAction),
      Resource: asStrings(statement.Resource),
      Principal: statement.Principal,
      Condition: isObject(statement.Condition)
        ? (statement.Condition as Record<string, Record<string, unknown>>)
        : undefined,
    }));
}

/**
 * Parses a policy argument of a synthesized stack. The platform writes policies as literal JSON whose `${...}`
 * tokens sit inside string values, so they parse as JSON; `undefined` means the policy is not literal JSON.
 */
export function parsePolicy(text: unknown): PolicyStatementView[] | undefined {
  if (typeof text !== "string") return undefined;
  const document = parseTemplateJson(text);
  return isObject(document) ? statementsOf(document) : undefined;
}

/** Principals of one kind (`AWS`, `Service`, `Federated`); `"*"` as a whole principal counts as `AWS: "*"`. */
export function principalsOf(statement: PolicyStatementView, kind: "AWS" | "Service" | "Federated"): string[] {
  if (statement.Principal === "*") return kind === "AWS" ? ["*"] : [];
  return isObject(statement.Principal) ? asStrings(statement.Principal[kind]) : [];
}

/** Compiled action globs by pattern (no `g` flag, so `test` keeps no state between calls). */
const actionPatterns = new Map<string, RegExp>();

/** IAM action globs: `*` any run, `?` one character, case-insensitive. `ec2:Describe*` covers `ec2:DescribeSubnets`. */
export function actionCovers(pattern: string, action: string): boolean {
  let regex = actionPatterns.get(pattern);
  if (!regex) {
    regex = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".")}$`,
      "i",
    );
    // The policy pack asks about the same few hundred patterns for every stack: each is compiled once.
    if (actionPatterns.size >= 4096) actionPatterns.clear();
    actionPatterns.set(pattern, regex);
  }
  return regex.test(action);
}

/**
 * Every action or every IAM action, however the pattern is spelled (`*`, `*:*`, `iam:*`, `iam:?*`, `i?m:*`,
 * `*:?*` ...): what no Allow statement may grant. Judged by what the pattern matches, not by its text: one that
 * matches an IAM action no one has named yet, or an action of a service that does not exist, covers them all.
 */
export function isWildcardAction(action: string): boolean {
  return actionCovers(action, "iam:ZzNoSuchActionYet") || actionCovers(action, "zznosuchservice:ZzNoSuchActionYet");
}
