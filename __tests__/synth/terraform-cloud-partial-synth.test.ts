import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigFile } from "../../modules/plan";
import { Platform } from "../../stacks/platform";
import { fixtureStacks } from "../helpers/fixtures";
import { synthesizeAppOnce } from "../helpers/synth";

/**
 * Team workspaces come from app code (`addStack`), which runs only for the environments a synth builds: the
 * terraform-cloud stack of a synth that leaves a managed environment out (prod, with PLATFORM_ENVIRONMENTS=staging)
 * carries a guard whose precondition fails every plan, so it can never be applied and remove prod's team roles.
 */

const config = loadConfigFile(join(__dirname, "..", "..", "config", "all-options.yaml"));
const partial = synthesizeAppOnce((app) => void new Platform(app, { config, environments: ["staging"] }));
const GUARD = "partial_synth_guard";

it("a synth without prod, which manages its workspaces, writes a guard that fails the plan", () => {
  const tfc = partial.stack("terraform-cloud");
  const guard = tfc.resource.terraform_data[GUARD];
  expect(tfc.locals.partial_synth_missing).toEqual(["prod"]);
  expect(guard.lifecycle.precondition).toEqual([
    {
      condition: "${(length(local.partial_synth_missing) < 1)}",
      error_message: expect.stringMatching(
        /PLATFORM_ENVIRONMENTS left out prod.*remove the team stacks' workspaces, roles and wiring.*unset PLATFORM_ENVIRONMENTS/,
      ),
    },
  ]);
});

it("a synth of every environment has no guard", () => {
  const tfc = fixtureStacks("all-options").get("terraform-cloud");
  expect(tfc?.resource?.terraform_data?.[GUARD]).toBeUndefined();
  expect(tfc?.locals?.partial_synth_missing).toBeUndefined();
});

it("the guard fails a real terraform plan with its message (terraform_data is built in)", () => {
  const guard = partial.stack("terraform-cloud").resource.terraform_data[GUARD];
  const dir = mkdtempSync(join(tmpdir(), "partial-synth-guard-"));
  try {
    const locals = partial.stack("terraform-cloud").locals;
    writeFileSync(
      join(dir, "main.tf.json"),
      JSON.stringify({ locals, resource: { terraform_data: { [GUARD]: guard } } }),
    );
    const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
    const run = (...args: string[]) => spawnSync("terraform", [`-chdir=${dir}`, ...args], { encoding: "utf8", env });
    expect(run("init", "-no-color").status).toBe(0);
    const plan = run("plan", "-no-color", "-input=false");
    expect(plan.status).toBe(1);
    expect(plan.stderr).toContain("Resource precondition failed");
    expect(plan.stderr.replace(/\s+/g, " ")).toContain("PLATFORM_ENVIRONMENTS left out prod");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
