import YAML, { type CollectionTag, type ScalarTag } from "yaml";
import {
  asList,
  asObject,
  asString,
  asStrings,
  isObject,
  statementsOf,
  type JsonObject,
  type PolicyStatementView,
} from "../../modules/terraform-json";
import { resourcesOf, type SynthStack } from "./stacks";
import { parseDocuments } from "./tokens";

/**
 * IAM policy documents as the validator sees them: per statement, its effect and its actions. Read from
 * the synthesized stacks (policy JSON strings, possibly with `${...}` interpolations in values, and
 * `data.aws_iam_policy_document` blocks) and from upstream references (plain policy JSON, or
 * CloudFormation templates whose `AWS::IAM::ManagedPolicy` resources carry the documents). A statement is the
 * shared view (modules/terraform-json), as the policy pack reads it.
 */

export type ParsedPolicy =
  { readonly statements: PolicyStatementView[] } | { readonly problem: string } | { readonly computed: string };

/**
 * A statement without `Effect` counts as Allow: IAM would reject it, and the validator reports the worst case
 * (an `aws_iam_policy_document` statement does default to Allow).
 */
export function effectOf(statement: PolicyStatementView): string {
  return statement.Effect ?? "Allow";
}

/** A policy argument: JSON text, or an expression such as `${data.aws_iam_policy_document.x.json}`. */
export function parsePolicyText(text: string): ParsedPolicy {
  const parsed = parseDocuments(text);
  if (parsed.kind === "expression") return { computed: text.trim() };
  if (parsed.kind === "invalid" || parsed.documents.length !== 1 || !isObject(parsed.documents[0])) {
    return { problem: `not a JSON policy document${parsed.kind === "invalid" ? `: ${parsed.reason}` : ""}` };
  }
  return { statements: statementsOf(parsed.documents[0]) };
}

/** A policy found in a stack: the resource it is on, the attribute, and its statements (or why not). */
export interface StackPolicy {
  readonly address: string;
  readonly attribute: string;
  readonly policy: ParsedPolicy;
  /** Set when the policy is an expression naming a policy document data source in the stack, which it resolved to. */
  readonly via?: string;
}

const POLICY_ATTRIBUTES = ["policy", "assume_role_policy"];

/** Every policy document in a stack: `policy`/`assume_role_policy` strings, `inline_policy` blocks, policy document data sources. */
export function policiesOf(stack: SynthStack): StackPolicy[] {
  const found: StackPolicy[] = [];
  const documents = new Map<string, PolicyStatementView[]>();
  for (const resource of resourcesOf(stack)) {
    if (resource.mode === "data" && resource.type === "aws_iam_policy_document") {
      const statements = asList(resource.body.statement).filter(isObject).map(policyDocumentStatement);
      documents.set(`\${${resource.address}.json}`, statements);
      found.push({ address: resource.address, attribute: "statement", policy: { statements } });
    }
  }
  for (const resource of resourcesOf(stack)) {
    if (resource.mode !== "resource" || !resource.type.startsWith("aws_")) continue;
    const candidates: Array<[string, unknown]> = POLICY_ATTRIBUTES.map((name) => [name, resource.body[name]]);
    asList(resource.body.inline_policy).forEach((block, index) =>
      candidates.push([`inline_policy[${index}].policy`, asObject(block)?.policy]),
    );
    for (const [attribute, value] of candidates) {
      if (typeof value !== "string" || value === "") continue;
      const parsed = parsePolicyText(value);
      // An expression naming a policy document data source in the same stack is that document.
      const document = "computed" in parsed ? documents.get(parsed.computed) : undefined;
      if (document)
        found.push({
          address: resource.address,
          attribute,
          policy: { statements: document },
          via: "computed" in parsed ? parsed.computed : undefined,
        });
      else found.push({ address: resource.address, attribute, policy: parsed });
    }
  }
  return found;
}

/** A `statement` block of `data.aws_iam_policy_document`, in the view of a JSON statement. */
function policyDocumentStatement(block: JsonObject): PolicyStatementView {
  return {
    Sid: asString(block.sid),
    Effect: asString(block.effect) ?? "Allow",
    Action: asStrings(block.actions),
    NotAction: asStrings(block.not_actions),
    Resource: asStrings(block.resources),
    Principal: undefined,
  };
}

/** CloudFormation short-form intrinsics (`!Sub`, `!GetAtt`, ...) as their long form, so the YAML parses. */
const INTRINSICS = [
  "Sub",
  "Ref",
  "GetAtt",
  "Join",
  "Select",
  "Split",
  "If",
  "Equals",
  "FindInMap",
  "ImportValue",
  "GetAZs",
  "And",
  "Or",
  "Not",
  "Condition",
  "Base64",
  "Cidr",
  "Transform",
  "Length",
  "ToJsonString",
];

const cloudFormationTags: Array<ScalarTag | CollectionTag> = INTRINSICS.flatMap((name) => {
  const longName = name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
  return [
    { tag: `!${name}`, resolve: (value: string): unknown => ({ [longName]: value }) },
    { tag: `!${name}`, collection: "seq" as const, resolve: (value: unknown): unknown => ({ [longName]: value }) },
    { tag: `!${name}`, collection: "map" as const, resolve: (value: unknown): unknown => ({ [longName]: value }) },
  ];
});

/**
 * Allow/Deny statements of the managed policies in a CloudFormation template whose `ManagedPolicyName`
 * (or logical id) contains `nameFilter`. `PolicyDocument` may be an object or a `!Sub` JSON string.
 */
export function cloudFormationPolicyStatements(
  text: string,
  nameFilter: string,
  origin: string,
): PolicyStatementView[] {
  const document = YAML.parseDocument(text, { customTags: cloudFormationTags });
  if (document.errors.length > 0)
    throw new Error(`Cannot parse CloudFormation template ${origin}: ${document.errors[0].message.split("\n")[0]}`);
  const resources = asObject(asObject(document.toJS())?.Resources) ?? {};
  const statements: PolicyStatementView[] = [];
  for (const [logicalId, raw] of Object.entries(resources)) {
    const resource = asObject(raw);
    if (resource?.Type !== "AWS::IAM::ManagedPolicy" && resource?.Type !== "AWS::IAM::Policy") continue;
    const properties = asObject(resource.Properties) ?? {};
    const name = JSON.stringify(properties.ManagedPolicyName ?? properties.PolicyName ?? logicalId);
    if (!name.includes(nameFilter) && !logicalId.includes(nameFilter)) continue;
    let policy: unknown = properties.PolicyDocument;
    const sub = asObject(policy)?.["Fn::Sub"];
    if (typeof sub === "string") policy = sub;
    if (typeof policy === "string") {
      try {
        policy = JSON.parse(policy);
      } catch (error) {
        throw new Error(
          `PolicyDocument of ${logicalId} in ${origin} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    statements.push(...statementsOf(policy));
  }
  if (statements.length === 0)
    throw new Error(`No IAM managed policy matching "${nameFilter}" in CloudFormation template ${origin}.`);
  return statements;
}
