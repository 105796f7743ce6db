import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAppMain } from "../../stacks/app-main";
import { minimalEnvironment } from "../helpers/config";

/**
 * What the app says, and where, through the function main.ts calls: one progress line per environment and the
 * closing summary on stdout, problems on stderr only; and PLATFORM_ENVIRONMENTS, as `cdktf diff <one stack>` runs
 * it. (The child process's own streams and exit code: process/app-output.test.ts and process/app.test.ts.)
 */

const root = join(__dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "platform-app-main-"));
const twoEnvironments = join(work, "two.yaml");
const out = (name: string) => join(work, name);
const stacksIn = (outdir: string) =>
  Object.keys(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks).sort();

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runMain(env: Record<string, string>): RunResult {
  let stdout = "";
  let stderr = "";
  const code = runAppMain({
    env,
    exampleConfig: join(root, "config", "example.yaml"),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

let both: RunResult;
let selected: RunResult;
let unknown: RunResult;

beforeAll(() => {
  writeFileSync(
    twoEnvironments,
    `environments:\n  - ${JSON.stringify(minimalEnvironment({ name: "dev" }))}\n  - ${JSON.stringify(minimalEnvironment({ name: "prod", account: "222222222222", assumeRoleArn: "arn:aws:iam::222222222222:role/deployer", cluster: { access: { terraformRoleArn: undefined } } }))}\n`,
  );
  both = runMain({ PLATFORM_CONFIG: twoEnvironments, CDKTF_OUTDIR: out("both") });
  selected = runMain({
    PLATFORM_CONFIG: twoEnvironments,
    PLATFORM_ENVIRONMENTS: "prod",
    CDKTF_OUTDIR: out("selected"),
  });
  unknown = runMain({
    PLATFORM_CONFIG: twoEnvironments,
    PLATFORM_ENVIRONMENTS: "prod,stage",
    CDKTF_OUTDIR: out("unknown"),
  });
}, 120_000);

it("prints one progress line per environment on stdout, then the summary naming the config", () => {
  expect(both).toMatchObject({ code: 0, stderr: "" });
  expect(both.stdout.split("\n")).toEqual([
    "[1/2] dev: building dev-foundation, dev-network, dev-storage, dev-operators",
    "[2/2] prod: building prod-foundation, prod-network, prod-storage, prod-operators",
    `Synthesized 8 stacks (dev-foundation, dev-network, dev-storage, dev-operators, prod-foundation, prod-network, prod-storage, prod-operators) into ${out("both")} from ${twoEnvironments}.`,
    "",
  ]);
});

describe("PLATFORM_ENVIRONMENTS", () => {
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

it("paths below the working directory are shown relative to it", () => {
  let stdout = "";
  const code = runAppMain({
    env: { CDKTF_OUTDIR: join(work, "relative", "cdktf.out") },
    exampleConfig: join(root, "config", "example.yaml"),
    cwd: work,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stdout += `stderr: ${text}`) },
  });
  expect(code).toBe(0);
  expect(stdout).toMatch(/^Synthesized 4 stacks \(.*\) into relative\/cdktf\.out from the embedded example config/);
});
