import type { GraphNode, StackGraph } from "./graph";
import { timesOf, TYPICAL_TIMES, type TypicalTime } from "./times";

/**
 * Time intervals of a rehearsal, in modeled minutes from the start of a phase, and a computed schedule of the
 * same graph (no Terraform run): what a real rehearsal is compared with, and what the unit tests check rules on.
 */

export interface Interval {
  readonly start: number;
  readonly end: number;
}

export type Phase = "apply" | "destroy";

export interface PhaseTimes {
  /** Address -> interval. Apply: every node (data sources and ephemeral resources included). Destroy: resources. */
  readonly apply: ReadonlyMap<string, Interval>;
  readonly destroy: ReadonlyMap<string, Interval>;
}

/** Terraform's default `-parallelism`. */
export const TERRAFORM_PARALLELISM = 10;

const destroyed = (node: GraphNode): boolean => node.mode === "resource" || node.mode === "module";

/**
 * What a node waits for in a phase, as Terraform's walk orders it: at apply its dependencies, at destroy the nodes
 * that depend on it; only nodes of the graph.
 */
export function waitsFor(graph: StackGraph, phase: Phase): (address: string) => ReadonlyArray<string> {
  const dependents = new Map<string, string[]>();
  for (const node of graph.nodes.values())
    for (const dep of node.deps) {
      const list = dependents.get(dep);
      if (list) list.push(node.address);
      else dependents.set(dep, [node.address]);
    }
  return (address) =>
    (phase === "apply" ? (graph.nodes.get(address)?.deps ?? []) : (dependents.get(address) ?? [])).filter(
      (other) => other !== address && graph.nodes.has(other),
    );
}

/**
 * Earliest-start list scheduling with at most `parallelism` nodes running, as Terraform's graph walk does:
 * at apply a node starts when its dependencies are done; at destroy when every node depending on it is gone.
 * Ready nodes start in address order (Terraform's order among ready nodes is unspecified).
 */
export function scheduleGraph(
  graph: StackGraph,
  options: { readonly parallelism?: number; readonly table?: ReadonlyArray<TypicalTime> } = {},
): PhaseTimes {
  const parallelism = options.parallelism ?? TERRAFORM_PARALLELISM;
  const table = options.table ?? TYPICAL_TIMES;
  const nodes = [...graph.nodes.values()];
  const waits = { apply: waitsFor(graph, "apply"), destroy: waitsFor(graph, "destroy") };

  const run = (phase: Phase): Map<string, Interval> => {
    const waitsForNode = (node: GraphNode): ReadonlyArray<string> => waits[phase](node.address);
    const duration = (node: GraphNode): number =>
      phase === "apply"
        ? timesOf(node, table).createMinutes
        : destroyed(node)
          ? timesOf(node, table).destroyMinutes
          : 0;
    const done = new Map<string, Interval>();
    const running: { address: string; end: number; start: number }[] = [];
    const pending = new Set(nodes.map((node) => node.address).sort());
    let now = 0;
    while (pending.size > 0 || running.length > 0) {
      for (const address of [...pending]) {
        if (running.length >= parallelism) break;
        const node = graph.nodes.get(address) as GraphNode;
        if (waitsForNode(node).every((dep) => done.has(dep))) {
          pending.delete(address);
          running.push({ address, start: now, end: now + duration(node) });
        }
      }
      if (running.length === 0) {
        if (pending.size > 0) throw new Error(`${graph.stack}: dependency cycle among ${[...pending].join(", ")}`);
        break;
      }
      running.sort((a, b) => a.end - b.end || a.address.localeCompare(b.address));
      const next = running.shift() as { address: string; end: number; start: number };
      now = next.end;
      done.set(next.address, { start: next.start, end: next.end });
      // Everything else ending at the same moment is done too.
      while (running.length > 0 && running[0].end === now) {
        const same = running.shift() as { address: string; end: number; start: number };
        done.set(same.address, { start: same.start, end: same.end });
      }
    }
    if (phase === "destroy") for (const node of nodes) if (!destroyed(node)) done.delete(node.address);
    return done;
  };
  return { apply: run("apply"), destroy: run("destroy") };
}

/** The end of the last interval: how long a phase took, in modeled minutes. */
export function phaseLength(times: ReadonlyMap<string, Interval>): number {
  let last = 0;
  for (const interval of times.values()) last = Math.max(last, interval.end);
  return last;
}
