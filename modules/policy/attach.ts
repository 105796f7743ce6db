import type { TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/schema";
import { evaluatePolicy, formatFinding, type PolicyEvaluation } from "./engine";
import type { StackJson } from "../terraform-json";

const evaluations = new WeakMap<TerraformStack, PolicyEvaluation>();

/** The last evaluation of a stack's validation (after `app.synth()`), e.g. for "waivers in use". */
export function policyEvaluationOf(stack: TerraformStack): PolicyEvaluation | undefined {
  return evaluations.get(stack);
}

export interface AttachPolicyPackOptions {
  /** "Today" for waiver expiry (tests). */
  readonly now?: () => Date;
}

/**
 * Checks the stack's Terraform JSON against the built-in policy pack when cdktf validates the stack, right before
 * it writes `cdk.tf.json`: a violation fails synth with one line per finding (and `synthesizeAtomically` leaves
 * nothing half-written). `Testing.synth(stack)` does not run validations; `Testing.synth(stack, true)` does.
 *
 * Generating the JSON is most of synth's cost, so the JSON the validation generated is handed to the one
 * `toTerraform()` call that follows (the synthesizer's), instead of generating it twice. The hand-over is
 * dropped if constructs were added in between.
 */
export function attachPolicyPack(stack: TerraformStack, environment: EnvironmentConfig, options: AttachPolicyPackOptions = {}): void {
  const generate = stack.toTerraform.bind(stack);
  let handOver: { json: StackJson; constructs: number } | undefined;
  stack.toTerraform = () => {
    const pending = handOver;
    handOver = undefined;
    return pending && pending.constructs === stack.node.findAll().length ? pending.json : generate();
  };
  stack.node.addValidation({
    validate: () => {
      const json = generate() as StackJson;
      const evaluation = evaluatePolicy({ stack: stack.node.id, json, environment, now: options.now?.() });
      evaluations.set(stack, evaluation);
      if (evaluation.findings.length > 0) {
        handOver = undefined;
        return evaluation.findings.map(formatFinding);
      }
      handOver = { json, constructs: stack.node.findAll().length };
      return [];
    },
  });
}
