/**
 * The rehearse command. `npm run rehearse -- [--out cdktf.out | --config config/example.yaml] [--scale 0.25] [--json] ...`:
 * rehearses the synthesized stacks with stand-in `terraform_data` resources (a real `terraform apply` and
 * `terraform destroy` per stack, no provider, no credentials), prints each stack's timeline in modeled minutes
 * and what the rules find (docs/rehearsal.md). Exit 0: no finding; 1: findings; 2: bad usage or a failed run.
 */
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { projectRoot } from "../project-root";
import { loadRehearsalStacks, synthesize } from "./load";
import { rehearse } from "./rehearse";
import { renderReport } from "./timeline";

export const REHEARSE_USAGE = `usage: npm run rehearse -- [--out <cdktf.out> | --config <platform.yaml>] [options]

  --out <dir>          synthesized output to rehearse (default $CDKTF_OUTDIR or cdktf.out)
  --config <file>      synthesize this platform config into a temporary directory first
  --stack <name>       only this stack (repeatable)
  --scale <seconds>    real seconds per modeled minute (default 0.25)
  --jobs <n>           stacks rehearsed at once (default 2)
  --parallelism <n>    terraform -parallelism (default: Terraform's own, 10)
  --simulate           compute the schedule instead of running terraform (no timing noise, instant)
  --terraform <path>   the terraform binary (default terraform on PATH)
  --keep               keep the stand-in working directories
  --json               print the result as JSON instead of text
`;

export const DEFAULT_SCALE = 0.25;

interface Arguments {
  out?: string;
  config?: string;
  stacks: string[];
  scale: number;
  jobs: number;
  parallelism?: number;
  simulate: boolean;
  terraform?: string;
  keep: boolean;
  json: boolean;
}

class UsageError extends Error {}

function parseArguments(argv: ReadonlyArray<string>): Arguments | "help" {
  const args: Arguments = { stacks: [], scale: DEFAULT_SCALE, jobs: 2, simulate: false, keep: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    const positive = (text: string): number => {
      const number = Number(text);
      if (!(number > 0)) throw new UsageError(`${flag} needs a positive number, not ${text}`);
      return number;
    };
    if (flag === "--out") args.out = value();
    else if (flag === "--config") args.config = value();
    else if (flag === "--stack") args.stacks.push(value());
    else if (flag === "--scale") args.scale = positive(value());
    else if (flag === "--jobs") args.jobs = Math.floor(positive(value()));
    else if (flag === "--parallelism") args.parallelism = Math.floor(positive(value()));
    else if (flag === "--simulate") args.simulate = true;
    else if (flag === "--terraform") args.terraform = value();
    else if (flag === "--keep") args.keep = true;
    else if (flag === "--json") args.json = true;
    else if (flag === "--help" || flag === "-h") return "help";
    else throw new UsageError(`unknown argument ${argv[i]}`);
  }
  if (args.out && args.config) throw new UsageError("give --out or --config, not both");
  return args;
}

export async function runRehearseCommand(argv: ReadonlyArray<string>): Promise<number> {
  let args: Arguments | "help";
  try {
    args = parseArguments(argv);
  } catch (error) {
    process.stderr.write(`rehearse: ${error instanceof Error ? error.message : String(error)}\n${REHEARSE_USAGE}`);
    return 2;
  }
  if (args === "help") {
    process.stdout.write(REHEARSE_USAGE);
    return 0;
  }
  let synthesized: string | undefined;
  try {
    if (args.config) synthesized = synthesize(projectRoot(__dirname), args.config);
    const outDir = synthesized ?? args.out ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
    let stacks = await loadRehearsalStacks(outDir);
    if (args.stacks.length > 0) {
      const unknown = args.stacks.filter((name) => !stacks.some((stack) => stack.name === name));
      if (unknown.length > 0) throw new Error(`no stack ${unknown.join(", ")} in ${outDir}`);
      stacks = stacks.filter((stack) => args.stacks.includes(stack.name));
    }
    if (stacks.length === 0) throw new Error(`no stacks in ${outDir}`);
    const { report, graphs } = await rehearse(stacks, {
      scale: args.scale,
      simulate: args.simulate,
      jobs: args.jobs,
      parallelism: args.parallelism,
      terraform: args.terraform,
      keep: args.keep,
      progress: (stack, seconds) => process.stderr.write(`rehearsed ${stack} in ${seconds.toFixed(1)} s\n`),
    });
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, graphs));
    return report.findings.length > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`rehearse: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    // The temporary synthesis (its parent directory is the one synthesize() created).
    if (synthesized && !args.keep) rmSync(dirname(synthesized), { recursive: true, force: true });
  }
}
