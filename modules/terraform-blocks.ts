import type { TerraformStack } from "cdktf";

/**
 * Top-level Terraform blocks cdktf has no construct for. `removed` (Terraform >= 1.7) lets Terraform forget a
 * resource without destroying it: the engine uses it to hand an installed add-on from Helm to EKS untouched.
 */
const removedByStack = new WeakMap<TerraformStack, Array<{ from: string; lifecycle: { destroy: false } }>>();

export function forgetWithoutDestroying(stack: TerraformStack, address: string): void {
  const blocks = removedByStack.get(stack) ?? [];
  if (blocks.some((block) => block.from === address)) return;
  blocks.push({ from: address, lifecycle: { destroy: false } });
  removedByStack.set(stack, blocks);
  stack.addOverride("removed", blocks);
}
