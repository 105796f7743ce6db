import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { loadConfigFile } from "../index";
import { ADDRESS_CONFIG, ADDRESS_LIST, addressesOf, addressListText } from "./addresses";
import { referenceDocuments } from "./docs/documents";
import { GOLDEN_CONFIGS, normalizeStacks, serialize, synthesizeRawStacks, type Stacks } from "./golden";
import { projectRoot } from "./project-root";
import { reportExampleFiles } from "./report/example";

/**
 * `npm run generate`: regenerates every generated file of the project, from the code and the configs:
 *   - docs/config-reference.md, docs/config.schema.json, docs/addons-reference.md (tools/docs: schema, catalog)
 *   - __tests__/__golden__/stacks/<config>/<stack>.json          (tools/golden.ts: every synthesized stack)
 *   - __tests__/__golden__/example-addresses.json                (tools/addresses.ts: the example's addresses)
 *   - docs/report-example/**, the prod section in docs/report.md (tools/report/example.ts)
 *
 *   npm run generate               write what changed (review the diff: a golden change may be a replacement)
 *   npm run generate -- --check    write nothing; one line per stale file, exit 1 (CI runs this)
 *   --root <dir>                   read the configs and the generated files under <dir> (tests use a copy)
 *
 * The tools' own commands still work (`npm run docs`, `npm run golden -- --update`); this is the one to remember.
 */

export const GENERATE_COMMAND = "npm run generate";

export const GENERATE_USAGE = `usage: ${GENERATE_COMMAND} [-- --check] [--root <dir>]

  Regenerates every generated file: the reference docs, the stack goldens, the address list and the report examples.

  --check        write nothing; print "<path> is stale: run ${GENERATE_COMMAND}" per stale file and exit 1
  --root <dir>   the project root to read configs from and write to (default: this project)
`;

/** One kind of generated file. */
export interface Generator {
  readonly name: string;
  /** Path (relative to the root, with "/") -> content. */
  readonly files: (root: string, cache: SynthesisCache) => Promise<Record<string, string>> | Record<string, string>;
  /** Directories (relative) the generator owns with their files' extension: a file there it does not generate is stale. */
  readonly owns?: ReadonlyArray<{ readonly dir: string; readonly extension: string }>;
}

/** Each golden config synthesized once per run: the stack goldens and the address list read the same output. */
export class SynthesisCache {
  private readonly stacks = new Map<string, Stacks>();

  /** Records a config's raw stacks synthesized elsewhere (the tests' shared fixture syntheses of the same file). */
  seed(root: string, configPath: string, stacks: Stacks): void {
    this.stacks.set(resolve(root, configPath), stacks);
  }

  raw(root: string, configPath: string): Stacks {
    const key = resolve(root, configPath);
    let stacks = this.stacks.get(key);
    if (!stacks) {
      stacks = synthesizeRawStacks(loadConfigFile(key));
      this.stacks.set(key, stacks);
    }
    return stacks;
  }
}

const goldenDir = (config: string) => `__tests__/__golden__/stacks/${config}`;

export const GENERATORS: ReadonlyArray<Generator> = [
  { name: "reference docs", files: () => referenceDocuments() },
  {
    name: "stack goldens",
    files: (root, cache) => {
      const files: Record<string, string> = {};
      for (const config of GOLDEN_CONFIGS) {
        const stacks = normalizeStacks(cache.raw(root, `config/${config}.yaml`));
        for (const [stack, json] of Object.entries(stacks))
          files[`${goldenDir(config)}/${stack}.json`] = serialize(json);
      }
      return files;
    },
    owns: GOLDEN_CONFIGS.map((config) => ({ dir: goldenDir(config), extension: ".json" })),
  },
  {
    name: "address list",
    files: (root, cache) => ({
      [ADDRESS_LIST]: addressListText(addressesOf(cache.raw(root, ADDRESS_CONFIG)).addresses),
    }),
  },
  { name: "report examples", files: (root) => reportExampleFiles(root) },
];

