import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Construct } from "constructs";
import { App, type TerraformStack } from "cdktf";
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";

/**
 * Top-level Terraform blocks cdktf has no construct for. `removed` (Terraform >= 1.7) lets Terraform forget a
 * resource without destroying it: the engine uses it to hand an installed add-on from Helm to EKS untouched.
 */
interface RemovedBlock {
  readonly from: string;
  readonly lifecycle: { readonly destroy: false };
}

const removedByStack = new WeakMap<TerraformStack, RemovedBlock[]>();

/** The file `cdktf synth --hcl` gets the blocks in, beside `cdk.tf`. */
export const REMOVED_BLOCKS_HCL_FILE = "removed.tf";

export function forgetWithoutDestroying(stack: TerraformStack, address: string): void {
  let blocks = removedByStack.get(stack);
  if (!blocks) {
    blocks = [];
    removedByStack.set(stack, blocks);
    writeHclBlocksOnSynth(stack, blocks);
  }
  if (blocks.some((block) => block.from === address)) return;
  blocks.push({ from: address, lifecycle: { destroy: false } });
  // JSON output (the default): a top-level `removed` array in cdk.tf.json.
  stack.addOverride("removed", blocks);
}

/**
 * cdktf's HCL output (`cdktf synth --hcl`) silently drops stack overrides it has no renderer for, `removed`
 * included: the release would then be destroyed (`helm uninstall`) instead of forgotten. In HCL mode the blocks
 * are written to their own file in the stack's directory, which Terraform reads together with `cdk.tf`.
 */
function writeHclBlocksOnSynth(stack: TerraformStack, blocks: ReadonlyArray<RemovedBlock>): void {
  addCustomSynthesis(new Construct(stack, "removed-blocks"), {
    onSynthesize: (session) => {
      if (!App.of(stack).hclOutput) return;
      const directory = join(session.outdir, session.manifest.forStack(stack).workingDirectory);
      writeFileSync(join(directory, REMOVED_BLOCKS_HCL_FILE), blocks.map(renderRemovedHcl).join("\n"));
    },
  });
}

function renderRemovedHcl(block: RemovedBlock): string {
  return `removed {\n  from = ${block.from}\n\n  lifecycle {\n    destroy = ${block.lifecycle.destroy}\n  }\n}\n`;
}
