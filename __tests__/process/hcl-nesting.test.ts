import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { App, TerraformStack } from "cdktf";
import { DataHelmTemplate } from "@cdktf/provider-helm/lib/data-helm-template";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { PROVIDER_CONFIG_NESTING } from "../../modules/hcl/nesting";
import { runValidateCommand } from "../../tools/validate/cli";
import { checkHclNesting, validateHclNesting, type HclFile } from "../../tools/validate/hcl-nesting";
import { NestingSchemas } from "../../tools/validate/nesting-schemas";
import { ProviderSchemas } from "../../tools/validate/provider-schema";
import { formatFinding, type Finding } from "../../tools/validate/report";
import { synthesizeInto } from "../helpers/hcl-synth";
import { fixtureHclOutdir, type FixtureConfig } from "../helpers/fixtures";

/**
 * Issue 22 item 9: `cdktf synth --hcl` must write every nested attribute as an attribute (`kubernetes = { ... }`)
 * and every nested block as a block (`exec { ... }`), by the provider schemas' nesting modes: helm 3.x refuses
 * `provider "helm" { kubernetes { ... } }` (hashicorp/terraform-provider-helm#1637). The check reads the syntax
 * (tools/validate/hcl-nesting.ts); provider configuration nesting comes from modules/hcl/nesting.ts (each
 * provider's source at its pinned tag), resources' from the reference provider schemas when `../shared/reference`
 * is there (CI), else resources are reported as skipped and only provider blocks are checked.
 */

