import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { minimalEnvironment } from "../helpers/config";

/**
 * cdktf runs `terraform version` at synth for every construct that needs a newer Terraform (each `cloud` backend
 * among them): a child process each, a checkpoint call to HashiCorp each without CHECKPOINT_DISABLE. The app asks
 * once per process (modules/terraform-version-check.ts). A stand-in `terraform` first on PATH counts the calls of
 * a real `npm run synth`; a too-old one still fails the synth.
 */

const root = join(__dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "terraform-version-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cloud = { type: "cloud", organization: "acme" };
const environmentsOf = (names: ReadonlyArray<string>) =>
  names.map((name, index) =>
    minimalEnvironment({
      name,
      cluster: { name: `${name}-main` },
      backend: cloud,
      // Two stacks per environment are enough to count: the fewer built, the cheaper the child.
      layers: { storage: false, operators: false },
      account: `${index + 1}`.repeat(12),
    }),
  );
/** A config of the named environments, each with a cloud backend. */
const configOf = (names: ReadonlyArray<string>): string => {
  const file = join(work, `${names.join("-")}.json`);
  writeFileSync(file, JSON.stringify({ environments: environmentsOf(names) }));
  return file;
};

/** `npm run synth` of the config with a `terraform` on PATH that logs each call and prints `Terraform v<version>`. */
function synthWith(version: string, config: string) {
  const bin = mkdtempSync(join(work, "bin-"));
  const log = join(bin, "calls");
  writeFileSync(log, "");
  writeFileSync(join(bin, "terraform"), `#!/bin/sh\necho "$@" >> '${log}'\necho 'Terraform v${version}'\n`);
  chmodSync(join(bin, "terraform"), 0o755);
  const result = spawnSync(process.execPath, ["scripts/app.js"], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
    env: {
      ...process.env,
      PATH: `${bin}${delimiter}${process.env.PATH}`,
      PLATFORM_CONFIG: config,
      CDKTF_OUTDIR: join(work, `out-${version}`),
    },
  });
  const calls = readFileSync(log, "utf8").split("\n").filter(Boolean);
  return { status: result.status, stderr: result.stderr, calls };
}

it("asks `terraform version` once for four stacks with a cloud backend", () => {
  const result = synthWith("1.11.4", configOf(["dev", "prod"]));
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(result.calls).toEqual(["version"]);
}, 120_000);

it("still fails the synth when the Terraform on PATH is too old for a cloud backend", () => {
  // One environment is enough: the first stack's check fails the synth.
  const result = synthWith("1.0.0", configOf(["dev"]));
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/terraform version 1\.0\.0 is lower than the required version >=1\.1/);
  expect(result.calls).toEqual(["version"]);
}, 120_000);
