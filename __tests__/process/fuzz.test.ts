import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { formatIssue, PlatformConfigError } from "../../modules/errors";
import { loadConfigFile } from "../../modules/plan";
import { synthesizeAtomically } from "../../modules/synth";
import { Platform } from "../../stacks/platform";
import { mutate, prng } from "../helpers/fuzz-mutations";

/**
 * Careless and hostile input, at random but reproducibly: SEED and CASES fix the mutations (a first slice of one sequence) of
 * config/example.yaml (hostile strings, wrong types, removed and added keys, open CIDRs, locked add-on values,
 * filler waivers ...). Each runs through the real app in-process (loadConfigFile, synthesizeAtomically and
 * Platform, as main.ts does), and for every case:
 *   - it succeeds (exit 0) or fails with a config error or a policy finding (exit 1), never with anything else;
 *   - no failure message carries a stack trace, and every one names a config path;
 *   - a failure leaves the previous output exactly as it was.
 * A handful of child processes check the exit codes of main.ts itself. A failing case prints its seed index and
 * the mutations, to reproduce it. The mutations are __tests__/helpers/fuzz-mutations.ts's.
 */

const SEED = 0x5eed2026;
/** How many mutations: PLATFORM_FUZZ_CASES (CI runs 300; `npm test` a first slice of the same sequence). */
const CASES = fuzzCases(process.env.PLATFORM_FUZZ_CASES);

function fuzzCases(text: string | undefined): number {
  if (text === undefined || text === "") return 60;
  const cases = Number(text);
  if (!Number.isInteger(cases) || cases < 20)
    throw new Error(`PLATFORM_FUZZ_CASES: must be a whole number of at least 20 (got ${JSON.stringify(text)})`);
  return cases;
}
const root = join(__dirname, "..", "..");
const example = parse(readFileSync(join(root, "config", "example.yaml"), "utf8")) as Record<string, unknown>;

/** The outdir's files and their contents, as one comparable value. */
function snapshot(dir: string): string {
  const hash = createHash("sha256");
  const visit = (path: string, rel: string) => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) visit(full, `${rel}${name}/`);
      else hash.update(`${rel}${name}\0`).update(readFileSync(full)).update("\0");
    }
  };
  visit(dir, "");
  return hash.digest("hex");
}

interface Outcome {
  readonly code: 0 | 1;
  /** What main.ts would print on stderr. */
  readonly stderr: string;
  /** The config paths a failure names (config issues), or the waivable findings (policy). */
  readonly named: ReadonlyArray<string>;
  readonly unexpected?: unknown;
}

const FINDING = /^\s*\[[\w-]+\] [\w-]+ \S+: \[[A-Z0-9_]+\] .*waive with policy\.waivers: - rule: [A-Z0-9_]+/;

/** The app as main.ts runs it, in-process; what it would exit with and print. */
function runApp(configPath: string, outdir: string): Outcome {
  try {
    const config = loadConfigFile(configPath);
    synthesizeAtomically((app) => void new Platform(app, { config }), outdir);
    return { code: 0, stderr: "", named: [] };
  } catch (error) {
    if (error instanceof PlatformConfigError)
      return {
        code: 1,
        stderr: error.issues.map(formatIssue).join("\n"),
        named: error.issues.map((issue) => issue.path),
      };
    const message = error instanceof Error ? error.message : String(error);
    const lines = message.split("\n").filter((line) => line.trim().startsWith("["));
    const policy =
      message.startsWith("Validation failed with the following errors:") &&
      lines.length > 0 &&
      lines.every((line) => FINDING.test(line));
    return policy
      ? { code: 1, stderr: `synth failed: ${message}`, named: lines.map((line) => /policy\.waivers/.exec(line)![0]) }
      : { code: 1, stderr: message, named: [], unexpected: error };
  }
}

