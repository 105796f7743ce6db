import { projectRoot } from "./project-root";
import { regressions, type Baseline, type Measurement } from "./bench/compare";
import { measure, writeProbe } from "./bench/measure";
import { selectionLine, slopeLine, table } from "./bench/report";
import { scenarios, type ScenarioChoice } from "./bench/scenarios";
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
 *
 * The parts, in tools/bench/: scenarios.ts (what runs), measure.ts (running and the probe), report.ts (what is
 * printed), compare.ts (the arithmetic and the baseline comparison).
 */

const ROOT = projectRoot(__dirname);
const BASELINE_FILE = join(ROOT, "bench", "baseline.json");

/** The command line: `--runs N`, `--check`, `--write-baseline`, and which scenarios. */
interface Options extends ScenarioChoice {
  readonly runs: number;
  readonly check: boolean;
  readonly writeBaseline: boolean;
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

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), "platform-bench-"));
  const probe = writeProbe(work);
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
