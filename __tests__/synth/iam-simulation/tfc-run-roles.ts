import { asList, asObject, firstBlock, resources, type StackJson } from "../../../modules/terraform-json";
import { PARTITION, type EnvironmentFacts } from "./environments";
import { identitiesOf, type Identity } from "./identities";
import { callRows, requestTags, type CallRow, type CallSpec } from "./rows";
import { stackOf, type Synthesized } from "./synthesized";

/**
 * What the Terraform Cloud tables share: the run roles of an environment (one per layer workspace, in the
 * terraform-cloud stack), the default tags each layer's AWS provider adds to everything it creates (so every
 * create also sends them, and needs the service's tag permission), and the provider's own documentation as
 * the source of which API calls a resource's create, read, update and delete make.
 */

export const PROVIDER = "hashicorp/terraform-provider-aws (v6, @cdktf/provider-aws 21.22.1)";

export function providerSource(file: string): string {
  return `${PROVIDER} internal/service/${file}`;
}

export interface RunRoles {
  readonly synth: Synthesized;
  readonly env: EnvironmentFacts;
  /** Layer -> its workspace's apply role (`tfc-<cluster>-<layer>`). */
  readonly roles: ReadonlyMap<string, Identity>;
  /** Layer -> its workspace's plan role (`tfc-<cluster>-<layer>-plan`). */
  readonly planRoles: ReadonlyMap<string, Identity>;
  /** The environments (of the same config) whose stacks' resource types the tables cover. */
  readonly environments: ReadonlyArray<EnvironmentFacts>;
}

/** The run roles of the first environment with Terraform Cloud dynamic credentials. */
export function runRolesOf(synth: Synthesized, environments: ReadonlyArray<EnvironmentFacts>): RunRoles {
  const env = environments.find((candidate) => candidate.terraformCloud);
  if (!env) throw new Error(`${synth.config}: no environment with Terraform Cloud dynamic credentials`);
  const roles = new Map<string, Identity>();
  const planRoles = new Map<string, Identity>();
  const find = (name: string) => {
    const role = identitiesOf(synth).find((who) => who.stack === "terraform-cloud" && who.name === name);
    if (!role) throw new Error(`terraform-cloud: no run role ${name}`);
    return role;
  };
  for (const layer of env.stacks.values()) {
    roles.set(layer, find(`tfc-${env.cluster}-${layer}`));
    planRoles.set(layer, find(`tfc-${env.cluster}-${layer}-plan`));
  }
  return { synth, env, roles, planRoles, environments };
}

export function planRole(run: RunRoles, layer: string): Identity {
  const role = run.planRoles.get(layer);
  if (!role) throw new Error(`no plan role for layer ${layer}`);
  return role;
}

export function runRole(run: RunRoles, layer: string): Identity {
  const role = run.roles.get(layer);
  if (!role) throw new Error(`no run role for layer ${layer}`);
  return role;
}

/** The default tags of a layer's AWS provider in the run roles' environment. */
export function defaultTags(run: RunRoles, layer: string): Record<string, string> {
  const stack = stackOf(run.synth, `${run.env.name}-${layer}`);
  const provider = firstBlock(asList(asObject(stack.provider)?.aws)[0]);
  const tags = asObject(firstBlock(provider?.default_tags)?.tags);
  if (!tags || Object.keys(tags).length === 0)
    throw new Error(`${run.env.name}-${layer}: the AWS provider has no default tags`);
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, String(value)]));
}

/**
 * Every (stack, layer) holding resources of the type: of the run roles' environment only, or of every
 * environment of the config (a type only another environment uses today, such as the spot service-linked role,
 * is one a config change can bring to this one).
 */
export function stacksWithType(
  run: RunRoles,
  type: string,
  ownEnvironmentOnly = false,
): Array<{ stack: StackJson; name: string; layer: string }> {
  return (ownEnvironmentOnly ? [run.env] : run.environments).flatMap((env) =>
    [...env.stacks]
      .map(([name, layer]) => ({ stack: stackOf(run.synth, name), name, layer }))
      .filter(({ stack }) => resources(stack, type).length > 0),
  );
}

/** Every resource type of the config's environment stacks (`aws_*` and the others). */
export function resourceTypes(run: RunRoles): string[] {
  const types = new Set<string>();
  for (const env of run.environments)
    for (const name of env.stacks.keys()) {
      const byType = asObject(stackOf(run.synth, name).resource);
      for (const type of Object.keys(byType ?? {})) types.add(type);
    }
  return [...types].sort();
}

export interface TypeCalls {
  readonly layer: string;
  /** Per phase, the calls: `what` names the object (`role prod-main-karpenter`), optional. */
  readonly calls: ReadonlyArray<
    { readonly phase: "create" | "read" | "update" | "delete"; readonly what?: string } & Omit<
      CallSpec,
      "call" | "expected"
    >
  >;
}

/** Rows of a resource type's calls by its layer's run role: all should be allowed (what applying it needs). */
export function typeRows(run: RunRoles, type: string, calls: TypeCalls): CallRow[] {
  return callRows(
    run.env,
    runRole(run, calls.layer),
    calls.calls.map(({ phase, what, ...spec }) => ({
      ...spec,
      call: `${type} ${phase}: ${spec.action}${what ? ` on ${what}` : ""}`,
      expected: "allowed",
    })),
  );
}

/** The tags a create sends (`aws:RequestTag/*`, `aws:TagKeys`), its layer's default tags. */
export function createTags(run: RunRoles, layer: string): Record<string, string | string[]> {
  return requestTags(defaultTags(run, layer));
}

export function iamArn(
  run: RunRoles,
  kind: "role" | "policy" | "instance-profile" | "oidc-provider",
  rest: string,
): string {
  return `arn:${PARTITION}:iam::${run.env.account}:${kind}/${rest}`;
}

export function isAwsType(type: string): boolean {
  return type.startsWith("aws_");
}
