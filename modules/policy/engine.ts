import type { EnvironmentConfig } from "../config/schema";
import type { WaiverConfig } from "../config/waiver-schema";
import { POLICY_RULES } from "./registry";
import { locationOf, type StackJson } from "../terraform-json";
import type { Finding, PolicyRule, ProviderGuard } from "./types";

export interface AppliedWaiver {
  readonly finding: Finding;
  readonly waiver: WaiverConfig;
}

/** The pack's verdict on one stack: what fails synth, and what a waiver silenced. */
export interface PolicyEvaluation {
  readonly stack: string;
  /** Violations no (unexpired) waiver covers: each fails synth. */
  readonly findings: ReadonlyArray<Finding>;
  /** Violations silenced by a waiver, for the report's "waivers in use". */
  readonly waived: ReadonlyArray<AppliedWaiver>;
}

export interface EvaluatePolicyInput {
  readonly stack: string;
  readonly json: StackJson;
  readonly environment: EnvironmentConfig;
  /** "Today" for waiver expiry; defaults to now. */
  readonly now?: Date;
  /** Defaults to the built-in pack. */
  readonly rules?: ReadonlyArray<PolicyRule>;
  /** What the stack's AWS providers must carry, for a stack of one environment (provider-guard.ts). */
  readonly guard?: ProviderGuard;
}

/** A waiver covers a finding of its rule on its resource (`<type>.<name>`), or on every resource when it names none. */
export function waiverMatches(waiver: WaiverConfig, finding: Pick<Finding, "rule" | "address">): boolean {
  return waiver.rule === finding.rule && (waiver.resource === undefined || waiver.resource === finding.address);
}

const DAY_MS = 86_400_000;

/**
 * Whole days from today to the waiver's `expires` day, both as UTC calendar days: 0 on that day, negative once it
 * has passed; `undefined` for a waiver without an end date. A waiver applies through the end of its `expires` day
 * (UTC) and no longer after it (docs/policy.md). The one place expiry is judged: synth (the policy pack) and
 * `npm run report` both ask here, so the report never calls a waiver expired that synth still honours.
 */
export function waiverDaysLeft(waiver: Pick<WaiverConfig, "expires">, now: Date = new Date()): number | undefined {
  if (waiver.expires === undefined) return undefined;
  const end = Date.parse(waiver.expires);
  // The schema checks the shape only; an impossible date (2026-02-30) counts as already expired, never as forever.
  if (Number.isNaN(end) || new Date(end).toISOString().slice(0, 10) !== waiver.expires) return -1;
  return Math.round((end - Date.parse(now.toISOString().slice(0, 10))) / DAY_MS);
}

/** True from the day after the waiver's `expires` day (UTC): see `waiverDaysLeft`. */
export function waiverExpired(waiver: Pick<WaiverConfig, "expires">, now: Date = new Date()): boolean {
  const days = waiverDaysLeft(waiver, now);
  return days !== undefined && days < 0;
}

/** Runs every rule over one stack's Terraform JSON and applies the environment's waivers. Never throws on findings. */
export function evaluatePolicy(input: EvaluatePolicyInput): PolicyEvaluation {
  const now = input.now ?? new Date();
  const waivers = input.environment.policy.waivers;
  const findings: Finding[] = [];
  const waived: AppliedWaiver[] = [];
  for (const rule of input.rules ?? POLICY_RULES) {
    const ruleInput = { stack: input.stack, json: input.json, environment: input.environment, now, guard: input.guard };
    for (const violation of rule.check(ruleInput)) {
      const finding: Finding = {
        rule: rule.id,
        stack: input.stack,
        address: violation.resource.address,
        problem: violation.problem,
        fix: violation.fix ?? rule.fix,
      };
      const matching = waivers.filter((waiver) => waiverMatches(waiver, finding));
      const active = matching.find((waiver) => !waiverExpired(waiver, now));
      if (active) waived.push({ finding, waiver: active });
      else {
        const expired = matching[0];
        findings.push(
          expired?.expires
            ? { ...finding, expiredWaiver: { reason: expired.reason, expires: expired.expires } }
            : finding,
        );
      }
    }
  }
  return { stack: input.stack, findings, waived };
}

/**
 * One line per finding:
 * `<stack> <type>.<name>: [RULE_ID] <problem> (fix: ...; waive with policy.waivers: - rule: RULE_ID, resource: <type>.<name>, reason: ...)`.
 */
export function formatFinding(finding: Finding): string {
  const expired = finding.expiredWaiver
    ? `; the waiver "${finding.expiredWaiver.reason}" expired on ${finding.expiredWaiver.expires}`
    : "";
  return (
    `${locationOf(finding)}: [${finding.rule}] ${finding.problem} ` +
    `(fix: ${finding.fix}${expired}; waive with policy.waivers: - rule: ${finding.rule}, resource: ${finding.address}, reason: ...)`
  );
}

/** Waivers of the environment that matched nothing in any of its stacks (stale waivers worth removing). */
export function unusedWaivers(
  environment: EnvironmentConfig,
  evaluations: ReadonlyArray<PolicyEvaluation>,
): WaiverConfig[] {
  const used = new Set(evaluations.flatMap((evaluation) => evaluation.waived.map((applied) => applied.waiver)));
  return environment.policy.waivers.filter((waiver) => !used.has(waiver));
}
