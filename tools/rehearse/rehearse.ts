import type { StackJson } from "../../modules/terraform-json";
import { checkRehearsal, findingKey, TOKEN_LIFETIME_MINUTES, tokenUses, type Finding, type Rehearsal } from "./checks";
import { buildGraph, type StackGraph } from "./graph";
import { withoutOverhead } from "./overhead";
import { runRehearsal, type RunResult } from "./run";
import { phaseLength, scheduleGraph, TERRAFORM_PARALLELISM, type PhaseTimes } from "./schedule";
import { environmentOffsets, stackNotes, toRecord, type RehearsalReport, type StackResult } from "./timeline";
import type { TypicalTime } from "./times";

/** Rehearses stacks: builds each graph, runs its stand-in (or computes its schedule), checks it, reports. */

export interface RehearseOptions {
  /** Real seconds per modeled minute. */
  readonly scale: number;
  /** Compute the schedule instead of running Terraform. */
  readonly simulate?: boolean;
  /** Stacks rehearsed at once (each is its own Terraform process). */
  readonly jobs?: number;
  /** Terraform's -parallelism; undefined keeps its default (10). */
  readonly parallelism?: number;
  readonly terraform?: string;
  readonly table?: ReadonlyArray<TypicalTime>;
  readonly keep?: boolean;
  /** Called as each stack's run ends (progress on stderr). */
  readonly progress?: (stack: string, seconds: number) => void;
}

export interface RehearsalInput {
  readonly name: string;
  readonly json: StackJson;
  readonly dependencies: ReadonlyArray<string>;
}

/** Runs `work` over `items` with at most `limit` at once, results in input order. */
async function pool<T, R>(items: ReadonlyArray<T>, limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * The real run's findings and the computed schedule's, each marked with where it shows. With `confirmed` (the
 * findings of the real run's timeline without Terraform's per-node overhead, overhead.ts), a time limit broken only
 * in the real run (TOKEN_LIFETIME seen in neither the schedule nor `confirmed`) is left out: it broke on the
 * machine's load, not on the order of the blocks. Ordering rules are kept as they ran.
 */
export function mergeFindings(
  real: ReadonlyArray<Finding>,
  computed: ReadonlyArray<Finding>,
  confirmed?: ReadonlyArray<Finding>,
): Finding[] {
  const inSchedule = new Set(computed.map(findingKey));
  const withoutOverhead = confirmed && new Set(confirmed.map(findingKey));
  const kept = real.filter(
    (finding) =>
      !withoutOverhead ||
      finding.rule !== "TOKEN_LIFETIME" ||
      inSchedule.has(findingKey(finding)) ||
      withoutOverhead.has(findingKey(finding)),
  );
  const inTerraform = new Set(real.map(findingKey));
  return [
    ...kept.map((finding): Finding => ({
      ...finding,
      seenIn: inSchedule.has(findingKey(finding)) ? ["terraform", "schedule"] : ["terraform"],
    })),
    ...computed
      .filter((finding) => !inTerraform.has(findingKey(finding)))
      .map((finding): Finding => ({ ...finding, seenIn: ["schedule"] })),
  ];
}

/** The real run's timelines without Terraform's per-node overhead (overhead.ts), in modeled minutes. */
function withoutOverheadOf(graph: StackGraph, run: RunResult, scale: number): Rehearsal {
  const minutes = run.overheadMs / 1000 / scale;
  return {
    graph,
    apply: withoutOverhead(graph, run.apply, "apply", minutes),
    destroy: withoutOverhead(graph, run.destroy, "destroy", minutes),
  };
}

/**
 * A stack's findings and notes. A real run is judged on its timeline, on the computed schedule and, for time
 * limits only it breaks, on its timeline without Terraform's per-node overhead (mergeFindings); a finding that
 * leaves the report that way is named in a note, so the reader sees what the load did.
 */
export function judged(
  graph: StackGraph,
  run: PhaseTimes | RunResult,
  options: RehearseOptions,
): { notes: string[]; findings: Finding[] } {
  const notes = [...stackNotes(graph), ...headroomNotes({ graph, apply: run.apply, destroy: run.destroy })];
  const asRun = checkRehearsal({ graph, apply: run.apply, destroy: run.destroy });
  if (!("wallSeconds" in run)) return { notes, findings: asRun };
  const findings = mergeFindings(
    asRun,
    checkRehearsal({ graph, ...scheduleGraph(graph, { parallelism: options.parallelism, table: options.table }) }),
    checkRehearsal(withoutOverheadOf(graph, run, options.scale)),
  );
  const reported = new Set(findings.map(findingKey));
  for (const finding of asRun.filter((candidate) => !reported.has(findingKey(candidate))))
    notes.push(
      `load: ${finding.rule} ${finding.phase} ${finding.addresses[0]} showed only with Terraform's per-node overhead of this run (~${Math.round(run.overheadMs)} ms per node); without it, and in the computed schedule, the limit holds`,
    );
  return { notes, findings };
}

/** How long each token was needed at apply, against its lifetime. */
function headroomNotes(r: Rehearsal): string[] {
  return tokenUses(r, "apply").map(
    (use) =>
      `${use.token}: opened at minute ${use.opened.toFixed(1)}, cluster calls ${use.firstCall.toFixed(1)}-${use.lastEnd.toFixed(1)}: needed ${(use.lastEnd - use.opened).toFixed(1)} of its ${TOKEN_LIFETIME_MINUTES} min`,
  );
}

export async function rehearse(
  stacks: ReadonlyArray<RehearsalInput>,
  options: RehearseOptions,
): Promise<{ report: RehearsalReport; graphs: Map<string, StackGraph> }> {
  const started = Date.now();
  const graphs = new Map(stacks.map((stack) => [stack.name, buildGraph(stack.name, stack.json)]));
  const runs = await pool(stacks, options.jobs ?? 2, async (stack): Promise<PhaseTimes | RunResult> => {
    const graph = graphs.get(stack.name) as StackGraph;
    if (options.simulate) return scheduleGraph(graph, { parallelism: options.parallelism, table: options.table });
    const result = await runRehearsal(graph, options);
    options.progress?.(stack.name, result.wallSeconds.total);
    return result;
  });
  const partial = stacks.map((stack, index) => ({
    stack: stack.name,
    dependencies: stack.dependencies,
    run: runs[index],
    applyMinutes: phaseLength(runs[index].apply),
    destroyMinutes: phaseLength(runs[index].destroy),
  }));
  const offsets = environmentOffsets(partial);
  const results: StackResult[] = partial.map(({ stack, dependencies, run, applyMinutes, destroyMinutes }) => {
    const graph = graphs.get(stack) as StackGraph;
    const real = "wallSeconds" in run ? run : undefined;
    return {
      stack,
      dependencies,
      source: real ? "terraform" : "schedule",
      apply: toRecord(run.apply),
      destroy: toRecord(run.destroy),
      applyMinutes,
      destroyMinutes,
      offsets: offsets.get(stack) ?? { apply: 0, destroy: 0 },
      ...(real ? { wallSeconds: real.wallSeconds, overheadMs: real.overheadMs } : {}),
      ...judged(graph, run, options),
    };
  });
  return {
    report: {
      scale: options.scale,
      parallelism: options.parallelism ?? TERRAFORM_PARALLELISM,
      wallSeconds: (Date.now() - started) / 1000,
      stacks: results,
      findings: results.flatMap((result) => result.findings),
    },
    graphs,
  };
}
