import type { Finding } from "./checks";
import { isEgressPath } from "./checks";
import { isInCluster, type StackGraph } from "./graph";
import type { Interval, Phase } from "./schedule";
import { webhookOf } from "./webhooks";

/** A rehearsal's result: per stack its timelines, notes and findings; readable text or JSON (for tests, CI). */

export interface StackResult {
  readonly stack: string;
  readonly dependencies: ReadonlyArray<string>;
  /** `terraform`: a real stand-in apply and destroy; `schedule`: computed (--simulate). */
  readonly source: "terraform" | "schedule";
  readonly apply: Readonly<Record<string, Interval>>;
  readonly destroy: Readonly<Record<string, Interval>>;
  readonly applyMinutes: number;
  readonly destroyMinutes: number;
  /** Where the stack's phases fall in a whole-environment `cdktf deploy` / `cdktf destroy`, in minutes. */
  readonly offsets: { readonly apply: number; readonly destroy: number };
  readonly wallSeconds?: {
    readonly init: number;
    readonly apply: number;
    readonly destroy: number;
    readonly total: number;
  };
  readonly overheadMs?: number;
  readonly notes: ReadonlyArray<string>;
  readonly findings: ReadonlyArray<Finding>;
}

export interface RehearsalReport {
  /** Real seconds per modeled minute. */
  readonly scale: number;
  /** Terraform's -parallelism (10 unless told). */
  readonly parallelism: number;
  readonly wallSeconds: number;
  readonly stacks: ReadonlyArray<StackResult>;
  readonly findings: ReadonlyArray<Finding>;
}

/** Facts about a stack worth reading next to its timeline: how the cluster providers authenticate, kept resources. */
export function stackNotes(graph: StackGraph): string[] {
  const notes: string[] = [];
  for (const provider of graph.providers.values()) {
    if (provider.auth.kind === "exec")
      notes.push(`provider ${provider.key}: exec auth (a fresh token per call: no token lifetime)`);
    if (provider.auth.kind === "token")
      notes.push(
        `provider ${provider.key}: token ${provider.auth.tokens.join(", ")} (${provider.auth.tokens.some((t) => t.startsWith("data.")) ? "minted at plan/refresh" : "minted when the ephemeral resource opens"}, valid 15 min)`,
      );
  }
  const nodes = [...graph.nodes.values()];
  if (nodes.some(isInCluster) && !nodes.some((node) => isEgressPath(node, graph)))
    notes.push(
      "no egress path (route tables, NAT, internet gateway, VPC endpoints) in this stack: it is an existing VPC or another stack's, which stack order destroys later; EGRESS_OUTLIVES_CONTROLLERS has nothing to check here",
    );
  const kept = [...graph.nodes.values()].filter((node) => node.preventDestroy).map((node) => node.address);
  if (kept.length > 0)
    notes.push(`prevent_destroy (a real destroy refuses; the stand-in destroys them anyway): ${kept.join(", ")}`);
  return notes;
}

export function toRecord(times: ReadonlyMap<string, Interval>): Record<string, Interval> {
  return Object.fromEntries([...times].sort(([a], [b]) => a.localeCompare(b)));
}

/** Whole-environment offsets: a stack applies after its dependencies, and is destroyed after its dependents. */
export function environmentOffsets(
  stacks: ReadonlyArray<{
    stack: string;
    dependencies: ReadonlyArray<string>;
    applyMinutes: number;
    destroyMinutes: number;
  }>,
): Map<string, { apply: number; destroy: number }> {
  const byName = new Map(stacks.map((s) => [s.stack, s]));
  const apply = new Map<string, number>();
  const applyAt = (name: string): number => {
    if (!apply.has(name)) {
      const deps = byName.get(name)?.dependencies.filter((dep) => byName.has(dep)) ?? [];
      apply.set(name, Math.max(0, ...deps.map((dep) => applyAt(dep) + (byName.get(dep)?.applyMinutes ?? 0))));
    }
    return apply.get(name) as number;
  };
  const destroy = new Map<string, number>();
  const destroyAt = (name: string): number => {
    if (!destroy.has(name)) {
      const dependents = stacks.filter((s) => s.dependencies.includes(name));
      destroy.set(name, Math.max(0, ...dependents.map((d) => destroyAt(d.stack) + d.destroyMinutes)));
    }
    return destroy.get(name) as number;
  };
  return new Map(stacks.map((s) => [s.stack, { apply: applyAt(s.stack), destroy: destroyAt(s.stack) }]));
}

