import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { TerraformStack } from "cdktf";
import { synthesizeAtomically } from "../../modules/synth";
import { forgetWithoutDestroying } from "../../modules/terraform-blocks";
import { minimalEnvironment } from "../helpers/config";

/**
 * The app as users run it: `main.ts` in a child process (what `cdktf synth` runs). Bad config exits 1 with one
 * line per problem, writes nothing, and is reported before cdktf and the provider classes load. (A good config's
 * run, which keeps Terraform's files, is app-output.test.ts's.)
 */

const root = join(__dirname, "..", "..");
const run = promisify(execFile);

interface RunResult {
  readonly code: number;
  readonly stderr: string;
}

async function synthMain(env: Record<string, string>): Promise<RunResult> {
  try {
    const { stderr } = await run(process.execPath, ["scripts/app.js"], {
      cwd: root,
      env: { ...process.env, ...preloaded, ...env },
      timeout: 120_000,
    });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? "" };
  }
}

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
    )
    .sort();
}

const work = mkdtempSync(join(tmpdir(), "platform-app-"));
const badConfig = join(work, "bad.yaml");
const freshOutdir = join(work, "fresh-out");
const existingOutdir = join(work, "existing-out");
const loadedByBad = join(work, "bad-loaded.json");
const preloaded = { NODE_OPTIONS: `--require ${join(__dirname, "..", "helpers", "report-loaded-packages.js")}` };

// Three mistakes: a bad account, a bad region (schema) in one environment, an unknown key in another. The two runs
// start as this file loads, and run while the tests before these (in a group, other files') run.
writeFileSync(
  badConfig,
  [
    "environments:",
    `  - ${JSON.stringify({ ...minimalEnvironment(), account: "12345", region: "eu-nowhere-1" })}`,
    `  - ${JSON.stringify({ ...minimalEnvironment({ name: "prod" }), clsuter: {} })}`,
    "",
  ].join("\n"),
);
mkdirSync(existingOutdir, { recursive: true });
writeFileSync(join(existingOutdir, "manifest.json"), "previous synth");
const badRuns = Promise.all([
  synthMain({ PLATFORM_CONFIG: badConfig, CDKTF_OUTDIR: freshOutdir, LOADED_PACKAGES_FILE: loadedByBad }),
  synthMain({ PLATFORM_CONFIG: badConfig, CDKTF_OUTDIR: existingOutdir }),
]);

let bad: RunResult;
let badExisting: RunResult;

beforeAll(async () => {
  [bad, badExisting] = await badRuns;
}, 180_000);

describe("bad config", () => {
  it("exits 1 with one line per problem, each naming its path", () => {
    expect(bad.code).toBe(1);
    const problemLines = bad.stderr.split("\n").filter((line) => /^ {2}\S/.test(line));
    expect(problemLines).toEqual([
      expect.stringMatching(/^ {2}environments\[0\]\.account: .*got "12345"/),
      expect.stringMatching(/^ {2}environments\[0\]\.region: .*got "eu-nowhere-1"/),
      expect.stringMatching(/^ {2}environments\[1\]\.clsuter: .*did you mean 'cluster'/),
    ]);
    expect(bad.stderr).toContain(`3 problems in ${badConfig}`);
  });

  it("writes nothing: no outdir, no staging directory", () => {
    expect(existsSync(freshOutdir)).toBe(false);
    expect(readdirSync(work).filter((name) => name.includes("staging"))).toEqual([]);
  });

  it("is reported before cdktf, constructs or a provider class loads (the config is checked in plain code)", () => {
    const loaded = JSON.parse(readFileSync(loadedByBad, "utf8")) as Record<string, string[]>;
    expect(Object.keys(loaded)).toEqual(expect.arrayContaining(["yaml", "zod"]));
    expect(Object.keys(loaded).filter((name) => /^(constructs|@cdktf\/)/.test(name))).toEqual([]);
    // Of cdktf, only the file the app runner switches token stacks off in (scripts/token-stacks.js).
    expect(loaded.cdktf ?? []).toEqual(["lib/tokens/private/stack-trace.js"]);
  });

  it("leaves an existing outdir untouched", () => {
    expect(badExisting.code).toBe(1);
    expect(filesUnder(existingOutdir)).toEqual(["manifest.json"]);
    expect(readFileSync(join(existingOutdir, "manifest.json"), "utf8")).toBe("previous synth");
  });
});

describe("synthesizeAtomically", () => {
  /** A stack that synthesizes, then one whose validation fails: cdktf would have written the first already. */
  const failingBuild = (app: import("cdktf").App) => {
    new TerraformStack(app, "written-first");
    const broken = new TerraformStack(app, "broken");
    broken.node.addValidation({ validate: () => ["broken on purpose"] });
  };

  it("leaves no half-written outdir when a stack fails midway", () => {
    const outdir = join(work, "atomic-fresh");
    expect(() => synthesizeAtomically(failingBuild, outdir)).toThrow(/broken on purpose/);
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(work).filter((name) => name.startsWith("atomic-fresh"))).toEqual([]);
  });

  it("leaves a previous synth as it was when a stack fails midway", () => {
    const outdir = join(work, "atomic-existing");
    synthesizeAtomically((app) => void new TerraformStack(app, "written-first"), outdir);
    const before = filesUnder(outdir).map((file) => [file, readFileSync(join(outdir, file), "utf8")]);
    expect(() => synthesizeAtomically(failingBuild, outdir)).toThrow(/broken on purpose/);
    expect(filesUnder(outdir).map((file) => [file, readFileSync(join(outdir, file), "utf8")])).toEqual(before);
    expect(before.map(([file]) => file)).toContain("stacks/written-first/cdk.tf.json");
  });
});

describe("HCL output (cdktf synth --hcl)", () => {
  const outdir = join(work, "hcl-then-json");
  const stackDir = join(outdir, "stacks", "migrating");
  const build = (app: import("cdktf").App) =>
    forgetWithoutDestroying(new TerraformStack(app, "migrating"), "helm_release.metrics_server");
  let afterHcl: string[];

  beforeAll(() => {
    process.env.SYNTH_HCL_OUTPUT = "true";
    try {
      synthesizeAtomically(build, outdir);
    } finally {
      delete process.env.SYNTH_HCL_OUTPUT;
    }
    afterHcl = filesUnder(stackDir);
    mkdirSync(join(stackDir, ".terraform"), { recursive: true });
    writeFileSync(join(stackDir, ".terraform", "keep"), "");
  });

  it("keeps `removed` blocks, which cdktf's HCL renderer drops, in removed.tf", () => {
    expect(afterHcl).toEqual(["cdk.tf", "metadata.json", "removed.tf"]);
    expect(readFileSync(join(stackDir, "cdk.tf"), "utf8")).not.toContain("removed");
    expect(readFileSync(join(stackDir, "removed.tf"), "utf8")).toBe(
      "removed {\n  from = helm_release.metrics_server\n\n  lifecycle {\n    destroy = false\n  }\n}\n",
    );
  });

  it("a JSON synth over it removes the HCL files (Terraform would read both) and keeps .terraform", () => {
    synthesizeAtomically(build, outdir);
    expect(filesUnder(stackDir)).toEqual([".terraform/keep", "cdk.tf.json"]);
    expect(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).removed).toEqual([
      { from: "helm_release.metrics_server", lifecycle: { destroy: false } },
    ]);
  });
});
