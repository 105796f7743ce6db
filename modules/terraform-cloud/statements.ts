import type { Condition } from "../iam/policy";

/**
 * An IAM statement as the run roles' and the boundary's policies need it: modules/iam/policy.ts has no
 * NotAction or NotResource (the platform's workload policies never need them), the boundary's explicit
 * "deny everything else" does.
 */
export interface RunPolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action?: string | string[];
  readonly NotAction?: string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Condition;
}

/** The policy document's literal JSON (tokens become `${...}` interpolations at synth). */
export function statementsJson(statements: ReadonlyArray<RunPolicyStatement>): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
