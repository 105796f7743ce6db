import type { StackGraph } from "./graph";
import { waitsFor, type Interval, type Phase } from "./schedule";

/**
 * A Terraform run's timeline with Terraform's own per-node cost taken out.
 *
 * In a stand-in run each node starts some milliseconds after what it waits for has ended: Terraform's walk, the
 * provisioner's process start. At the rehearsal's scale (a quarter second per modeled minute) 50 ms is 0.2 modeled
 * minutes per node, and a busy machine makes it 0.5 to 1: along a chain of ten nodes, minutes that a real apply
 * spends in milliseconds. A time limit judged on the raw timeline (a token's 15 minutes) then fails on load alone.
 *
 * Here each node's wait beyond what it waits for is cut by the run's typical per-node overhead (the median wait,
 * `RunResult.overheadMs`), never below zero, and the cut carries down every chain: a node starts when what it
 * waits for ends in this timeline, plus whatever wait remains (Terraform's parallelism, a slow start). Durations
 * and the order of dependent nodes stay as they ran. At apply a node waits for its dependencies; at destroy, for
 * the nodes that depend on it.
 */
export function withoutOverhead(
  graph: StackGraph,
  times: ReadonlyMap<string, Interval>,
  phase: Phase,
  overheadMinutes: number,
): Map<string, Interval> {
  const waiting = waitsFor(graph, phase);
  const before = (address: string): string[] => waiting(address).filter((other) => times.has(other));
  const corrected = new Map<string, Interval>();
  const inOrder = [...times].sort(([a, x], [b, y]) => x.start - y.start || x.end - y.end || a.localeCompare(b));
  for (const [address, interval] of inOrder) {
    const waited = before(address);
    const ready = Math.max(0, ...waited.map((other) => (times.get(other) as Interval).end));
    const readyNow = Math.max(0, ...waited.map((other) => (corrected.get(other) ?? times.get(other))!.end));
    const start = readyNow + Math.max(0, interval.start - ready - overheadMinutes);
    corrected.set(address, { start, end: start + (interval.end - interval.start) });
  }
  return corrected;
}
