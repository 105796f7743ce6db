import type { EnvironmentFacts } from "./environments";
import type { Identity } from "./identities";
import type { PolicyDocument } from "./substitution";
import { simulate, type ContextValues, type Outcome, type SimulatedRequest } from "./simulate";

/**
 * A row of a call table: one request a principal really makes (or must not be able to make), what SHOULD happen,
 * and where the claim comes from upstream. A chain is several requests that together are one capability (an
 * escalation path): it is "allowed" when every step is, "denied" as soon as one step is.
 */

export interface CallRow {
  /** `<environment> <role>: <call>`, unique; KNOWN_DEFECTS refers to rows by it. */
  readonly id: string;
  readonly steps: ReadonlyArray<SimulatedRequest>;
  readonly expected: Outcome;
  /** Upstream: the controller's source file or published policy at the pinned version, or the AWS/HashiCorp doc. */
  readonly source: string;
}

export interface CallSpec {
  /** What the row is about, e.g. `ec2:TerminateInstances on an instance of another cluster`. */
  readonly call: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: ContextValues;
  readonly resourcePolicy?: PolicyDocument;
  readonly resourceAccount?: string;
  readonly unvalidated?: string;
  readonly expected: Outcome;
  readonly source: string;
}

export function requestFor(who: Identity, spec: Omit<CallSpec, "call" | "expected" | "source">): SimulatedRequest {
  return {
    principal: who.sessionArn,
    action: spec.action,
    resource: spec.resource,
    resourceAccount: spec.resourceAccount ?? who.account,
    context: spec.context,
    identityPolicies: who.policies,
    permissionsBoundary: who.boundary,
    resourcePolicy: spec.resourcePolicy,
    unvalidated: spec.unvalidated,
  };
}

/** Rows of one identity's calls. Its permissions must be fully modelled: a denial would otherwise mean nothing. */
export function callRows(env: EnvironmentFacts, who: Identity, specs: ReadonlyArray<CallSpec>): CallRow[] {
  if (who.unmodelledManagedPolicies.length > 0)
    throw new Error(
      `${who.name}: AWS managed ${who.unmodelledManagedPolicies.join(", ")} not modelled (managed-policies.ts)`,
    );
  return specs.map((spec) => ({
    id: `${env.name} ${who.name}: ${spec.call}`,
    steps: [requestFor(who, spec)],
    expected: spec.expected,
    source: spec.source,
  }));
}

/** `aws:RequestTag/<key>` for each tag and `aws:TagKeys`: what a call that creates tagged resources sends. */
export function requestTags(tags: Readonly<Record<string, string>>): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = { "aws:TagKeys": Object.keys(tags) };
  for (const [key, value] of Object.entries(tags)) context[`aws:RequestTag/${key}`] = value;
  return context;
}

/** `aws:ResourceTag/<key>` for each tag the resource carries. */
export function resourceTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]));
}

export interface RowResult {
  readonly row: CallRow;
  readonly observed: Outcome;
  /** Per step: iam-simulate's result. */
  readonly results: ReadonlyArray<string>;
}

export async function runRow(row: CallRow): Promise<RowResult> {
  const results: string[] = [];
  let observed: Outcome = "allowed";
  for (const step of row.steps) {
    const result = await simulate(step);
    results.push(`${step.action} ${result.result}`);
    if (result.outcome === "denied") observed = "denied";
  }
  return { row, observed, results };
}

/** Rows grouped by principal (the id up to its colon), in order: one test per identity keeps the run short. */
export function byPrincipal(rows: ReadonlyArray<CallRow>): Array<[string, CallRow[]]> {
  const groups = new Map<string, CallRow[]>();
  for (const row of rows) {
    const key = row.id.slice(0, row.id.indexOf(":"));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups];
}

/** Runs the rows and returns the verdict on each that is not as it should be (judge). */
export async function mismatches(
  rows: ReadonlyArray<CallRow>,
  judgeRow: (id: string, expected: Outcome, observed: Outcome) => string | undefined,
): Promise<string[]> {
  const found: string[] = [];
  for (const row of rows) {
    const result = await runRow(row);
    const verdict = judgeRow(row.id, row.expected, result.observed);
    if (verdict) found.push(`${verdict} [${result.results.join(", ")}; source: ${row.source}]`);
  }
  return found;
}

/** Fails on duplicate ids: KNOWN_DEFECTS could not tell such rows apart. */
export function assertUniqueIds(rows: ReadonlyArray<CallRow>): void {
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.id)) throw new Error(`duplicate row id: ${row.id}`);
    seen.add(row.id);
  }
}
