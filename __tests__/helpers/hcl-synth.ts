import { mkdirSync } from "node:fs";
import { App, TerraformStack } from "cdktf";
import { repairHclOutput } from "../../modules/hcl/repair";

/**
 * Synthesizes `build` into `outdir`, as HCL or JSON. cdktf reads SYNTH_HCL_OUTPUT when the stacks are constructed,
 * so it is set around the build and restored after.
 */
export function synthesizeInto(outdir: string, hcl: boolean, build: (app: App) => void): void {
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = String(hcl);
  mkdirSync(outdir, { recursive: true });
  try {
    const app = new App({ outdir, hclOutput: hcl });
    build(app);
    // A no-op where the stack already repairs its own HCL output (LayerStack's constructor).
    for (const stack of app.node.findAll().filter(TerraformStack.isStack)) repairHclOutput(stack);
    app.synth();
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
}
