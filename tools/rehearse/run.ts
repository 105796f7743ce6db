import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StackGraph } from "./graph";
import type { Interval, Phase, PhaseTimes } from "./schedule";
import { buildStandIn } from "./stand-in";
import type { TypicalTime } from "./times";

/**
 * Runs a stand-in configuration (stand-in.ts) through the real Terraform CLI: `terraform init`, `terraform
 * apply -auto-approve`, `terraform destroy -auto-approve`, at Terraform's default parallelism unless told
 * otherwise, in a fresh temporary directory with local state. The provisioners' log gives each node's start
 * and end; times are converted to modeled minutes from the first start of the phase.
 */

export interface RunOptions {
  /** Real seconds per modeled minute. */
  readonly scale: number;
  /** The Terraform binary (default `terraform` on PATH). */
  readonly terraform?: string;
  /** `-parallelism=<n>`; undefined keeps Terraform's default (10). */
  readonly parallelism?: number;
  readonly table?: ReadonlyArray<TypicalTime>;
  /** Keep the temporary directory (its path is in the result). */
  readonly keep?: boolean;
}

export interface RunResult extends PhaseTimes {
  /** Wall seconds per step and in total. */
  readonly wallSeconds: {
    readonly init: number;
    readonly apply: number;
    readonly destroy: number;
    readonly total: number;
  };
  /**
   * Median wall milliseconds between a node's last dependency ending and the node starting at apply: Terraform's
   * own cost per node, which the timeline includes (it plays the part of the seconds a real API call costs).
   */
  readonly overheadMs: number;
  readonly workDir: string;
}

interface Command {
  readonly status: number | null;
  readonly output: string;
  readonly seconds: number;
}

function runCommand(binary: string, args: ReadonlyArray<string>, cwd: string): Promise<Command> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(binary, args, {
      cwd,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", (error) =>
      resolve({ status: null, output: `${output}${error.message}`, seconds: (Date.now() - started) / 1000 }),
    );
    child.on("close", (status) => resolve({ status, output, seconds: (Date.now() - started) / 1000 }));
  });
}

interface LogEdge {
  readonly phase: Phase;
  readonly address: string;
  readonly edge: "start" | "end";
  readonly ms: number;
}

export function parseLogLines(text: string): LogEdge[] {
  return text
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length === 4 && (parts[0] === "apply" || parts[0] === "destroy"))
    .filter((parts) => (parts[2] === "start" || parts[2] === "end") && /^\d+$/.test(parts[3]))
    .map(([phase, address, edge, ms]) => ({
      phase: phase as Phase,
      address,
      edge: edge as "start" | "end",
      ms: Number(ms),
    }));
}

/** Log lines -> per phase, address -> interval in modeled minutes from the phase's first start. */
export function parseLog(text: string, scale: number): PhaseTimes {
  const edges = parseLogLines(text);
  const phase = (name: Phase): Map<string, Interval> => {
    const mine = edges.filter((edge) => edge.phase === name);
    const t0 = Math.min(...mine.filter((edge) => edge.edge === "start").map((edge) => edge.ms));
    const toMinutes = (ms: number): number => (ms - t0) / 1000 / scale;
    const starts = new Map(mine.filter((e) => e.edge === "start").map((e) => [e.address, e.ms]));
    const out = new Map<string, Interval>();
    for (const edge of mine)
      if (edge.edge === "end" && starts.has(edge.address))
        out.set(edge.address, { start: toMinutes(starts.get(edge.address) as number), end: toMinutes(edge.ms) });
    return out;
  };
  return { apply: phase("apply"), destroy: phase("destroy") };
}

function medianGapMs(graph: StackGraph, apply: ReadonlyMap<string, Interval>, scale: number): number {
  const gaps: number[] = [];
  for (const node of graph.nodes.values()) {
    const own = apply.get(node.address);
    const ends = node.deps.map((dep) => apply.get(dep)?.end).filter((end): end is number => end !== undefined);
    if (own && ends.length > 0) gaps.push((own.start - Math.max(...ends)) * scale * 1000);
  }
  gaps.sort((a, b) => a - b);
  return gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)] : 0;
}

/** Rehearses one stack's graph with the real Terraform CLI (see the file comment). */
export async function runRehearsal(graph: StackGraph, options: RunOptions): Promise<RunResult> {
  const workDir = mkdtempSync(join(tmpdir(), `rehearse-${graph.stack.replace(/[^\w-]/g, "_")}-`));
  const logFile = join(workDir, "times.log");
  const terraform = options.terraform ?? "terraform";
  const parallelism = options.parallelism !== undefined ? [`-parallelism=${options.parallelism}`] : [];
  const standIn = buildStandIn(graph, { scale: options.scale, logFile, table: options.table });
  writeFileSync(join(workDir, "main.tf.json"), `${JSON.stringify(standIn.config, null, 2)}\n`);
  writeFileSync(logFile, "");
  const step = async (args: string[]): Promise<Command> => {
    const result = await runCommand(terraform, [...args, "-input=false", "-no-color"], workDir);
    if (result.status !== 0)
      throw new Error(`${graph.stack}: terraform ${args[0]} failed in ${workDir}:\n${result.output.trim()}`);
    return result;
  };
  const init = await step(["init"]);
  const apply = await step(["apply", "-auto-approve", ...parallelism]);
  const destroy = await step(["destroy", "-auto-approve", ...parallelism]);
  const times = parseLog(readFileSync(logFile, "utf8"), options.scale);
  if (!options.keep) rmSync(workDir, { recursive: true, force: true });
  return {
    ...times,
    wallSeconds: {
      init: init.seconds,
      apply: apply.seconds,
      destroy: destroy.seconds,
      total: init.seconds + apply.seconds + destroy.seconds,
    },
    overheadMs: medianGapMs(graph, times.apply, options.scale),
    workDir,
  };
}
