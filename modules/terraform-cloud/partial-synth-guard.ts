import { DataResource, Fn, Op, TerraformLocal, type TerraformStack } from "cdktf";

/**
 * The terraform-cloud stack holds every managed environment's workspaces and run roles, built from the whole config
 * whatever `PLATFORM_ENVIRONMENTS` selects, but a team stack's workspace, roles and wiring come from app code
 * (`addStack`), which runs only for the environments a synth builds. Applied from a synth that left a managed
 * environment out, the stack would destroy that environment's team roles and wiring. So such a synth writes a
 * `terraform_data` whose precondition fails the plan, naming the environments left out and the fix; a synth of every
 * environment has no such block, and nothing of it is ever created. (Terraform refuses a constant condition, "must
 * refer to at least one object": it reads a local that lists the environments left out.)
 */
export function refuseApplyWithoutEnvironments(stack: TerraformStack, missing: ReadonlyArray<string>): void {
  if (missing.length === 0) return;
  const left = new TerraformLocal(stack, "partial_synth_missing", [...missing]);
  new DataResource(stack, "partial_synth_guard", {
    input: { missing: left.expression },
    lifecycle: {
      precondition: [
        {
          // Op.eq(x, 0) renders "== undefined" (cdktf drops a literal 0): "fewer than 1" says the same.
          condition: Op.lt(Fn.lengthOf(left.asList), 1),
          errorMessage:
            `This terraform-cloud stack was synthesized for some environments only (PLATFORM_ENVIRONMENTS left out ${missing.join(", ")}): ` +
            "applying it would remove the team stacks' workspaces, roles and wiring of the environments left out. " +
            "Synthesize every environment (unset PLATFORM_ENVIRONMENTS) before planning or applying terraform-cloud.",
        },
      ],
    },
  });
}
