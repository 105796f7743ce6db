/**
 * Validates synthesized stacks against upstream contracts, offline:
 *
 *   npm run validate -- --reference ../shared/reference [--out cdktf.out] [--provider-schema schema.json ...] [--quiet]
 *
 * One line per finding (`<stack> <address>: <problem>`), then a summary; exit 1 on any error, 2 on bad usage
 * or an unreadable input. `--provider-schema` adds `terraform providers schema -json` output (it includes the
 * provider configuration schemas the reference files lack). `--quiet` hides skipped checks.
 */
import { performance } from "node:perf_hooks";
import { formatFinding, loadReference, loadStacks, summaryLine, validateStacks } from "./index";

interface Arguments {
  readonly reference: string;
  readonly out: string;
  readonly providerSchemas: string[];
  readonly quiet: boolean;
}

const USAGE = "usage: npm run validate -- --reference <dir> [--out cdktf.out] [--provider-schema <file>]... [--quiet]";

function parseArguments(argv: ReadonlyArray<string>): Arguments {
  let reference: string | undefined;
  let out = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const providerSchemas: string[] = [];
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    if (flag === "--reference") reference = value();
    else if (flag === "--out") out = value();
    else if (flag === "--provider-schema") providerSchemas.push(value());
    else if (flag === "--quiet") quiet = true;
    else if (flag === "--help" || flag === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  if (!reference) throw new Error(`--reference is required\n${USAGE}`);
  return { reference, out, providerSchemas, quiet };
}

async function main(): Promise<number> {
  const started = performance.now();
  const args = parseArguments(process.argv.slice(2));
  const reference = loadReference(args.reference, { providerSchemaFiles: args.providerSchemas });
  const stacks = await loadStacks(args.out);
  if (stacks.length === 0) throw new Error(`No stacks under ${args.out}/stacks: run \`npm run synth\` first.`);
  const findings = validateStacks(stacks, reference);
  for (const finding of findings) {
    if (args.quiet && finding.severity === "skipped") continue;
    console.log(formatFinding(finding));
  }
  console.log(summaryLine(findings, stacks.length, performance.now() - started));
  return findings.some((finding) => finding.severity === "error") ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`validate: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
