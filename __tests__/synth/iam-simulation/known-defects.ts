import type { Outcome } from "./simulate";

/**
 * KNOWN_DEFECTS: rows whose simulated outcome on today's code is NOT the correct one. Every table states what
 * SHOULD happen (allowed or denied); a row listed here is expected to still show the wrong outcome, `observed`.
 * The suite then fails both ways: when a listed defect no longer reproduces (it was fixed: delete its entry,
 * so the list shrinks as fixes land) and when any row not listed here disagrees with its expectation (a new
 * defect, or a wrong expectation). The issue references are the project's tracker.
 *
 * Ids are the rows' ids (`<environment> <role>: <call>`); `table` is the test file that owns the row, which also
 * fails on an entry of its table that matches no row (a renamed row must rename its entry).
 */

export type Table = "controllers" | "trust" | "terraform-cloud";

export interface KnownDefect {
  readonly id: string;
  readonly table: Table;
  readonly issue: "issue 22" | "issue 25";
  /** What the simulation reports on today's code (the opposite of the row's expectation). */
  readonly observed: Outcome;
  readonly why: string;
}

/** None: the issue 22 escalation paths (CreatePolicy/CreateRole/AttachRolePolicy/AssumeRole, CreatePolicyVersion/
 * UpdateAssumeRolePolicy/AssumeRole, AssumeRole into a role trusting the account) are denied since the fix. */
export const KNOWN_DEFECTS: ReadonlyArray<KnownDefect> = [];

/**
 * The verdict on one row: undefined when it is as it should be (or, for a known defect, still as wrong as
 * recorded); otherwise what is off and what to do about it.
 */
export function judge(
  id: string,
  expected: Outcome,
  observed: Outcome,
  defects: ReadonlyArray<KnownDefect> = KNOWN_DEFECTS,
): string | undefined {
  const defect = defects.find((entry) => entry.id === id);
  if (!defect)
    return observed === expected
      ? undefined
      : `${id}: should be ${expected}, the simulation says ${observed}. A new defect (or a wrong expectation): fix it, or record it in KNOWN_DEFECTS with its issue`;
  if (defect.observed === expected) return `${id}: its KNOWN_DEFECTS entry records the expected outcome (${expected})`;
  return observed === defect.observed
    ? undefined
    : `${id}: the known defect (${defect.issue}) no longer reproduces, it is ${observed} as it should be: delete its KNOWN_DEFECTS entry`;
}

/** Entries of a table that name no row of it. */
export function staleDefects(table: Table, rowIds: ReadonlyArray<string>): string[] {
  const ids = new Set(rowIds);
  return KNOWN_DEFECTS.filter((entry) => entry.table === table && !ids.has(entry.id)).map((entry) => entry.id);
}