const root = join(__dirname, "..", "..");
const REFERENCE_SCHEMAS = join(root, "..", "shared", "reference", "provider-schemas");
const work = mkdtempSync(join(tmpdir(), "hcl-nesting-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let providerSchemas: ProviderSchemas | undefined;
beforeAll(() => {
  if (!existsSync(REFERENCE_SCHEMAS)) return;
  providerSchemas = new ProviderSchemas();
  for (const file of readdirSync(REFERENCE_SCHEMAS)
    .filter((name) => name.endsWith(".json"))
    .sort())
    providerSchemas.add(JSON.parse(readFileSync(join(REFERENCE_SCHEMAS, file), "utf8")), file);
});

/** Synthesizes `build` as HCL into a new outdir under the suite's work directory. */
function synthHcl(name: string, build: (app: App) => void): string {
  const outdir = join(work, name);
  synthesizeInto(outdir, true, build);
  return outdir;
}

function stackFiles(outdir: string, stack: string): HclFile[] {
  const directory = join(outdir, "stacks", stack);
  return readdirSync(directory)
    .filter((file) => file.endsWith(".tf"))
    .sort()
    .map((file) => ({ name: file, text: readFileSync(join(directory, file), "utf8") }));
}

const errors = (findings: ReadonlyArray<Finding>): string[] =>
  findings.filter((finding) => finding.severity === "error").map(formatFinding);

/** The 0-based line indexes of the direct nested keys (`name {` or `name = {`) of `provider "<name>"` blocks. */
function providerNestedKeys(text: string, provider: string): number[] {
  const lines = text.split("\n");
  const found: number[] = [];
  let depth = 0;
  let inside = false;
  lines.forEach((line, index) => {
    if (depth === 0) inside = line === `provider "${provider}" {`;
    else if (inside && depth === 1 && /^\w+( =)? \{$/.test(line.trim())) found.push(index);
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
  });
  return found;
}

/** The line written the other way: `name {` <-> `name = {`. */
const flip = (line: string): string =>
  line.includes(" = {") ? line.replace(" = {", " {") : line.replace(" {", " = {");

/** `npm run validate -- --reference <empty> --out <out> --quiet`, in-process: its exit code and output. */
async function validateCommand(out: string): Promise<{ code: number; stdout: string }> {
  const empty = mkdtempSync(join(work, "reference-"));
  let stdout = "";
  const io = { stdout: (text: string) => void (stdout += text), stderr: () => undefined, env: {}, command: "validate" };
  return { code: await runValidateCommand(["--reference", empty, "--out", out, "--quiet"], io), stdout };
}

// The whole output through the command once (every .tf file parsed and merged as validate reads it); each
// config's stacks are compared with their JSON through the same merge in hcl-output.test.ts.
it("`npm run validate` passes the example's whole HCL output", async () => {
  expect(await validateCommand(fixtureHclOutdir("example"))).toEqual({
    code: 0,
    stdout: expect.stringMatching(/^validate passed/),
  });
});

describe.each<FixtureConfig>(["example", "all-options"])("cdktf synth --hcl of %s", (name) => {
  let outdir: string;
  let stacks: string[];

  beforeAll(() => {
    // The shared HCL synthesis (also read by hcl-output.test.ts); the tests below break copies, never it.
    outdir = fixtureHclOutdir(name);
    stacks = readdirSync(join(outdir, "stacks")).sort();
  });

  it("writes nested attributes as attributes and nested blocks as blocks in every stack", () => {
    const findings = validateHclNesting(outdir, providerSchemas);
    expect(errors(findings)).toEqual([]);
    const skipped = findings.filter((finding) => finding.severity === "skipped").map(formatFinding);
    // With the reference, only the tfe provider's types (Terraform Cloud; no schema in the reference) go unchecked.
    if (providerSchemas) expect(skipped.filter((line) => !line.includes("no schema for the tfe provider"))).toEqual([]);
    const helmBlocks = stacks.flatMap((stack) =>
      stackFiles(outdir, stack).flatMap((file) => file.text.match(/^provider "helm" \{\nkubernetes = \{$/gm) ?? []),
    );
    expect(helmBlocks.length).toBeGreaterThanOrEqual(4);
  });

  it("fails when the helm provider's kubernetes is written as a block (hashicorp/terraform-provider-helm#1637)", () => {
    const stack = stacks.find((candidate) => candidate.endsWith("-network"))!;
    const files = stackFiles(outdir, stack);
    const cdk = files.find((file) => file.name === "cdk.tf")!;
    const [line] = providerNestedKeys(cdk.text, "helm");
    const lines = cdk.text.split("\n");
    expect(lines[line]).toBe("kubernetes = {");
    lines[line] = "kubernetes {";
    const broken = files.map((file) => (file === cdk ? { ...file, text: lines.join("\n") } : file));
    const findings = checkHclNesting(stack, broken, new NestingSchemas(providerSchemas));
    expect(errors(findings)).toEqual([
      `${stack} cdk.tf:${line + 1} provider "helm": kubernetes: written as a block, the provider schema has a nested attribute (single): write kubernetes = { ... }`,
    ]);
  });

  it("is part of `npm run validate` for HCL output", async () => {
    const broken = join(work, `${name}-broken`);
    const stack = stacks.find((candidate) => candidate.endsWith("-operators"))!;
    // Only the stack that is broken: the command reads the stacks it finds (the whole output passes, above).
    cpSync(join(outdir, "stacks", stack), join(broken, "stacks", stack), { recursive: true });
    const file = join(broken, "stacks", stack, "cdk.tf");
    const text = readFileSync(file, "utf8");
    const line = providerNestedKeys(text, "helm")[0];
    writeFileSync(file, text.replace(/^(provider "helm" \{\n)kubernetes = \{$/m, "$1kubernetes {"));
    const result = await validateCommand(broken);
    expect(result.stdout).toContain(`${stack} cdk.tf:${line + 1} provider "helm": kubernetes: written as a block`);
    expect(result.code).toBe(1);
  });

  it("fails for every nested key of every provider block written the other way", () => {
    const schemas = new NestingSchemas(providerSchemas);
    let flipped = 0;
    for (const stack of stacks) {
      const files = stackFiles(outdir, stack);
      const cdk = files.find((file) => file.name === "cdk.tf")!;
      for (const provider of ["aws", "kubernetes", "helm"])
        for (const line of providerNestedKeys(cdk.text, provider)) {
          const lines = cdk.text.split("\n");
          lines[line] = flip(lines[line]);
          const broken = files.map((file) => (file === cdk ? { ...file, text: lines.join("\n") } : file));
          const found = errors(checkHclNesting(stack, broken, schemas));
          expect(found).toContainEqual(expect.stringContaining(`${stack} cdk.tf:${line + 1} provider "${provider}": `));
          flipped++;
        }
    }
    // default_tags (aws, every stack), kubernetes (helm, layer stacks), also exec or assume_role in all-options.
    expect(flipped).toBeGreaterThanOrEqual(name === "example" ? 7 : 20);
  });
});

it("derives provider configuration nesting for the provider versions the bindings wrap", () => {
  const stack = new TerraformStack(new App(), "versions");
  const providers = [
    new AwsProvider(stack, "aws"),
    new HelmProvider(stack, "helm"),
    new KubernetesProvider(stack, "k8s"),
  ];
  const pinned = Object.fromEntries(
    providers.map((provider) => [provider.terraformResourceType, provider.terraformGeneratorMetadata?.providerVersion]),
  );
  const tables = Object.fromEntries(
    Object.entries(PROVIDER_CONFIG_NESTING).map(([name, table]) => [name, table.version]),
  );
  // A bump of an @cdktf/provider-* package: derive the new version's nesting from its source (modules/hcl/nesting.ts).
  expect(tables).toEqual(pinned);
});

describe("helm nested attributes the platform does not set yet", () => {
  let outdir: string;
  const build = (app: App): void => {
    const stack = new TerraformStack(app, "helm-nesting");
    new HelmProvider(stack, "helm", {
      kubernetes: { host: "https://example", exec: { apiVersion: "v1", command: "aws", args: ["eks", "get-token"] } },
      registries: [{ url: "oci://registry.example", username: "u", password: "p" }],
      experiments: { manifest: true },
    });
    new Release(stack, "release", {
      name: "r",
      chart: "c",
      set: [
        { name: "a", value: "1" },
        { name: 'b."c"', value: "${x}", type: "string" },
      ],
      setSensitive: [{ name: "secret", value: "s" }],
      setList: [{ name: "list", value: ["x", "y"] }],
      postrender: { binaryPath: "./post", args: ["--flag"] },
      timeouts: { create: "10m" },
    });
    new DataHelmTemplate(stack, "template", { name: "t", chart: "c", set: [{ name: "a", value: "b" }] });
  };

  beforeAll(() => {
    outdir = synthHcl("helm-nesting", build);
  });

  it("writes them as attributes, with the values of the JSON output", async () => {
    const files = stackFiles(outdir, "helm-nesting");
    const cdk = files.find((file) => file.name === "cdk.tf")!.text;
    for (const key of ["kubernetes = {", "exec = {", "registries = [", "experiments = {"])
      expect(cdk).toContain(`\n${key}\n`);
    for (const key of ["set = [", "set_sensitive = [", "set_list = [", "postrender = {", "timeouts = {"])
      expect(cdk).toContain(`\n${key}\n`);
    const findings = checkHclNesting("helm-nesting", files, new NestingSchemas(providerSchemas));
    expect(errors(findings)).toEqual([]);
    const read = (await parse("cdk.tf", cdk)) as {
      provider: { helm: Array<Record<string, unknown>> };
      resource: { helm_release: { release: Array<Record<string, unknown>> } };
    };
    expect(read.provider.helm[0].kubernetes).toEqual({
      host: "https://example",
      exec: { api_version: "v1", command: "aws", args: ["eks", "get-token"] },
    });
    expect(read.provider.helm[0].registries).toEqual([{ url: "oci://registry.example", username: "u", password: "p" }]);
    const [release] = read.resource.helm_release.release;
    expect(release.set).toEqual([
      { name: "a", value: "1" },
      { name: 'b."c"', value: "${x}", type: "string" },
    ]);
    expect(release.set_list).toEqual([{ name: "list", value: ["x", "y"] }]);
    expect(release.postrender).toEqual({ binary_path: "./post", args: ["--flag"] });
    expect(release.timeouts).toEqual({ create: "10m" });
  });
});
