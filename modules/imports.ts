import type { TerraformProvider, TerraformResource } from "cdktf";

/**
 * `import` blocks of resources that adopt an object which already exists (a namespace Helm created before the
 * platform managed it). An import must use the resource's own provider configuration: a Kubernetes or Helm resource
 * gets its provider (with its own cluster token, modules/cluster-call-tokens.ts) only when the stack is prepared,
 * after the import was declared, so the import is declared here and pointed at that provider when it is assigned.
 */
const pending = new WeakMap<TerraformResource, string>();

/** Declares `import { to = <resource>, id = <id> }` with the resource's provider, whenever that is assigned. */
export function adoptExisting(resource: TerraformResource, id: string): void {
  pending.set(resource, id);
  resource.importFrom(id, resource.provider);
}

/** Re-points a resource's import at the provider just assigned to it (no-op for a resource without an import). */
export function importWithProvider(resource: TerraformResource, provider: TerraformProvider): void {
  const id = pending.get(resource);
  if (id !== undefined) resource.importFrom(id, provider);
}
