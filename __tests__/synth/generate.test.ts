import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { GOLDEN_CONFIGS } from "../../tools/golden";
import { runGenerate, SynthesisCache } from "../../tools/generate";
import { GENERATE_COMMAND, staleMessage } from "../helpers/generated";
import { fixtureStacks } from "../helpers/fixtures";

/**
 * `npm run generate` (tools/generate.ts `runGenerate`, in-process) on a copy of its inputs (`--root`, never the
 * tracked files): it writes every generated file, `--check` names each stale, missing and obsolete one with the
 * command that fixes it and writes nothing, and a run without `--check` brings the copy back. The golden configs'
 * syntheses are the shared fixtures (the copy's configs are the same files). CI runs the compiled command
 * (`npm run generate -- --check`) as a step of its own; scripts/app.js's running of tools is tested in
 * __tests__/process/app.test.ts.
 */

const ROOT = join(__dirname, "..", "..");
/** What the generators read: the configs, the report example's config and the page quoting it. */
const INPUTS = [
  "config/example.yaml",
  "config/all-options.yaml",
  "docs/report-example/platform.yaml",
  "docs/report.md",
];
const GOLDEN = "__tests__/__golden__/stacks/example";

let root: string;
let cache: SynthesisCache;
let written: string[];
let freshReference: string;
const read = (path: string) => readFileSync(join(root, path), "utf8");

async function generate(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await runGenerate(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    root: ROOT,
    cache,
  });
  const lines = (text: string) => text.split("\n").filter((line) => line !== "");
  return { status, stdout: lines(stdout), stderr: lines(stderr) };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "platform-generate-"));
  for (const input of INPUTS) {
    mkdirSync(dirname(join(root, input)), { recursive: true });
    cpSync(join(ROOT, input), join(root, input));
  }
  cache = new SynthesisCache();
  for (const config of GOLDEN_CONFIGS) {
    const stacks = Object.fromEntries(fixtureStacks(config));
    for (const where of [root, ROOT]) cache.seed(where, `config/${config}.yaml`, stacks);
  }
  // The page's quoted report section is generated too: start from a stale one.
  writeFileSync(join(root, "docs/report.md"), read("docs/report.md").replace("\n### prod\n", "\n### prod (stale)\n"));
  const first = await generate("--root", root);
  expect(first.stderr).toEqual([]);
  expect(first.status).toBe(0);
  written = first.stdout.filter((line) => line.startsWith("wrote ")).map((line) => line.slice("wrote ".length));
  freshReference = read("docs/addons-reference.md");
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

it("writes every generated file", () => {
  expect(written).toEqual(
    expect.arrayContaining([
      "docs/config-reference.md",
      "docs/addons-reference.md",
      `${GOLDEN}/dev-foundation.json`,
      "__tests__/__golden__/stacks/all-options/terraform-cloud.json",
      "__tests__/__golden__/example-addresses.json",
      "docs/report-example/report.md",
      "docs/report-example/graph.svg",
      "docs/report-example/example-config/report.md",
      "docs/report-example/example-config/graph.svg",
      "docs/report.md",
    ]),
  );
  expect(read("docs/report.md")).toContain("\n### prod\n");
  expect(read("docs/report.md")).not.toContain("(stale)");
});

it("--check names each stale, missing and obsolete file with the command, writes nothing, and exits 1", async () => {
  const edited = `${read("docs/addons-reference.md")}| hand-edited |\n`;
  writeFileSync(join(root, "docs/addons-reference.md"), edited);
  const addresses = JSON.parse(read("__tests__/__golden__/example-addresses.json")) as string[];
  writeFileSync(join(root, "__tests__/__golden__/example-addresses.json"), JSON.stringify(addresses.slice(1)));
  unlinkSync(join(root, `${GOLDEN}/dev-network.json`));
  writeFileSync(join(root, `${GOLDEN}/dev-removed.json`), "{}\n");

  const check = await generate("--check", "--root", root);
  expect(check.stderr).toEqual(
    [
      `${GOLDEN}/dev-network.json`,
      `${GOLDEN}/dev-removed.json`,
      "__tests__/__golden__/example-addresses.json",
      "docs/addons-reference.md",
    ]
      .sort()
      .map(staleMessage),
  );
  expect(check.stderr[0]).toMatch(new RegExp(`^\\S+ is stale: run ${GENERATE_COMMAND}$`));
  expect(check.status).toBe(1);
  expect(read("docs/addons-reference.md")).toBe(edited);
  expect(existsSync(join(root, `${GOLDEN}/dev-network.json`))).toBe(false);
  expect(existsSync(join(root, `${GOLDEN}/dev-removed.json`))).toBe(true);

  const again = await generate("--root", root);
  expect(again.status).toBe(0);
  expect(again.stdout).toEqual(
    expect.arrayContaining([
      "wrote docs/addons-reference.md",
      `wrote ${GOLDEN}/dev-network.json`,
      `deleted ${GOLDEN}/dev-removed.json (no longer generated)`,
    ]),
  );
  expect(read("docs/addons-reference.md")).toBe(freshReference);
  expect(JSON.parse(read("__tests__/__golden__/example-addresses.json"))).toEqual(addresses);
  expect(existsSync(join(root, `${GOLDEN}/dev-removed.json`))).toBe(false);
}, 120_000);

it("`npm run generate -- --check` passes on the tree: no generated file is stale", async () => {
  const result = await generate("--check");
  // On failure the received value lists "<path> is stale: run npm run generate" per file.
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: [] });
  expect(result.stdout).toEqual([expect.stringMatching(/^\d+ generated files are up to date \(\d+\.\d s\)$/)]);
});

it("refuses unknown arguments with exit 2 and the usage", async () => {
  const result = await generate("--frobnicate");
  expect(result.status).toBe(2);
  expect(result.stderr).toContain("unknown or incomplete argument '--frobnicate'");
  expect(result.stderr).toContain(`usage: ${GENERATE_COMMAND} [-- --check] [--root <dir>]`);
});
