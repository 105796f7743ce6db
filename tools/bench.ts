import { projectRoot } from "./project-root";
import { fitLine, median, regressions, type Baseline, type Measurement } from "./bench/compare";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { dirname, join } from "node:path";

/**
 * Synthesis speed and memory, as users pay it: every scenario is a whole child process (Node start-up, module
 * loading, validation, synthesis, writing files), run N times after one warm-up. Wall time: median, min, max;
 * peak RSS of the process (a preloaded probe records `process.resourceUsage().maxRSS` on exit, no /usr/bin/time).
 *
 *   npm run bench                               the default scenarios, 10 runs each, Markdown table
 *   npm run bench -- --runs 20 --cli --runners  more runs; add `npx cdktf synth` and the tsx / plain-dist runners
 *   npm run bench -- --check                    fail (exit 1) if a median (wall or CPU) regressed >25% against bench/baseline.json
 *   npm run bench -- --write-baseline           record this run as bench/baseline.json
 */

interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly command: ReadonlyArray<string>;
  readonly env?: Record<string, string>;
  readonly environments: number;
  /** Child processes are node too (the CLI): preload the probe through NODE_OPTIONS instead of the command line. */
  readonly probeViaNodeOptions?: boolean;
}

const ROOT = projectRoot(__dirname);
const BASELINE_FILE = join(ROOT, "bench", "baseline.json");
const ENVIRONMENT_COUNTS = [1, 5, 10, 20];
/** Targets from the performance issue; printed beside the numbers. */
const TARGETS: Record<string, { seconds: number; rssMb?: number }> = {
  example: { seconds: 0.5, rssMb: 150 },
  "envs-20": { seconds: 3 },
};
/** One environment at a time: a config this large, all validated, only the environment named built. */
const SELECTION_ENVIRONMENTS = 200;
const SELECTION_ID = `one-of-${SELECTION_ENVIRONMENTS}`;

interface Options {
  readonly runs: number;
  readonly check: boolean;
  readonly writeBaseline: boolean;
  readonly cli: boolean;
  readonly runners: boolean;
  readonly only?: ReadonlyArray<string>;
}

function parseOptions(argv: ReadonlyArray<string>): Options {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const runs = Number(value("--runs") ?? 10);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs needs a whole number >= 1");
  return {
    runs,
    check: argv.includes("--check"),
    writeBaseline: argv.includes("--write-baseline"),
    cli: argv.includes("--cli"),
    runners: argv.includes("--runners"),
    only: value("--only")?.split(","),
  };
}

/** A config with `count` environments that differ the way real ones do: name, account, region, VPC and subnets, DNS. */
export function generatedConfig(count: number): unknown {
  const regions = ["eu-west-1", "us-east-1", "eu-central-1", "us-west-2", "ap-southeast-2"];
  const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
  const environments = Array.from({ length: count }, (_, index) => {
    const n = index + 1;
    const name = `env${String(n).padStart(2, "0")}`;
    const account = String(100000000000 + n * 7919);
    return {
      name,
      account,
      region: regions[index % regions.length],
      vpc: {
        id: `vpc-0a1b2c3d4e5f${hex(n, 5)}`,
        privateSubnetIds: [1, 2, 3].map((az) => `subnet-0a1b2c${hex(n, 5)}${hex(az, 6)}`),
        publicSubnetIds: [1, 2, 3].map((az) => `subnet-0a1b2c${hex(n, 5)}${hex(az + 16, 6)}`),
      },
      dns: { domain: `${name}.example.com`, hostedZoneId: `Z0123456789ABCDEF${hex(n, 4).toUpperCase()}` },
      cluster: { access: { terraformRoleArn: `arn:aws:iam::${account}:role/platform-terraform` } },
    };
  });
  return { defaults: { tags: { team: "platform" }, cluster: { kubernetesVersion: "1.35" } }, environments };
}

