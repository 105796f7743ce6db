import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { AL2023_AMI_RELEASES } from "../index";
import { PINS, SUPPORTED_KUBERNETES_VERSIONS, UNVERIFIED } from "../index";
import {
  AddonVersionsInputError,
  indexAddonVersions,
  parseAddonVersions,
  type DescribeAddonVersions,
} from "./pins/addon-versions";
import { AmiReferenceError, checkAmiTable, parseAmiReference } from "./pins/ami-table";
import { checkPins, formatMismatch, proposePins, type AddonPins } from "./pins/check";
import {
  VersionsFileError,
  diffLines,
  parseVersionsFile,
  rewriteVersionsFile,
  type FilePin,
} from "./pins/versions-file";

/**
 * Checks the EKS add-on pins (PINS[addon].eksAddon in modules/versions.ts) against what EKS lists as compatible
 * per Kubernetes version, and moves them with --write. `npm run pins`, later `platform pins`.
 *
 *   npm run pins -- --addon-versions out.json [--addon-versions more.json ...]   check against saved output
 *   npm run pins                                                                run the AWS CLI, then check
 *   npm run pins -- --addon-versions out.json --write [--versions-file copy.ts]  newest compatible build per minor
 *   npm run pins -- --check-ami-table ../shared/reference/eks-ami-releases-al2023.json   (CI)
 *
 * Exit 0: everything holds (one summary line). 1: one line per mismatch. 2: bad arguments or input.
 */

export const PINS_USAGE = `usage: npm run pins -- [--addon-versions <file>]... [--write] [--versions-file <path>]
       npm run pins -- --check-ami-table <eks-ami-releases-al2023.json>

  --addon-versions <file>   output of \`aws eks describe-addon-versions --output json\` (repeatable; merged).
                            Without it the AWS CLI is run, once per EKS add-on the platform pins.
  --write                   rewrite the eksAddon pins: per Kubernetes version, the newest build EKS lists
  --versions-file <path>    the versions file to check or rewrite (default modules/versions.ts)
  --check-ami-table <file>  compare modules/ami-releases.ts with the parsed amazon-eks-ami changelog
`;

export interface SpawnResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: NodeJS.ErrnoException;
}

export interface PinsCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Runs a command (the AWS CLI); spawnSync by default. */
  readonly spawn?: (command: string, args: ReadonlyArray<string>) => SpawnResult;
  /** Today, for the `source` of rewritten pins. */
  readonly now?: Date;
}

/** Compiled, this file is dist/tools/pins.js; from source (jest) it is tools/pins.ts. */
const PROJECT_ROOT = basename(dirname(__dirname)) === "dist" ? join(__dirname, "..", "..") : join(__dirname, "..");
export const DEFAULT_VERSIONS_FILE = join(PROJECT_ROOT, "modules", "versions.ts");

class UsageError extends Error {}

interface Arguments {
  readonly addonVersions: string[];
  readonly write: boolean;
  readonly versionsFile?: string;
  readonly amiReference?: string;
}

function parseArguments(argv: ReadonlyArray<string>): Arguments | "help" {
  const addonVersions: string[] = [];
  let write = false;
  let versionsFile: string | undefined;
  let amiReference: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === "--addon-versions") addonVersions.push(value());
    else if (flag === "--write") write = true;
    else if (flag === "--versions-file") versionsFile = value();
    else if (flag === "--check-ami-table") amiReference = value();
    else if (flag === "--help" || flag === "-h") return "help";
    else throw new UsageError(`unknown argument ${argv[i]}`);
  }
  if (amiReference !== undefined && (write || addonVersions.length || versionsFile))
    throw new UsageError("--check-ami-table takes no other options");
  return { addonVersions, write, versionsFile, amiReference };
}

/** The EKS add-on pins the platform imports, for when there is no versions file to read (an installed package). */
function pinsFromModule(): AddonPins[] {
  return Object.entries(PINS).flatMap(([addon, deliveries]) => {
    const eksAddon = (deliveries as { eksAddon?: ReadonlyArray<FilePin> }).eksAddon;
    return eksAddon
      ? [
          {
            addon,
            pins: eksAddon.map((pin) => ({
              version: pin.version,
              kubernetes: [...pin.kubernetes],
              source: pin.source,
            })),
          },
        ]
      : [];
  });
}

function runAwsCli(addons: ReadonlyArray<string>, spawn: NonNullable<PinsCommandIo["spawn"]>): DescribeAddonVersions[] {
  return addons.map((addon) => {
    const args = ["eks", "describe-addon-versions", "--addon-name", addon, "--output", "json"];
    const result = spawn("aws", args);
    if (result.error?.code === "ENOENT")
      throw new AddonVersionsInputError(
        "the AWS CLI (`aws`) is not installed or not on PATH: install it, or pass the saved output of `aws eks describe-addon-versions --output json` with --addon-versions <file>",
      );
    if (result.error)
      throw new AddonVersionsInputError(`could not run \`aws ${args.join(" ")}\`: ${result.error.message}`);
    if (result.status !== 0)
      throw new AddonVersionsInputError(
        `\`aws ${args.join(" ")}\` failed (exit ${result.status}): ${result.stderr.trim() || "no message"}`,
      );
    return parseAddonVersions(result.stdout, `the output of \`aws ${args.join(" ")}\``);
  });
}

const defaultSpawn = (command: string, args: ReadonlyArray<string>): SpawnResult => {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return {
    status: result.status,
    stdout: result.stdout ?? "",
    stderr: result.stderr ?? "",
    error: result.error as NodeJS.ErrnoException | undefined,
  };
};

