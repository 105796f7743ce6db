import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { minimalEnvironment } from "../helpers/config";

/**
 * What the app says, and where: progress and the closing summary on stdout (the cdktf CLI prints an app's stdout
 * as it is and every stderr line as `[ERROR]`), problems on stderr only; and `PLATFORM_ENVIRONMENTS` through the
 * app, as `cdktf diff <one stack>` runs it. The example's run goes into an outdir Terraform has worked in: the
 * synthesized files are replaced, Terraform's own kept.
 */

const root = join(__dirname, "..", "..");
const run = promisify(execFile);

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function synthMain(env: Record<string, string | undefined>): Promise<RunResult> {
  const childEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  try {
    const { stdout, stderr } = await run(process.execPath, ["scripts/app.js"], {
      cwd: root,
      env: childEnv,
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

const work = mkdtempSync(join(tmpdir(), "platform-app-output-"));
const twoEnvironments = join(work, "two.yaml");
const out = (name: string) => join(work, name);
const stacksIn = (outdir: string) =>
  Object.keys(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks).sort();

const keepFile = join(out("example"), "stacks", "dev-foundation", ".terraform", "keep");
const staleStack = join(out("example"), "stacks", "dev-foundation", "cdk.tf.json");
const loadedByExample = join(work, "example-loaded.json");

let example: RunResult;
let both: RunResult;
let selected: RunResult;
let unknown: RunResult;

beforeAll(async () => {
  writeFileSync(
    twoEnvironments,
    `environments:\n  - ${JSON.stringify(minimalEnvironment({ name: "dev" }))}\n  - ${JSON.stringify(minimalEnvironment({ name: "prod", account: "222222222222", assumeRoleArn: "arn:aws:iam::222222222222:role/deployer", cluster: { access: { terraformRoleArn: undefined } } }))}\n`,
  );
  mkdirSync(join(keepFile, ".."), { recursive: true });
  writeFileSync(keepFile, "provider cache");
  writeFileSync(staleStack, "{}");
  // One at a time: four synths in parallel would compete for the two cores with the rest of the suite.
  example = await synthMain({
    PLATFORM_CONFIG: undefined,
    PLATFORM_ENVIRONMENTS: undefined,
    CDKTF_OUTDIR: out("example"),
    NODE_OPTIONS: `--require ${join(__dirname, "..", "helpers", "report-loaded-packages.js")}`,
    LOADED_PACKAGES_FILE: loadedByExample,
  });
  both = await synthMain({
    PLATFORM_CONFIG: twoEnvironments,
    PLATFORM_ENVIRONMENTS: undefined,
    CDKTF_OUTDIR: out("both"),
  });
  selected = await synthMain({
    PLATFORM_CONFIG: twoEnvironments,
    PLATFORM_ENVIRONMENTS: "prod",
    CDKTF_OUTDIR: out("selected"),
  });
  unknown = await synthMain({
    PLATFORM_CONFIG: twoEnvironments,
    PLATFORM_ENVIRONMENTS: "prod,stage",
    CDKTF_OUTDIR: out("unknown"),
  });
}, 240_000);

describe("a successful synth", () => {
  it("says what it wrote and that the config is the embedded example, on stdout; nothing on stderr", () => {
    expect(example.code).toBe(0);
    expect(example.stderr).toBe("");
    expect(example.stdout).toBe(
      `Synthesized 4 stacks (dev-foundation, dev-network, dev-storage, dev-operators) into ${out("example")} from the embedded example config (config/example.yaml; set PLATFORM_CONFIG to use your own).\n`,
    );
  });

  it("synthesizes and lists the four stacks in manifest.json, each written", () => {
    const manifest = JSON.parse(readFileSync(join(out("example"), "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual([
      "dev-foundation",
      "dev-network",
      "dev-operators",
      "dev-storage",
    ]);
    for (const stack of Object.values<{ synthesizedStackPath: string }>(manifest.stacks)) {
      expect(existsSync(join(out("example"), stack.synthesizedStackPath))).toBe(true);
    }
  });

  it("keeps files Terraform put beside the stacks and replaces the synthesized ones", () => {
    expect(readFileSync(keepFile, "utf8")).toBe("provider cache");
    expect(JSON.parse(readFileSync(staleStack, "utf8")).resource.aws_eks_cluster).toBeDefined();
  });

  it("loads cdktf and the provider classes to build (what a bad config's run must not: app.test.ts)", () => {
    const loaded = JSON.parse(readFileSync(loadedByExample, "utf8")) as Record<string, string[]>;
    expect(Object.keys(loaded)).toEqual(expect.arrayContaining(["cdktf", "constructs", "@cdktf/provider-aws"]));
    expect(loaded.cdktf).toContain("lib/index.js");
  });

  it("prints one progress line per environment on stdout, then the summary naming the config", () => {
    expect(both).toMatchObject({ code: 0, stderr: "" });
    expect(both.stdout.split("\n")).toEqual([
      "[1/2] dev: building dev-foundation, dev-network, dev-storage, dev-operators",
      "[2/2] prod: building prod-foundation, prod-network, prod-storage, prod-operators",
      `Synthesized 8 stacks (dev-foundation, dev-network, dev-storage, dev-operators, prod-foundation, prod-network, prod-storage, prod-operators) into ${out("both")} from ${twoEnvironments}.`,
      "",
    ]);
  });
});

describe("PLATFORM_ENVIRONMENTS through the app", () => {
  it("synthesizes only the environments named, and says so", () => {
    expect(selected).toMatchObject({ code: 0, stderr: "" });
    expect(stacksIn(out("selected"))).toEqual(["prod-foundation", "prod-network", "prod-operators", "prod-storage"]);
    expect(selected.stdout).toBe(
      `Synthesized 4 stacks (prod-foundation, prod-network, prod-storage, prod-operators) into ${out("selected")} from ${twoEnvironments}; PLATFORM_ENVIRONMENTS selected 1 of 2 environments, all 2 validated.\n`,
    );
  });

  it("an unknown name: exit 1, the known names on stderr, nothing on stdout or in the outdir", () => {
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toBe(
      `1 problem in ${twoEnvironments}:\n  PLATFORM_ENVIRONMENTS: names an environment the config does not have: 'stage' (allowed: dev, prod; fix: use the environments' \`name\`s, comma-separated)\nNothing was synthesized.\n`,
    );
    expect(existsSync(out("unknown"))).toBe(false);
  });
});