/** A path into the config: it starts at a key the file has (or a top-level key), or names the file or its root. */
function namesConfigPath(path: string, config: Record<string, unknown>): boolean {
  if (path === "<root>" || path === "<file>" || path === "policy.waivers") return true;
  const first = /^([^.[]+)/.exec(path)?.[1];
  return (
    first !== undefined &&
    (["environments", "defaults", "terraformCloud"].includes(first) || Object.keys(config).includes(first))
  );
}

describe(`fuzz: ${CASES} mutations of config/example.yaml (seed ${SEED.toString(16)})`, () => {
  const work = mkdtempSync(join(tmpdir(), "platform-fuzz-"));
  const outdir = join(work, "out");
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // main.ts in child processes, started first: they run beside the in-process cases (the machine has 2 cores).
  const run = promisify(execFile);
  const first = (example.environments as Array<Record<string, object>>)[0];
  // (The example's own run, exit 0 and nothing on stderr, is app-output.test.ts's.)
  const childCases: Array<[string, Record<string, unknown>, 0 | 1]> = [
    ["config error", { ...example, environments: [{ ...first, tags: { "aws:x": '${file("/etc/passwd")}' } }] }, 1],
    [
      "policy finding",
      { ...example, environments: [{ ...first, cluster: { ...first.cluster, deletionProtection: false } }] },
      1,
    ],
  ];
  const children = childCases.map(async ([name, config, expected]) => {
    const configPath = join(work, `child-${name.replace(/ /g, "-")}.yaml`);
    writeFileSync(configPath, stringify(config));
    const env = {
      ...process.env,
      PLATFORM_CONFIG: configPath,
      CDKTF_OUTDIR: join(work, `child-out-${name.replace(/ /g, "-")}`),
    };
    const result = await run(process.execPath, ["scripts/app.js"], {
      cwd: root,
      env,
      timeout: 60_000,
    }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code ?? -1, stderr: error.stderr ?? "" }),
    );
    return { name, expected, result };
  });

  it("every case exits 0 or 1 with a config path and no stack trace, and a failure leaves the output as it was", () => {
    expect(runApp(join(root, "config", "example.yaml"), outdir).code).toBe(0);
    let previous = snapshot(outdir);
    const random = prng(SEED);
    const tally = { ok: 0, config: 0, policy: 0 };
    const problems: string[] = [];
    for (let index = 0; index < CASES; index++) {
      const { config, steps } = mutate(example, random);
      const configPath = join(work, `case-${index}.yaml`);
      writeFileSync(configPath, stringify(config));
      const outcome = runApp(configPath, outdir);
      const where = `case ${index} (${steps.join("; ")})`;
      if (outcome.unexpected !== undefined)
        problems.push(`${where}: unexpected ${(outcome.unexpected as Error)?.stack ?? String(outcome.unexpected)}`);
      if (/^\s+at .+\(.*:\d+:\d+\)$/m.test(outcome.stderr)) problems.push(`${where}: stack trace in ${outcome.stderr}`);
      if (
        outcome.code === 1 &&
        (outcome.named.length === 0 || !outcome.named.every((path) => namesConfigPath(path, config)))
      )
        problems.push(`${where}: names no config path: ${outcome.stderr.slice(0, 300)}`);
      if (outcome.code === 1 && snapshot(outdir) !== previous) problems.push(`${where}: the previous output changed`);
      if (outcome.code === 0) previous = snapshot(outdir);
      tally[outcome.code === 0 ? "ok" : outcome.named.includes("policy.waivers") ? "policy" : "config"]++;
    }
    expect(problems).toEqual([]);
    // The mutations reach all three outcomes (a generator that only produced parse errors would prove little).
    expect(tally.ok).toBeGreaterThan(CASES / 60);
    expect(tally.config).toBeGreaterThan(CASES / 2);
    expect(tally.policy).toBeGreaterThan(0);
    process.stdout.write(
      `fuzz: ${CASES} cases: ${tally.ok} ok, ${tally.config} config errors, ${tally.policy} policy findings\n`,
    );
  }, 240_000);

  it("main.ts exits 0 or 1 as the in-process run says, without a stack trace", async () => {
    for (const { name, expected, result } of await Promise.all(children)) {
      expect({ name, code: result.code }).toEqual({ name, code: expected });
      expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      if (expected === 1) expect(result.stderr).toMatch(/environments\[0\]|policy\.waivers/);
    }
  }, 90_000);
});