function tag(graph: StackGraph, address: string, phase: Phase): string {
  const node = graph.nodes.get(address);
  if (!node) return "";
  if (node.mode === "ephemeral") return "token opens";
  if (node.mode === "data") return "read";
  if (webhookOf(node)) return "webhook";
  if (isInCluster(node)) return "cluster call";
  if (phase === "destroy" && isEgressPath(node, graph)) return "egress";
  return "";
}

function renderPhase(graph: StackGraph, phase: Phase, times: Readonly<Record<string, Interval>>): string[] {
  const width = 8;
  return Object.entries(times)
    .sort(([a, x], [b, y]) => x.start - y.start || x.end - y.end || a.localeCompare(b))
    .map(([address, interval]) => {
      const label = tag(graph, address, phase);
      const range = `${interval.start.toFixed(1).padStart(width - 2)} - ${interval.end.toFixed(1).padStart(5)}`;
      return `    ${range}  ${address}${label ? `  [${label}]` : ""}`;
    });
}

export function formatFinding(finding: Finding): string {
  const seen =
    finding.seenIn && finding.seenIn.length === 1
      ? finding.seenIn[0] === "terraform"
        ? " [borderline: only in the Terraform run, whose per-node overhead adds time; not in the computed schedule]"
        : " [borderline: only in the computed schedule; the Terraform run ordered ready nodes differently]"
      : "";
  return `${finding.rule} ${finding.stack} ${finding.phase} ${finding.addresses[0]}: ${finding.message}${seen}\n    fix: ${finding.fix}`;
}

/** The readable report: per stack its apply and destroy timelines (modeled minutes), then every finding. */
export function renderReport(report: RehearsalReport, graphs: ReadonlyMap<string, StackGraph>): string {
  const lines: string[] = [
    `Rehearsal: stand-in terraform_data per block, ${report.stacks[0]?.source === "schedule" ? "computed schedule (no Terraform run)" : `real terraform apply + destroy, parallelism ${report.parallelism}`}; times in modeled minutes (1 modeled minute = ${report.scale} s).`,
    "",
  ];
  for (const result of report.stacks) {
    const graph = graphs.get(result.stack) as StackGraph;
    const wall = result.wallSeconds
      ? `; wall: init ${result.wallSeconds.init.toFixed(1)} s, apply ${result.wallSeconds.apply.toFixed(1)} s, destroy ${result.wallSeconds.destroy.toFixed(1)} s; Terraform overhead ~${Math.round(result.overheadMs ?? 0)} ms per node (${((result.overheadMs ?? 0) / 1000 / report.scale).toFixed(2)} modeled min)`
      : "";
    lines.push(
      `== ${result.stack}: apply ${result.applyMinutes.toFixed(1)} min (environment minute ${result.offsets.apply.toFixed(1)}), destroy ${result.destroyMinutes.toFixed(1)} min (environment minute ${result.offsets.destroy.toFixed(1)})${wall}`,
    );
    if (result.dependencies.length > 0) lines.push(`  after: ${result.dependencies.join(", ")}`);
    for (const note of result.notes) lines.push(`  note: ${note}`);
    lines.push("  apply:", ...renderPhase(graph, "apply", result.apply));
    lines.push("  destroy:", ...renderPhase(graph, "destroy", result.destroy));
    lines.push(`  findings: ${result.findings.length}`, "");
  }
  lines.push(`Findings (${report.findings.length}):`);
  for (const finding of report.findings) lines.push(`  ${formatFinding(finding)}`);
  lines.push("", `rehearsed ${report.stacks.length} stack(s) in ${report.wallSeconds.toFixed(1)} s wall`);
  return `${lines.join("\n")}\n`;
}
