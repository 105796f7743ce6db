import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

/**
 * The app as `cdktf synth` runs it, in a child process: the closing summary on stdout (the cdktf CLI prints an
 * app's stdout as it is and every stderr line as `[ERROR]`), nothing on stderr, exit 0. The run goes into an
 * outdir Terraform has worked in: the synthesized files are replaced, Terraform's own kept. (Progress lines and
 * `PLATFORM_ENVIRONMENTS` are synth/app-main.test.ts's, in-process, through the same function main.ts calls.)
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
const out = (name: string) => join(work, name);

const keepFile = join(out("example"), "stacks", "dev-foundation", ".terraform", "keep");
const staleStack = join(out("example"), "stacks", "dev-foundation", "cdk.tf.json");
const loadedByExample = join(work, "example-loaded.json");

// Started as this file loads: the child runs while the tests before these (in a group, other files') run.
mkdirSync(join(keepFile, ".."), { recursive: true });
writeFileSync(keepFile, "provider cache");
writeFileSync(staleStack, "{}");
const exampleRun = synthMain({
  PLATFORM_CONFIG: undefined,
  PLATFORM_ENVIRONMENTS: undefined,
  CDKTF_OUTDIR: out("example"),
  NODE_OPTIONS: `--require ${join(__dirname, "..", "helpers", "report-loaded-packages.js")}`,
  LOADED_PACKAGES_FILE: loadedByExample,
});

let example: RunResult;

beforeAll(async () => {
  example = await exampleRun;
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
});
