import {
  asList,
  asObject,
  asString,
  asStrings,
  firstBlock,
  isObject,
  resources,
  type JsonObject,
  type StackJson,
} from "../../../modules/terraform-json";
import { PARTITION } from "./environments";
import { managedPolicyName, MODELLED_MANAGED_POLICIES } from "./managed-policies";
import { organizationBoundaries } from "./organization-boundary";
import { concretePolicy, type PolicyDocument, type SubstitutionContext } from "./substitution";
import type { Synthesized } from "./synthesized";

/**
 * Every IAM role of a synthesized config, as the simulation sees it: its trust policy, the policies attached
 * to it (customer policies of the same stack through `aws_iam_role_policy_attachment`, inline `aws_iam_role_policy`,
 * and AWS managed policies by ARN, modelled ones as documents) and its permissions boundary (a customer policy of
 * any stack, or the organization's boundary the config names, modelled: organization-boundary.ts; by literal
 * ARN), each concrete (substitution.ts). A role block the reader does not understand (a
 * non-literal name, `inline_policy`, an attachment or a boundary it cannot resolve) fails.
 */

export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyDocument;
}

export interface Identity {
  readonly stack: string;
  /** `aws_iam_role.karpenter` */
  readonly address: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly arn: string;
  /** The ARN of a session of the role: the principal of its requests. */
  readonly sessionArn: string;
  readonly trust: PolicyDocument;
  /** Customer and inline policies, and the modelled managed ones. */
  readonly policies: ReadonlyArray<NamedPolicy>;
  /** Its permissions boundary (`permissions_boundary`): a customer policy of any stack, or the organization's. */
  readonly boundary?: NamedPolicy;
  /** Names of every AWS managed policy attached. */
  readonly managedPolicies: ReadonlyArray<string>;
  /** Attached AWS managed policies the simulation has no document for. */
  readonly unmodelledManagedPolicies: ReadonlyArray<string>;
}

/** Account and region of the AWS provider a resource uses (its `provider` alias, or the stack's default one). */
export function providerContext(stackName: string, stack: StackJson, body: JsonObject): SubstitutionContext {
  const alias = /^aws\.(.+)$/.exec(asString(body.provider) ?? "")?.[1];
  const providers = asList(asObject(stack.provider)?.aws).map(firstBlock).filter(isObject);
  const provider = providers.find((candidate) => asString(candidate.alias) === alias);
  const account = asStrings(provider?.allowed_account_ids)[0];
  const region = asString(provider?.region);
  if (!account || !region)
    throw new Error(`${stackName}: the AWS provider ${alias ?? "(default)"} pins no account or region`);
  return { account, region, stackName, stack };
}

/** `${aws_iam_role.x.name}` -> `x`, for a reference of the given type and attribute; undefined otherwise. */
function reference(value: unknown, type: string, attribute: string): string | undefined {
  return new RegExp(`^\\$\\{${type}\\.([\\w-]+)\\.${attribute}\\}$`).exec(asString(value) ?? "")?.[1];
}

function literal(body: JsonObject, key: string, where: string): string {
  const value = asString(body[key]);
  if (value === undefined || value.includes("${")) throw new Error(`${where}: ${key} is not a literal string`);
  return value;
}

/** Every customer policy of the config by its ARN (account of its provider, path, name): boundaries name them so. */
function policiesByArn(synth: Synthesized): Map<string, NamedPolicy> {
  const byArn = new Map<string, NamedPolicy>();
  for (const [stackName, stack] of synth.stacks)
    for (const policy of resources(stack, "aws_iam_policy")) {
      const at = `${stackName} ${policy.address}`;
      const context = providerContext(stackName, stack, policy.body);
      const name = literal(policy.body, "name", at);
      const arn = `arn:${PARTITION}:iam::${context.account}:policy${asString(policy.body.path) ?? "/"}${name}`;
      byArn.set(arn, { name, policy: concretePolicy(policy.body.policy, context, at) });
    }
  return byArn;
}

