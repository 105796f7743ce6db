import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { TerraformOutput, TerraformStack, type App } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { synthesizeAtomically } from "../../modules/synth";
import { Platform } from "../../stacks/platform";
import { minimalEnvironment } from "../helpers/config";

/**
 * Issue 24 item 1: no synth ever deletes a state file. Every synth replaces the output directory as a whole, so
 * state written anywhere inside it would go with the old output. Two guards, each tested here: the config refuses
 * local backend paths inside the outdir (other than a stack's own top-level file, which is carried over), and the
 * synth itself looks for state anywhere in the old output before replacing it and refuses, naming the file.
 */

const work = mkdtempSync(join(tmpdir(), "state-files-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let counter = 0;
const project = () => {
  const root = join(work, `project-${++counter}`);
  mkdirSync(root);
  return root;
};
const state = (marker: string) =>
  JSON.stringify({ version: 4, serial: 7, lineage: marker, resources: [{ type: "aws_eks_cluster" }] });

describe("state at every accepted local backend path survives two synths", () => {
  const foundationOnly = { layers: { network: false, storage: false, operators: false } };
  it.each([
    [undefined],
    ["terraform.tfstate"],
    ["{stack}.tfstate"],
    ["../../../state/terraform.{stack}.tfstate"],
    ["ABSOLUTE"],
  ])("%j", (template) => {
    const root = project();
    const outdir = join(root, "cdktf.out");
    const path = template === "ABSOLUTE" ? join(root, "elsewhere", "{stack}.tfstate") : template;
    const config = validateConfig({
      environments: [minimalEnvironment({ ...foundationOnly, backend: { type: "local", path } })],
    });
    const synth = () => synthesizeAtomically((app) => void new Platform(app, { config }), outdir);
    synth();
    const stackDir = join(outdir, "stacks", "dev-foundation");
    const backend = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).terraform.backend.local.path;
    const file = resolve(stackDir, backend);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, state("first"));
    synth();
    synth();
    expect(readFileSync(file, "utf8")).toBe(state("first"));
  });
});

describe("the synth refuses to replace an output that holds state it would not carry over", () => {
  const build = (names: ReadonlyArray<string>) => (app: App) => {
    for (const name of names) new TerraformOutput(new TerraformStack(app, name), "marker", { value: "x" });
  };
  const listing = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();

  it.each([
    ["stacks/kept.tfstate"],
    ["stacks/kept/state/kept.tfstate"],
    ["terraform.tfstate"],
    ["stacks/kept/sub/terraform.tfstate.backup"],
    ["stacks/kept/nested/terraform.tfstate.d/blue/terraform.tfstate"],
    ["stacks/dropped/terraform.tfstate"],
    ["stacks/dropped/terraform.tfstate.d/blue/terraform.tfstate"],
  ])("%s: refused, naming the file; the old output is left as it was", (relativePath) => {
    const outdir = join(project(), "cdktf.out");
    synthesizeAtomically(build(["kept", "dropped"]), outdir);
    const file = join(outdir, relativePath);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ version: 4, resources: [] })); // even a state that records nothing
    const before = listing(outdir);
    expect(() => synthesizeAtomically(build(["kept"]), outdir)).toThrow(relativePath);
    expect(listing(outdir)).toEqual(before);
    expect(existsSync(file)).toBe(true);
  });

  it("carries over a remaining stack's own top-level state and workspaces, and ignores .terraform/'s backend file", () => {
    const outdir = join(project(), "cdktf.out");
    synthesizeAtomically(build(["kept", "dropped"]), outdir);
    const files = [
      "stacks/kept/terraform.tfstate",
      "stacks/kept/terraform.tfstate.backup",
      "stacks/kept/terraform.tfstate.d/blue/terraform.tfstate",
      "stacks/kept/.terraform/terraform.tfstate",
    ];
    for (const relativePath of files) {
      mkdirSync(dirname(join(outdir, relativePath)), { recursive: true });
      writeFileSync(join(outdir, relativePath), state(relativePath));
    }
    mkdirSync(join(outdir, "stacks", "dropped", ".terraform"), { recursive: true });
    writeFileSync(join(outdir, "stacks", "dropped", ".terraform", "terraform.tfstate"), "{}"); // backend settings
    synthesizeAtomically(build(["kept"]), outdir);
    for (const relativePath of files)
      expect(readFileSync(join(outdir, relativePath), "utf8")).toBe(state(relativePath));
    expect(existsSync(join(outdir, "stacks", "dropped"))).toBe(false);
  });
});