function scenarios(options: Options, work: string, probe: string): Scenario[] {
  const node = process.execPath;
  const list: Scenario[] = [
    {
      id: "example",
      title: "example config (npm run synth)",
      command: [node, "--require", probe, "scripts/app.js"],
      environments: 1,
    },
  ];
  for (const count of ENVIRONMENT_COUNTS) {
    const file = join(work, `envs-${count}.json`);
    writeFileSync(file, JSON.stringify(generatedConfig(count), null, 2));
    list.push({
      id: `envs-${count}`,
      title: `${count} environment${count === 1 ? "" : "s"} (generated)`,
      command: [node, "--require", probe, "scripts/app.js"],
      env: { PLATFORM_CONFIG: file },
      environments: count,
    });
  }
  // What `cdktf diff <one stack>` pays with a large config: the whole file validated, one environment built.
  const large = join(work, `envs-${SELECTION_ENVIRONMENTS}.json`);
  writeFileSync(large, JSON.stringify(generatedConfig(SELECTION_ENVIRONMENTS), null, 2));
  const selected = `env${String(SELECTION_ENVIRONMENTS / 2).padStart(2, "0")}`;
  list.push({
    id: SELECTION_ID,
    title: `${SELECTION_ENVIRONMENTS} environments (generated), PLATFORM_ENVIRONMENTS=${selected}`,
    command: [node, "--require", probe, "scripts/app.js"],
    env: { PLATFORM_CONFIG: large, PLATFORM_ENVIRONMENTS: selected },
    environments: 1,
  });
  if (options.runners) {
    list.push({
      id: "example-dist",
      title: "example, node dist/main.js directly",
      command: [node, "--require", probe, "dist/main.js"],
      environments: 1,
    });
    list.push({
      id: "example-tsx",
      title: "example, node --import tsx main.ts",
      command: [node, "--require", probe, "--import", "tsx", "main.ts"],
      environments: 1,
    });
  }
  if (options.cli) {
    list.push({
      id: "example-cli",
      title: "example, npx cdktf synth",
      command: ["npx", "cdktf", "synth"],
      environments: 1,
      probeViaNodeOptions: true,
    });
  }
  return options.only ? list.filter((scenario) => options.only!.includes(scenario.id)) : list;
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

function measure(scenario: Scenario, runs: number, work: string, probe: string): Measurement {
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

function table(measurements: ReadonlyArray<Measurement>): string {
  const s = (value: number) => value.toFixed(2);
  const rows = measurements.map((m) => {
    const target = TARGETS[m.id];
    const verdict = target
      ? m.medianSeconds <= target.seconds && (!target.rssMb || m.peakRssMb <= target.rssMb)
        ? `✓ ≤ ${target.seconds} s${target.rssMb ? `, ≤ ${target.rssMb} MB` : ""}`
        : `✗ > ${target.seconds} s${target.rssMb ? ` or > ${target.rssMb} MB` : ""}`
      : "";
    return `| ${m.title} | ${m.stacks} | ${m.runs} | ${s(m.medianSeconds)} | ${s(m.minSeconds)} – ${s(m.maxSeconds)} | ${s(m.cpuSeconds)} | ${Math.round(m.peakRssMb)} | ${verdict} |`;
  });
  return [
    "| scenario | stacks | runs | median s | min – max s | CPU s (median) | peak RSS MB | target |",
    "|---|---:|---:|---:|---:|---:|---:|---|",
    ...rows,
  ].join("\n");
}

/** The selection scenario against a config with that one environment only: what the other 199 still cost. */
function selectionLine(measurements: ReadonlyArray<Measurement>): string | undefined {
  const one = measurements.find((m) => m.id === "envs-1");
  const selected = measurements.find((m) => m.id === SELECTION_ID);
  if (!one || !selected) return undefined;
  const extra = (selected.medianSeconds / one.medianSeconds - 1) * 100;
  return `One environment of ${SELECTION_ENVIRONMENTS}: ${selected.medianSeconds.toFixed(2)} s, ${Math.round(selected.peakRssMb)} MB, against ${one.medianSeconds.toFixed(2)} s, ${Math.round(one.peakRssMb)} MB for a one-environment config (${extra >= 0 ? "+" : ""}${extra.toFixed(0)}%: validating the other ${SELECTION_ENVIRONMENTS - 1}).`;
}

function slopeLine(measurements: ReadonlyArray<Measurement>): string | undefined {
  const points = measurements
    .filter((m) => m.id.startsWith("envs-"))
    .map((m) => [Number(m.id.slice(5)), m.medianSeconds] as const);
  if (points.length < 2) return undefined;
  const { slope, intercept } = fitLine(points);
  const steps = points
    .slice(1)
    .map(([x, y], i) => `${points[i][0]}→${x}: ${((y - points[i][1]) / (x - points[i][0])).toFixed(3)} s/env`);
  return `Per environment: ${slope.toFixed(3)} s (least squares over ${points.map(([x]) => x).join(", ")} environments; fixed cost ${intercept.toFixed(2)} s). Step by step: ${steps.join(", ")}.`;
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), "platform-bench-"));
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
  try {
    const list = scenarios(options, work, probe);
    process.stderr.write(
      `machine: ${cpus().length} cores, ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}; ${options.runs} runs per scenario after a warm-up\n`,
    );
    const measurements: Measurement[] = [];
    for (const scenario of list) {
      process.stderr.write(`  ${scenario.title} ...\n`);
      measurements.push(measure(scenario, options.runs, work, probe));
    }
    process.stdout.write(`${table(measurements)}\n`);
    const slope = slopeLine(measurements);
    if (slope) process.stdout.write(`\n${slope}\n`);
    const selection = selectionLine(measurements);
    if (selection) process.stdout.write(`\n${selection}\n`);

    if (options.writeBaseline) {
      const baseline: Baseline = {
        machine: `${cpus().length} cores, ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`,
        recorded: new Date().toISOString().slice(0, 10),
        runs: options.runs,
        scenarios: Object.fromEntries(
          measurements.map((m) => [
            m.id,
            {
              medianSeconds: Number(m.medianSeconds.toFixed(3)),
              cpuSeconds: Number(m.cpuSeconds.toFixed(3)),
              peakRssMb: Math.round(m.peakRssMb),
            },
          ]),
        ),
      };
      mkdirSync(dirname(BASELINE_FILE), { recursive: true });
      writeFileSync(BASELINE_FILE, `${JSON.stringify(baseline, null, 2)}\n`);
      process.stdout.write(`\nwrote ${BASELINE_FILE}\n`);
    }
    if (options.check) {
      const baseline = JSON.parse(readFileSync(BASELINE_FILE, "utf8")) as Baseline;
      let failed = regressions(measurements, baseline);
      if (failed.length > 0) {
        // A busy machine makes one round slow; a real regression is slow twice.
        process.stderr.write(`slower than the baseline, measuring again to confirm:\n  ${failed.join("\n  ")}\n`);
        const again = list
          .filter((scenario) => failed.some((line) => line.startsWith(scenario.title)))
          .map((scenario) => measure(scenario, options.runs, work, probe));
        failed = regressions(again, baseline);
      }
      if (failed.length > 0) {
        process.stderr.write(
          `\nsynthesis regressed more than 25% against bench/baseline.json (${baseline.machine}, ${baseline.recorded}):\n  ${failed.join("\n  ")}\n`,
        );
        process.exitCode = 1;
      } else {
        process.stdout.write(`\nno median more than 25% above bench/baseline.json (${baseline.recorded})\n`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module || process.argv[1] === __filename) main();
