import type { TerraformElement } from "cdktf";

/**
 * Terraform addresses are part of the product: a renamed address is a destroy-and-create in someone's plan.
 * Resources that matter get an explicit logical id (`aws_iam_role.karpenter`, `helm_release.cert_manager`),
 * independent of construct paths, so refactoring the code never moves them. Renames need a `moved` block.
 */
export function logicalName(name: string): string {
  return name
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
}

/** Pins the Terraform address of `element` to `<type>.<id>` and returns it. */
export function stableId<T extends TerraformElement>(element: T, id: string): T {
  element.overrideLogicalId(logicalName(id));
  return element;
}

/** Stack names: `<env>-<layer>`; also the state key and the Terraform Cloud workspace suffix. */
export function stackName(environment: string, layer: string): string {
  return `${environment}-${layer}`;
}

/**
 * A team's own stack in an environment: `<env>-team-<name>` (state key `<env>/team-<name>.tfstate`). The `team-`
 * unit keeps it apart from every layer's stack, state key and workspace, whatever the team calls it.
 */
export function teamStackUnit(name: string): string {
  return `team-${name}`;
}

/**
 * The cluster name as configured (defaults to the environment name). Takes what it reads of an environment's
 * config, not the config type: naming is a leaf the config's own checks import.
 */
export function clusterNameOf(environment: {
  readonly name: string;
  readonly cluster: { readonly name?: string };
}): string {
  return environment.cluster.name ?? environment.name;
}