export interface GeneratedState {
  /** Every generated file, path -> content. */
  readonly files: ReadonlyMap<string, string>;
  /** Paths whose committed content differs from the generated one, or that are missing. */
  readonly changed: ReadonlyArray<string>;
  /** Files in an owned directory that nothing generates any more. */
  readonly obsolete: ReadonlyArray<string>;
}

const readOrUndefined = (path: string) => (existsSync(path) ? readFileSync(path, "utf8") : undefined);

/** Runs the generators and compares their output with the files under `root`; writes nothing. */
export async function generatedState(
  root: string,
  generators = GENERATORS,
  cache = new SynthesisCache(),
): Promise<GeneratedState> {
  const files = new Map<string, string>();
  for (const generator of generators) {
    for (const [path, text] of Object.entries(await generator.files(root, cache))) files.set(path, text);
  }
  const changed = [...files].filter(([path, text]) => readOrUndefined(join(root, path)) !== text).map(([path]) => path);
  const obsolete = generators
    .flatMap((generator) => generator.owns ?? [])
    .flatMap(({ dir, extension }) =>
      existsSync(join(root, dir))
        ? readdirSync(join(root, dir))
            .filter((name) => name.endsWith(extension))
            .map((name) => `${dir}/${name}`)
        : [],
    )
    .filter((path) => !files.has(path));
  return { files, changed, obsolete };
}

/** The `--check` lines: one per stale file, sorted. */
export function staleLines(state: GeneratedState): string[] {
  return [...state.changed, ...state.obsolete].sort().map((path) => `${path} is stale: run ${GENERATE_COMMAND}`);
}

export interface GenerateIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The project root when no --root is given. */
  readonly root: string;
  /** Syntheses to reuse (default: a new cache, each golden config synthesized once per run). */
  readonly cache?: SynthesisCache;
}

/** `npm run generate`; returns the exit code (1: stale files under --check, 2: bad arguments or a failed generator). */
export async function runGenerate(argv: ReadonlyArray<string>, io: GenerateIo): Promise<number> {
  let check = false;
  let root = io.root;
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === "--check") check = true;
    else if (argv[index] === "--root" && argv[index + 1] !== undefined) root = resolve(argv[++index]);
    else if (argv[index] === "--help" || argv[index] === "-h") {
      io.stdout(GENERATE_USAGE);
      return 0;
    } else {
      io.stderr(`unknown or incomplete argument '${argv[index]}'\n${GENERATE_USAGE}`);
      return 2;
    }
  }
  const started = Date.now();
  let state: GeneratedState;
  try {
    state = await generatedState(root, GENERATORS, io.cache);
  } catch (error) {
    io.stderr(`${GENERATE_COMMAND}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (check) {
    const lines = staleLines(state);
    if (lines.length > 0) {
      io.stderr(lines.map((line) => `${line}\n`).join(""));
      return 1;
    }
    io.stdout(`${state.files.size} generated files are up to date (${seconds} s)\n`);
    return 0;
  }
  for (const path of state.changed) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), state.files.get(path)!);
    io.stdout(`wrote ${path}\n`);
  }
  for (const path of state.obsolete) {
    unlinkSync(join(root, path));
    io.stdout(`deleted ${path} (no longer generated)\n`);
  }
  const rewritten = state.changed.length + state.obsolete.length;
  io.stdout(
    rewritten === 0
      ? `${state.files.size} generated files are up to date (${seconds} s)\n`
      : `${rewritten} of ${state.files.size} generated files rewritten (${seconds} s): review the diff before committing\n`,
  );
  return 0;
}

// scripts/app.js runs this file with require() after pointing argv[1] at it (require.main is app.js then); jest never does.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === __filename)
  runGenerate(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    root: projectRoot(__dirname),
  }).then((code) => {
    process.exitCode = code;
  });
