import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../project-root";
import { median, type Measurement } from "./compare";
import type { Scenario } from "./scenarios";

/**
 * Running a scenario and measuring it: wall time around the child process, and peak RSS and CPU time from a
 * preloaded probe that every node process of the run appends `process.resourceUsage()` to on exit.
 */

const ROOT = projectRoot(__dirname);

/** Writes the probe into `work`; its path, for `--require` (or NODE_OPTIONS). */
export function writeProbe(work: string): string {
  const probe = join(work, "probe.cjs");
  writeFileSync(
    probe,
    [
      "process.on('exit', () => {",
      "  const usage = process.resourceUsage();",
      "  require('fs').appendFileSync(process.env.BENCH_PROBE_OUT, JSON.stringify({ pid: process.pid, maxRssKb: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime }) + '\\n');",
      "});",
    ].join("\n"),
  );
  return probe;
}

interface RunResult {
  readonly seconds: number;
  readonly rssMb: number;
  readonly cpuSeconds: number;
  readonly stacks: number;
}

function runOnce(scenario: Scenario, work: string, probe: string): RunResult {
  const outdir = join(work, `out-${scenario.id}`);
  const probeOut = join(work, `probe-${scenario.id}.jsonl`);
  rmSync(outdir, { recursive: true, force: true });
  rmSync(probeOut, { force: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...scenario.env,
    CDKTF_OUTDIR: outdir,
    BENCH_PROBE_OUT: probeOut,
    CHECKPOINT_DISABLE: "1",
    PLATFORM_APP_NO_REBUILD: "1",
  };
  if (scenario.probeViaNodeOptions) env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --require ${probe}`.trim();
  const args = scenario.probeViaNodeOptions ? [...scenario.command, "--output", outdir] : scenario.command;
  const started = performance.now();
  const result = spawnSync(args[0], args.slice(1), { cwd: ROOT, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0)
    throw new Error(`${scenario.title} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  const samples = readFileSync(probeOut, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { maxRssKb: number; cpuMicros: number });
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, unknown>;
  };
  return {
    seconds,
    rssMb: Math.max(...samples.map((sample) => sample.maxRssKb)) / 1024,
    cpuSeconds: samples.reduce((sum, sample) => sum + sample.cpuMicros, 0) / 1e6,
    stacks: Object.keys(manifest.stacks).length,
  };
}

/** One warm-up run (checking the stack count), then `runs` measured runs: median, min and max wall time, peak RSS, CPU. */
export function measure(scenario: Scenario, runs: number, work: string, probe: string): Measurement {
  const warmUp = runOnce(scenario, work, probe);
  const expected = scenario.environments * 4;
  if (warmUp.stacks !== expected)
    throw new Error(`${scenario.title}: expected ${expected} stacks, got ${warmUp.stacks}`);
  const results = Array.from({ length: runs }, () => runOnce(scenario, work, probe));
  const seconds = results.map((result) => result.seconds);
  return {
    id: scenario.id,
    title: scenario.title,
    stacks: warmUp.stacks,
    runs,
    medianSeconds: median(seconds),
    minSeconds: Math.min(...seconds),
    maxSeconds: Math.max(...seconds),
    peakRssMb: median(results.map((result) => result.rssMb)),
    cpuSeconds: median(results.map((result) => result.cpuSeconds)),
  };
}