function stackIdentities(
  stackName: string,
  stack: StackJson,
  boundaries: ReadonlyMap<string, NamedPolicy>,
): Identity[] {
  const policies = new Map(resources(stack, "aws_iam_policy").map((block) => [block.name, block]));
  return resources(stack, "aws_iam_role").map((role) => {
    const where = `${stackName} ${role.address}`;
    for (const unsupported of ["inline_policy", "managed_policy_arns"])
      if (role.body[unsupported] !== undefined) throw new Error(`${where}: ${unsupported} is not simulated yet`);
    const boundaryArn = role.body.permissions_boundary;
    const boundary = boundaryArn === undefined ? undefined : boundaries.get(asString(boundaryArn) ?? "");
    if (boundaryArn !== undefined && !boundary)
      throw new Error(
        `${where}: permissions_boundary ${String(boundaryArn)} is no literal ARN of a policy of the config, nor its organization's boundary`,
      );
    const context = providerContext(stackName, stack, role.body);
    const name = literal(role.body, "name", where);
    const path = asString(role.body.path) ?? "/";
    const attached: NamedPolicy[] = [];
    const managed: string[] = [];
    const refersToRole = (value: unknown) =>
      reference(value, "aws_iam_role", "name") === role.name || reference(value, "aws_iam_role", "id") === role.name;
    for (const attachment of resources(stack, "aws_iam_role_policy_attachment")) {
      if (!refersToRole(attachment.body.role)) {
        if (attachment.body.role === name) throw new Error(`${attachment.address}: names ${name} literally`);
        continue;
      }
      const arn = attachment.body.policy_arn;
      const customer = reference(arn, "aws_iam_policy", "arn");
      const policy = customer === undefined ? undefined : policies.get(customer);
      const managedName = managedPolicyName(asString(arn) ?? "");
      if (policy) {
        const at = `${stackName} ${policy.address}`;
        attached.push({
          name: literal(policy.body, "name", at),
          policy: concretePolicy(policy.body.policy, context, at),
        });
      } else if (managedName) managed.push(managedName);
      else throw new Error(`${stackName} ${attachment.address}: cannot resolve policy_arn ${String(arn)}`);
    }
    for (const inline of resources(stack, "aws_iam_role_policy").filter((block) => refersToRole(block.body.role))) {
      const at = `${stackName} ${inline.address}`;
      attached.push({ name: `inline ${inline.name}`, policy: concretePolicy(inline.body.policy, context, at) });
    }
    const modelled = managed.flatMap((policyName) => {
      const document = MODELLED_MANAGED_POLICIES.get(policyName);
      return document ? [{ name: `AWS managed ${policyName}`, policy: document }] : [];
    });
    return {
      stack: stackName,
      address: role.address,
      name,
      account: context.account,
      region: context.region,
      arn: `arn:${PARTITION}:iam::${context.account}:role${path}${name}`,
      sessionArn: `arn:${PARTITION}:sts::${context.account}:assumed-role/${name}/iam-simulation`,
      trust: concretePolicy(role.body.assume_role_policy, context, `${where} assume_role_policy`),
      policies: [...attached, ...modelled],
      boundary,
      managedPolicies: managed,
      unmodelledManagedPolicies: managed.filter((policyName) => !MODELLED_MANAGED_POLICIES.has(policyName)),
    };
  });
}

const memo = new WeakMap<Synthesized, Identity[]>();

/** Every role of every stack of the config. */
export function identitiesOf(synth: Synthesized): Identity[] {
  const known = memo.get(synth);
  if (known) return known;
  const boundaries = new Map([...policiesByArn(synth), ...organizationBoundaries(synth)]);
  const all = [...synth.stacks].flatMap(([name, stack]) => stackIdentities(name, stack, boundaries));
  memo.set(synth, all);
  return all;
}

/** The role of that name; fails loudly if the config synthesized none (or several). */
export function identityNamed(synth: Synthesized, name: string): Identity {
  const found = identitiesOf(synth).filter((identity) => identity.name === name);
  if (found.length !== 1)
    throw new Error(
      `${synth.config}: ${found.length} roles named ${name} (roles: ${identitiesOf(synth)
        .map((i) => i.name)
        .join(", ")})`,
    );
  return found[0];
}
