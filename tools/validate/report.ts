import { locationOf, type StackAddress } from "../../modules/terraform-json";

/**
 * Findings are data, never exceptions: the validator collects every problem in one run and the CLI prints
 * them as `<stack> <address>: <problem>`. `skipped` findings record what could not be checked (a disabled
 * add-on, a kind without a CRD in the reference) so a green run never hides a check that did not happen.
 */

export type Severity = "error" | "warning" | "skipped";

/** Which family of contract a finding is about: lets a caller filter, and tests assert on the right check. */
export type CheckKind = "provider-schema" | "kubernetes-object" | "chart-values" | "helm-value-keys" | "iam";

/** At `<stack> <address>` (`*` for the whole run), like the policy pack's findings. */
export interface Finding extends StackAddress {
  readonly severity: Severity;
  readonly check: CheckKind;
  /** One sentence; starts with the path inside the resource when there is one (`ingress[0].from_port: ...`). */
  readonly message: string;
}

export function formatFinding(finding: Finding): string {
  const prefix = finding.severity === "error" ? "" : `${finding.severity}: `;
  return `${locationOf(finding)}: ${prefix}${finding.message}`;
}

const severityOrder: Record<Severity, number> = { error: 0, warning: 1, skipped: 2 };

/** Stable order for output and snapshot-free tests: stack, then severity, then address. */
export function sortFindings(findings: ReadonlyArray<Finding>): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compare(a.stack, b.stack) ||
      severityOrder[a.severity] - severityOrder[b.severity] ||
      compare(a.address, b.address) ||
      compare(a.message, b.message),
  );
}

/** Code-point order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function countBySeverity(findings: ReadonlyArray<Finding>): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, skipped: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

export function summaryLine(findings: ReadonlyArray<Finding>, stackCount: number, elapsedMs: number): string {
  const counts = countBySeverity(findings);
  const verdict = counts.error > 0 ? "FAILED" : "passed";
  return `validate ${verdict}: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.skipped} skipped check(s) in ${stackCount} stack(s) (${Math.round(elapsedMs)} ms)`;
}

/** Collects findings for one stack and check family, so validators do not repeat the stack name everywhere. */
export class FindingSink {
  readonly findings: Finding[] = [];

  add(stack: string, address: string, severity: Severity, check: CheckKind, message: string): void {
    this.findings.push({ stack, address, severity, check, message });
  }

  error(stack: string, address: string, check: CheckKind, message: string): void {
    this.add(stack, address, "error", check, message);
  }

  warning(stack: string, address: string, check: CheckKind, message: string): void {
    this.add(stack, address, "warning", check, message);
  }

  skipped(stack: string, address: string, check: CheckKind, message: string): void {
    this.add(stack, address, "skipped", check, message);
  }
}