function checkAmiTableCommand(reference: string, io: PinsCommandIo): number {
  let text: string;
  try {
    text = readFileSync(reference, "utf8");
  } catch (error) {
    throw new AmiReferenceError(`cannot read ${reference}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problems = checkAmiTable(AL2023_AMI_RELEASES, parseAmiReference(text, reference));
  for (const problem of problems) io.stdout(`ami table ${problem}\n`);
  const count = Object.keys(AL2023_AMI_RELEASES).length;
  io.stdout(
    problems.length
      ? `pins: ${problems.length} of ${count} AMI table entries disagree with ${reference}\n`
      : `pins: all ${count} AMI table entries agree with ${reference}\n`,
  );
  return problems.length ? 1 : 0;
}

/** `npm run pins` / `platform pins`; returns the exit code. */
export function runPinsCommand(argv: ReadonlyArray<string>, io: PinsCommandIo): number {
  try {
    const args = parseArguments(argv);
    if (args === "help") {
      io.stdout(PINS_USAGE);
      return 0;
    }
    if (args.amiReference !== undefined) return checkAmiTableCommand(args.amiReference, io);

    const versionsPath = args.versionsFile ?? DEFAULT_VERSIONS_FILE;
    const haveFile = args.versionsFile !== undefined || existsSync(versionsPath);
    if (args.write && !haveFile)
      throw new UsageError(
        `--write needs the versions file (${versionsPath} does not exist): pass --versions-file <path>`,
      );
    let fileText: string | undefined;
    if (haveFile) {
      try {
        fileText = readFileSync(versionsPath, "utf8");
      } catch (error) {
        throw new VersionsFileError(
          `cannot read ${versionsPath}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    const file = fileText === undefined ? undefined : parseVersionsFile(fileText, versionsPath);
    const pins: AddonPins[] = file
      ? file.blocks.map(({ addon, pins: blockPins }) => ({ addon, pins: blockPins }))
      : pinsFromModule();
    const kubernetesVersions = file ? file.kubernetesVersions : SUPPORTED_KUBERNETES_VERSIONS;

    const responses = args.addonVersions.length
      ? args.addonVersions.map((path) => {
          let text: string;
          try {
            text = readFileSync(path, "utf8");
          } catch (error) {
            throw new AddonVersionsInputError(
              `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
          return parseAddonVersions(text, path);
        })
      : runAwsCli(
          pins.map((entry) => entry.addon),
          io.spawn ?? defaultSpawn,
        );
    const index = indexAddonVersions(responses);
    const inputs = args.addonVersions.length ? args.addonVersions.join(", ") : "the AWS CLI";

    let checked = pins;
    if (args.write && file && fileText !== undefined) {
      const source = `aws eks describe-addon-versions (${(io.now ?? new Date()).toISOString().slice(0, 10)})`;
      const replacements = new Map<string, FilePin[]>();
      for (const entry of pins) {
        const proposed = proposePins(entry, index, kubernetesVersions, source);
        if (proposed) replacements.set(entry.addon, proposed);
      }
      const rewritten = rewriteVersionsFile(file, replacements);
      if (rewritten === fileText) io.stdout(`pins: ${versionsPath} already has the newest compatible builds\n`);
      else {
        writeFileSync(versionsPath, rewritten);
        io.stdout(`${diffLines(fileText, rewritten, versionsPath)}\n`);
        io.stdout(`pins: rewrote the eksAddon pins of ${[...replacements.keys()].join(", ")} in ${versionsPath}\n`);
      }
      const after = parseVersionsFile(rewritten, versionsPath);
      checked = after.blocks.map(({ addon, pins: blockPins }) => ({ addon, pins: blockPins }));
    }

    const mismatches = checkPins(checked, index, kubernetesVersions);
    for (const mismatch of mismatches) io.stdout(`${formatMismatch(mismatch)}\n`);
    const claims = checked.reduce(
      (sum, entry) => sum + entry.pins.reduce((count, pin) => count + pin.kubernetes.length, 0),
      0,
    );
    const pinCount = checked.reduce((sum, entry) => sum + entry.pins.length, 0);
    if (mismatches.length) {
      io.stdout(
        `pins: ${mismatches.length} mismatch(es) among ${checked.length} EKS add-ons (${pinCount} pins) against ${inputs}${args.write ? "" : "; `--write` moves each pin to the newest compatible build"}\n`,
      );
      return 1;
    }
    const unverified = checked.flatMap((entry) =>
      entry.pins.filter((pin) => pin.source === UNVERIFIED).map((pin) => `${entry.addon} ${pin.version}`),
    );
    const note = unverified.length
      ? `; ${unverified.length} pin(s) still marked unverified are confirmed by it (--write records that)`
      : "";
    io.stdout(
      `pins: all ${checked.length} EKS add-ons (${pinCount} pins, ${claims} Kubernetes versions claimed) are listed as compatible by ${inputs}${note}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`pins: ${error.message}\n${PINS_USAGE}`);
      return 2;
    }
    if (
      error instanceof AddonVersionsInputError ||
      error instanceof VersionsFileError ||
      error instanceof AmiReferenceError
    ) {
      io.stderr(`pins: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

// scripts/app.js runs this file with require() after pointing argv[1] at it (require.main is app.js then); jest never does.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === __filename) {
  process.exitCode = runPinsCommand(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
