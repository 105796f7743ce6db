import type { EnvironmentConfig } from "../config/schema";
import { resources, type ResourceBlock, type StackAddress, type StackJson } from "../terraform-json";

/** Where a rule came from, so findings map onto what Checkov and Trivy report for the same resource. */
export interface ScannerIds {
  readonly checkov?: ReadonlyArray<string>;
  readonly trivy?: ReadonlyArray<string>;
}

export type PolicyArea =
  "eks" | "kms" | "logs" | "sqs" | "efs" | "iam" | "nodes" | "safety" | "values" | "network" | "state";

/**
 * What every AWS provider configuration of an environment's stack must carry (modules/policy/provider-guard.ts):
 * the environment's account as the only allowed one, and the environment's default tags.
 */
export interface ProviderGuard {
  readonly account: string;
  readonly defaultTags: Readonly<Record<string, string>>;
}

/** What a rule sees: one stack's Terraform JSON and the environment it was built from. */
export interface RuleInput {
  readonly stack: string;
  readonly json: StackJson;
  readonly environment: EnvironmentConfig;
  /** "Today", for rules about dates (support windows). */
  readonly now: Date;
  /** Set for a stack of one environment (its layers, its team stacks); unset for the terraform-cloud stack. */
  readonly guard?: ProviderGuard;
}

/** One problem a rule found on one resource. */
export interface Violation {
  /** The resource the problem is on. */
  readonly resource: ResourceBlock;
  /** What is wrong, in one sentence. */
  readonly problem: string;
  /** How to fix it, when the rule's general fix is not precise enough. */
  readonly fix?: string;
}

export interface PolicyRule {
  /** Stable id, used in waivers: `EKS_PUBLIC_ENDPOINT`. Never renamed once released. */
  readonly id: string;
  readonly area: PolicyArea;
  /** What the rule requires, as a short sentence (the docs table). */
  readonly title: string;
  readonly scanners: ScannerIds;
  /** The usual fix. */
  readonly fix: string;
  check(input: RuleInput): Violation[];
}

/** A violation with everything needed to report or waive it, at `<stack> <type>.<name>` like the validator's. */
export interface Finding extends StackAddress {
  readonly rule: string;
  readonly problem: string;
  readonly fix: string;
  /** Set when a waiver matched but has expired: it no longer applies. */
  readonly expiredWaiver?: { readonly reason: string; readonly expires: string };
}

export function defineRule(rule: PolicyRule): PolicyRule {
  return rule;
}

/** Runs `check` on every resource of `type`; each problem it returns becomes a violation on that resource. */
export function checkEach(
  json: StackJson,
  type: string,
  check: (resource: ResourceBlock) => string | ReadonlyArray<string> | undefined,
): Violation[] {
  const violations: Violation[] = [];
  for (const resource of resources(json, type)) {
    const problems = check(resource);
    if (problems === undefined) continue;
    for (const problem of typeof problems === "string" ? [problems] : problems) violations.push({ resource, problem });
  }
  return violations;
}
