import type { ITerraformDependable } from "cdktf";

/**
 * A capability: something one part of a layer provides and other parts need, named by a typed value, never by
 * a string. The layer's own resources provide some (the Fargate profiles service, the EFS file system); add-on
 * companions provide others (Karpenter's node pools, the ALB ingress group). The engine orders add-ons so
 * providers come before those that need them, and makes a needer wait for what `waitFor` returns.
 */
export interface Capability<T> {
  readonly description: string;
  /**
   * The resources an add-on that needs this capability waits for (and is destroyed before). A method, so a
   * `Capability<X>` fits a list of `Capability<unknown>` (add-ons declare lists of them).
   */
  waitFor?(value: T): ReadonlyArray<ITerraformDependable>;
}

export function defineCapability<T>(
  description: string,
  options: { readonly waitFor?: (value: T) => ReadonlyArray<ITerraformDependable> } = {},
): Capability<T> {
  return Object.freeze(options.waitFor ? { description, waitFor: options.waitFor } : { description });
}

/** Every value provided for each capability while one layer is built, in the order provided. */
export class CapabilityRegistry {
  private readonly provided = new Map<Capability<unknown>, unknown[]>();

  provide<T>(capability: Capability<T>, value: T): void {
    const values = this.provided.get(capability as Capability<unknown>) ?? [];
    values.push(value);
    this.provided.set(capability as Capability<unknown>, values);
  }

  /** All values provided so far; empty when nothing in the layer provides it (e.g. Karpenter switched off). */
  all<T>(capability: Capability<T>): T[] {
    return [...((this.provided.get(capability as Capability<unknown>) ?? []) as T[])];
  }

  /** What an add-on that needs `capability` waits for. */
  waitFor<T>(capability: Capability<T>): ITerraformDependable[] {
    return this.all(capability).flatMap((value) => [...(capability.waitFor?.(value) ?? [])]);
  }
}

/** EC2 capacity that pods can be scheduled on: Karpenter's node pools (the foundation layer). */
export const NODE_CAPACITY = defineCapability<ReadonlyArray<ITerraformDependable>>("EC2 node capacity (node pools)", {
  waitFor: (pools) => pools,
});

/**
 * Agents every EC2 node needs before it can run pods (VPC CNI, kube-proxy, the Pod Identity agent): node
 * capacity waits for them on create, and they are removed after it on destroy.
 */
export const NODE_AGENTS = defineCapability<ReadonlyArray<ITerraformDependable>>(
  "node agents (DaemonSets every node needs)",
  { waitFor: (agents) => agents },
);
