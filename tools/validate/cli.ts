/**
 * The validate command (`npm run validate --`, and `platform validate` of the installed package): checks
 * synthesized stacks against upstream contracts, offline.
 *
 *   <command> --reference <dir> [--out cdktf.out] [--provider-schema schema.json ...] [--quiet]
 *
 * One line per finding (`<stack> <address>: <problem>`), then a summary; exit 1 on any error, 2 on bad usage
 * or an unreadable input. `--provider-schema` adds `terraform providers schema -json` output (it includes the
 * provider configuration schemas the reference files lack). `--quiet` hides skipped checks. For `cdktf synth
 * --hcl` output, the nesting of every key is checked too (hcl-nesting.ts).
 */
import { performance } from "node:perf_hooks";
import { validateHclNesting } from "./hcl-nesting";
import { formatFinding, loadReference, loadStacks, summaryLine, validateStacks } from "./index";
import { sortFindings } from "./report";

export interface ValidateCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How the usage line names the command: `npm run validate --` or `platform validate`. */
  readonly command: string;
}

interface Arguments {
  readonly reference: string;
  readonly out: string;
  readonly providerSchemas: string[];
  readonly quiet: boolean;
}

export function validateUsage(command: string): string {
  return `usage: ${command} --reference <dir> [--out cdktf.out] [--provider-schema <file>]... [--quiet]`;
}

/** `undefined` after printing the usage (--help). */
function parseArguments(argv: ReadonlyArray<string>, io: ValidateCommandIo): Arguments | undefined {
  const usage = validateUsage(io.command);
  let reference: string | undefined;
  let out = io.env.CDKTF_OUTDIR ?? "cdktf.out";
  const providerSchemas: string[] = [];
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value\n${usage}`);
      return next;
    };
    if (flag === "--reference") reference = value();
    else if (flag === "--out") out = value();
    else if (flag === "--provider-schema") providerSchemas.push(value());
    else if (flag === "--quiet") quiet = true;
    else if (flag === "--help" || flag === "-h") {
      io.stdout(`${usage}\n`);
      return undefined;
    } else throw new Error(`unknown argument ${argv[i]}\n${usage}`);
  }
  if (!reference)
    throw new Error(
      `--reference is required (a directory laid out like ../shared/reference; see the README's Validation section)\n${usage}`,
    );
  return { reference, out, providerSchemas, quiet };
}

/** Returns the exit code: 0 passed, 1 errors found, 2 bad usage or an unreadable input. */
export async function runValidateCommand(argv: ReadonlyArray<string>, io: ValidateCommandIo): Promise<number> {
  try {
    const started = performance.now();
    const args = parseArguments(argv, io);
    if (!args) return 0;
    const reference = loadReference(args.reference, { providerSchemaFiles: args.providerSchemas });
    // JSON stacks, or the .tf files of `cdktf synth --hcl` (hcl-stacks.ts).
    const stacks = await loadStacks(args.out);
    if (stacks.length === 0) throw new Error(`No stacks under ${args.out}/stacks: run \`npm run synth\` first.`);
    // HCL output also gets the check JSON cannot express: nested attributes and blocks written as such.
    const findings = sortFindings([
      ...validateStacks(stacks, reference),
      ...validateHclNesting(args.out, reference.providerSchemas),
    ]);
    for (const finding of findings) {
      if (args.quiet && finding.severity === "skipped") continue;
      io.stdout(`${formatFinding(finding)}\n`);
    }
    io.stdout(`${summaryLine(findings, stacks.length, performance.now() - started)}\n`);
    return findings.some((finding) => finding.severity === "error") ? 1 : 0;
  } catch (error) {
    io.stderr(`validate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
