import { App, type TerraformStack } from "cdktf";
import { withTopLevelBlocks } from "../terraform-blocks";
import type { EnvironmentConfig } from "../config/schema";
import { evaluatePolicy, formatFinding, type AppliedWaiver, type PolicyEvaluation } from "./engine";
import type { PolicyRule, ProviderGuard } from "./types";
import type { StackJson } from "../terraform-json";

const evaluations = new WeakMap<TerraformStack, PolicyEvaluation>();

/** The last evaluation of a stack's validation (after `app.synth()`), e.g. for "waivers in use". */
export function policyEvaluationOf(stack: TerraformStack): PolicyEvaluation | undefined {
  return evaluations.get(stack);
}

export interface AttachPolicyPackOptions {
  /** "Today" for waiver expiry (tests). */
  readonly now?: () => Date;
  /** What the stack's AWS providers must carry, for a stack of one environment (provider-guard.ts). */
  readonly guard?: ProviderGuard;
  /** The rules to run; default the whole pack (a stack whose pack is waived off runs the guard's only). */
  readonly rules?: ReadonlyArray<PolicyRule>;
  /** Waivers applied when the stack was built (the POLICY_PACK_ON waiver), reported with the evaluation's. */
  readonly waived?: ReadonlyArray<AppliedWaiver>;
}

/** cdktf's hint under every validation error: the policy pack is not skipped that way, so it is not offered. */
const SKIP_HINT =
  /\s*If you wish to ignore these validations, pass 'skipValidation: true' to your App configuration\.\s*$/;

/** The error a failing stack reports, in the format of cdktf's own validation errors (`[<stack>] <finding>`). */
function findingsError(stack: TerraformStack, findings: ReadonlyArray<string>): Error {
  return new Error(
    `Validation failed with the following errors:\n  ${findings.map((finding) => `[${stack.node.path}] ${finding}`).join("\n  ")}\n`,
  );
}

/**
 * Checks the stack's Terraform JSON against the built-in policy pack when cdktf validates the stack, right before
 * it writes `cdk.tf.json`: a violation fails synth with one line per finding (and `synthesizeAtomically` leaves
 * nothing half-written). `Testing.synth(stack)` does not run validations; `Testing.synth(stack, true)` does.
 *
 * The pack is not optional: an `App({ skipValidation: true })` skips cdktf's validations, so then the pack runs
 * where the stack's JSON or HCL is generated for writing, and fails there. A finding is accepted with a waiver in
 * config, never by switching checks off; so validation errors do not advertise cdktf's `skipValidation` either.
 *
 * Generating the JSON is most of synth's cost, so the JSON the validation generated is handed to the one
 * `toTerraform()` call that follows (the synthesizer's), instead of generating it twice. The hand-over is
 * dropped if constructs were added in between.
 */
export function attachPolicyPack(
  stack: TerraformStack,
  environment: EnvironmentConfig,
  options: AttachPolicyPackOptions = {},
): void {
  const generate = stack.toTerraform.bind(stack);
  const generateHcl = stack.toHclTerraform.bind(stack);
  const evaluate = (json: StackJson): string[] => {
    const evaluation = evaluatePolicy({
      stack: stack.node.id,
      json: withTopLevelBlocks(stack, json),
      environment,
      now: options.now?.(),
      rules: options.rules,
      guard: options.guard,
    });
    evaluations.set(stack, { ...evaluation, waived: [...(options.waived ?? []), ...evaluation.waived] });
    return evaluation.findings.map(formatFinding);
  };
  const skipped = () => App.of(stack).skipValidation;
  let handOver: { json: StackJson; constructs: number } | undefined;
  stack.toTerraform = () => {
    const pending = handOver;
    handOver = undefined;
    if (pending && pending.constructs === stack.node.findAll().length) return pending.json;
    const json = generate() as StackJson;
    const findings = skipped() ? evaluate(json) : [];
    if (findings.length > 0) throw findingsError(stack, findings);
    return json;
  };
  stack.toHclTerraform = () => {
    if (skipped()) {
      const findings = evaluate(generate() as StackJson);
      if (findings.length > 0) throw findingsError(stack, findings);
    }
    return generateHcl();
  };
  const runAllValidations = stack.runAllValidations.bind(stack);
  stack.runAllValidations = () => {
    try {
      runAllValidations();
    } catch (error) {
      if (error instanceof Error) error.message = error.message.replace(SKIP_HINT, "\n");
      throw error;
    }
  };
  stack.node.addValidation({
    validate: () => {
      const json = generate() as StackJson;
      const findings = evaluate(json);
      if (findings.length > 0) {
        handOver = undefined;
        return findings;
      }
      handOver = { json, constructs: stack.node.findAll().length };
      return [];
    },
  });
}
