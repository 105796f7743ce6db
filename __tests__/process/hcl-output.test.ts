import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";
import { App, DataResource, Fn, LocalBackend, TerraformLocal, TerraformOutput, TerraformStack } from "cdktf";
import { resourcesAndDataSources } from "../../modules/terraform-json";
import { stackFromParsedFiles } from "../../tools/validate/hcl-stacks";
import { needsHclEscaping } from "../../modules/hcl/template";
import { synthesizeInto } from "../helpers/hcl-synth";
import { fixtureHclOutdir, fixtureOutdir, type FixtureConfig } from "../helpers/fixtures";

/**
 * `cdktf synth --hcl` must write HCL that Terraform parses and that means what the JSON output (`cdk.tf.json`)
 * means. Each config is synthesized twice in-process, once as JSON and once as HCL (the shared fixture syntheses,
 * which the nesting test reads too); then (a) `terraform fmt` parses every `.tf` file, and (b) every value of every block, read back from the HCL by HashiCorp's own HCL
 * parser (@cdktf/hcl2json, which writes templates back in JSON syntax), equals the JSON's. Strings with
 * references (IAM policies, Helm values) are where cdktf's renderer went wrong; they are counted to prove that
 * (b) covers them. A last stack of nasty strings is applied by Terraform itself from both outputs (built-in
 * `terraform_data` only, nothing to download) and the outputs compared.
 */

const TERRAFORM = process.env.TERRAFORM ?? "terraform";
const terraformEnv = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
const work = mkdtempSync(join(tmpdir(), "hcl-output-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function terraform(args: string[], options: { cwd?: string; input?: string } = {}) {
  const result = spawnSync(TERRAFORM, ["-chdir=" + (options.cwd ?? "."), ...args], {
    encoding: "utf8",
    env: terraformEnv,
    input: options.input,
    timeout: 60_000,
  });
  if (result.error) {
    throw new Error(
      `could not run \`${TERRAFORM}\` (${result.error.message}): this suite needs Terraform >= 1.7 on PATH (or $TERRAFORM) to parse cdk.tf; CI has it`,
    );
  }
  return result;
}

const synth = synthesizeInto;

interface SynthesizedStack {
  readonly name: string;
  readonly hclDir: string;
  readonly tfFiles: ReadonlyArray<string>;
  readonly json: Record<string, unknown>;
  /** Every .tf file of the stack, parsed and merged (cdk.tf, removed.tf, ephemeral.tf, versions.tf). */
  readonly hcl: Record<string, unknown>;
  /** Each .tf file as hcl2json parsed it, in file-name order (read once, for both views of the HCL). */
  readonly parsedFiles: ReadonlyArray<Record<string, unknown>>;
  readonly hclParseErrors: string[];
}

async function synthBoth(name: string, build: (app: App) => void): Promise<SynthesizedStack[]> {
  const jsonOut = join(work, name, "json");
  const hclOut = join(work, name, "hcl");
  synth(jsonOut, false, build);
  synth(hclOut, true, build);
  return readBoth(jsonOut, hclOut);
}

async function readBoth(jsonOut: string, hclOut: string): Promise<SynthesizedStack[]> {
  return Promise.all(
    readdirSync(join(hclOut, "stacks"))
      .sort()
      .map(async (stack) => {
        const hclDir = join(hclOut, "stacks", stack);
        const tfFiles = readdirSync(hclDir)
          .filter((file) => file.endsWith(".tf"))
          .sort();
        const hcl: Record<string, unknown> = {};
        const hclParseErrors: string[] = [];
        const parsedFiles: Array<Record<string, unknown>> = [];
        for (const file of tfFiles) {
          const parsed = await parse(file, readFileSync(join(hclDir, file), "utf8")).catch(
            (error: Error) => void hclParseErrors.push(`${stack}/${file}: ${error.message}`),
          );
          if (parsed) parsedFiles.push(structuredClone(parsed));
          for (const [key, value] of Object.entries(parsed ?? {})) {
            const known = hcl[key];
            // Terraform merges several `terraform` blocks (cdk.tf's and versions.tf's): so does the comparison.
            if (key === "terraform" && Array.isArray(known) && Array.isArray(value))
              hcl[key] = [{ ...known[0], ...value[0] }];
            else hcl[key] = key in hcl && isObject(known) && isObject(value) ? { ...known, ...value } : value;
          }
        }
        const json = JSON.parse(readFileSync(join(jsonOut, "stacks", stack, "cdk.tf.json"), "utf8")) as Record<
          string,
          unknown
        >;
        return { name: stack, hclDir, tfFiles, json, hcl, hclParseErrors, parsedFiles };
      }),
  );
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Keys whose strings are references: bare in HCL (hcl2json writes `${x}`), plain in JSON. */
const REFERENCE_KEYS = new Set(["depends_on", "provider", "from", "to"]);
const unwrapReference = (value: unknown): unknown =>
  typeof value === "string" ? value.replace(/^\$\{([^{}]*)\}$/, "$1") : value;

interface Comparison {
  readonly differences: string[];
  /** The strings cdktf's own renderer writes wrongly (and which compared equal), by path. */
  readonly escaped: Array<{ readonly path: string; readonly value: string }>;
}

/**
 * Compares a stack's JSON with its HCL as hcl2json reads it: a block comes back as a list of one object (the JSON
 * has the object), everything else as in the JSON. "//" (cdktf metadata) has no HCL counterpart.
 */
function compare(
  json: unknown,
  hcl: unknown,
  path = "",
  result: Comparison = { differences: [], escaped: [] },
  referenceKey = false,
): Comparison {
  if (Array.isArray(hcl) && hcl.length === 1 && isObject(json)) hcl = hcl[0];
  if (Array.isArray(json)) {
    if (!Array.isArray(hcl) || hcl.length !== json.length)
      result.differences.push(`${path}: ${show(json)} in JSON, ${show(hcl)} in HCL`);
    else json.forEach((item, index) => compare(item, hcl[index], `${path}[${index}]`, result, referenceKey));
  } else if (isObject(json)) {
    if (!isObject(hcl)) result.differences.push(`${path}: ${show(json)} in JSON, ${show(hcl)} in HCL`);
    else {
      for (const key of Object.keys(json))
        if (key !== "//") compare(json[key], hcl[key], `${path}.${key}`, result, REFERENCE_KEYS.has(key));
      for (const key of Object.keys(hcl))
        if (!(key in json) && !isEmptyBlock(hcl[key])) result.differences.push(`${path}.${key}: only in HCL`);
    }
  } else {
    const [left, right] = referenceKey
      ? [unwrapReference(json), unwrapReference(hcl)]
      : [canonicalDirectives(json), canonicalDirectives(hcl)];
    if (left !== right) result.differences.push(`${path}: ${show(json)} in JSON, ${show(hcl)} in HCL`);
    else if (typeof json === "string" && needsHclEscaping(json)) result.escaped.push({ path, value: json });
  }
  return result;
}

/** cdktf always writes `required_providers {}`, also when the JSON has none. */
const isEmptyBlock = (value: unknown): boolean =>
  Array.isArray(value) && value.length === 1 && isObject(value[0]) && Object.keys(value[0]).length === 0;

/** hcl2json writes a directive back without the spaces inside: `%{ if x }` becomes `%{if x}`. */
const canonicalDirectives = (value: unknown): unknown =>
  typeof value === "string" && value.includes("%{")
    ? value.replace(/(?<!%)%\{(~?)\s*([^}]*?)\s*(~?)\}/g, "%{$1$2$3}")
    : value;

const show = (value: unknown): string => JSON.stringify(value)?.slice(0, 300) ?? "undefined";

/**
 * `terraform fmt -check` parses every .tf file under the directories: exit 2 and a diagnostic naming the file when
 * one does not parse; exit 3 only lists files whose formatting differs, which is fine. One run for all stacks.
 */
function parseProblems(directories: ReadonlyArray<string>): string | undefined {
  const result = terraform(["fmt", "-check", "-list=false", "-no-color", "-recursive", ...directories]);
  if (result.status === 0 || result.status === 3) return undefined;
  return `terraform fmt exited ${result.status}:\n${result.stderr.replace(/There are some problems with the CLI configuration:[\s\S]*?╵\n/g, "")}`;
}

describe.each<FixtureConfig>(["example", "all-options"])("cdktf synth --hcl of %s", (name) => {
  let stacks: SynthesizedStack[];

  beforeAll(async () => {
    stacks = await readBoth(fixtureOutdir(name), fixtureHclOutdir(name));
  });

  // The same parse as below, merged as `npm run validate` merges it (readHclStack's own reading of a directory is
  // hcl-nesting.test.ts's, through the command).
  it("is read by `npm run validate` as the same stacks as the JSON (tools/validate/hcl-stacks.ts)", () => {
    for (const stack of stacks) {
      expect(stack.hclParseErrors).toEqual([]);
      const read = stackFromParsedFiles(stack.parsedFiles);
      expect(resourcesAndDataSources(read).map((block) => block.address)).toEqual(
        resourcesAndDataSources(stack.json).map((block) => block.address),
      );
      expect(compare(stack.json, read, stack.name).differences).toEqual([]);
      // The validator reads settings by their JSON paths (terraform.backend.s3.bucket): the same shape, exactly.
      const { backend } = (read.terraform ?? {}) as Record<string, unknown>;
      expect([stack.name, backend]).toEqual([stack.name, (stack.json.terraform as Record<string, unknown>).backend]);
    }
  });

  it("writes .tf files Terraform parses", () => {
    expect(stacks.length).toBeGreaterThanOrEqual(4);
    expect(stacks.flatMap((stack) => stack.tfFiles)).toContain("cdk.tf");
    expect(parseProblems(stacks.map((stack) => stack.hclDir))).toBeUndefined();
  });

  it("means what the JSON means, references in JSON strings included", () => {
    expect(stacks.flatMap((stack) => stack.hclParseErrors)).toEqual([]);
    const comparisons = stacks.map((stack) => ({ stack: stack.name, ...compare(stack.json, stack.hcl, stack.name) }));
    expect(comparisons.flatMap((comparison) => comparison.differences)).toEqual([]);
    // What cdktf broke: JSON strings with references in them (IAM policies and trusts, Helm values) were compared.
    const withReferences = comparisons.flatMap((comparison) =>
      comparison.escaped.filter((string) => string.value.includes('"${')),
    );
    const paths = withReferences.map((string) => string.path);
    for (const foundation of comparisons
      .filter((comparison) => comparison.stack.endsWith("-foundation"))
      .map((comparison) => comparison.stack)) {
      expect(paths).toContainEqual(
        expect.stringMatching(new RegExp(`^${foundation}\\.resource\\.aws_iam_policy\\..+\\.policy$`)),
      );
      expect(paths).toContainEqual(
        expect.stringMatching(new RegExp(`^${foundation}\\.resource\\.aws_iam_role\\..+\\.assume_role_policy$`)),
      );
    }
    expect(paths).toContainEqual(expect.stringMatching(/-network\.resource\.helm_release\..+\.values\[0\]$/));
  });
});

describe("strings cdktf's renderer gets wrong, applied by Terraform from both outputs", () => {
  let stack: SynthesizedStack;
  let outputs: { json: unknown; hcl: unknown };

  const build = (app: App): void => {
    const scope = new TerraformStack(app, "strings");
    // Each output's own state, in its stack directory: cdktf's default is terraform.strings.tfstate in the working
    // directory (the checkout), where the JSON's apply left state for the HCL's apply to start from.
    new LocalBackend(scope, { path: "terraform.tfstate" });
    const arn = new DataResource(scope, "seed", {
      input: { arn: 'arn:aws:iam::111111111111:role/say-"hi"' },
    }).getStringAttribute("output.arn");
    const strings: Record<string, string> = {
      policy: JSON.stringify({
        Statement: [{ Resource: arn, Condition: { StringEquals: { [`${arn}:sub`]: "system:serviceaccount:a:b" } } }],
      }),
      // String literals inside an interpolation are HCL expressions: "a", never \"a\" (cdktf escapes nothing in
      // function arguments, in JSON either: quotes or backslashes there are the caller's to avoid).
      jsonencode: Fn.jsonencode({ arn, list: ["a", "b"] }),
      format: Fn.format(Fn.rawString("%s is 100%% ${x} {}"), [arn]),
      backslashes: `C:\\dir\\${arn}\\n\\"`,
      yaml: `a: 1\nb: "${arn}"\nc: 'x\\y'\n`,
      noTrailingNewline: `a: 1\nb: ${arn}`,
      crlf: "line1\r\nline2\r\n",
      marker: "x\nEOT\n  EOT\nEOT1\ny\n",
      controls: "tab\there\u0001",
      unicode: "ünïcødé ✓ 日本",
      literalSequences: 'cost: $${price} %%{ if x } "q"',
      directive: '%{ if "a" == "a" }yes "quoted"%{ endif }',
      number: "8080",
      negative: "-1",
      object: '{"a":1}',
      array: "[1, 2]",
      empty: "",
    };
    const typed = new DataResource(scope, "strings", { input: strings });
    const keys = new DataResource(scope, "keys", {
      input: { 'we"ird': "a", "back\\slash": "b", "a.b/c": "c", [`${arn}:sub`]: "d" },
    });
    new TerraformLocal(scope, "policy", strings.policy);
    new TerraformOutput(scope, "strings_output", {
      value: typed.getAnyMapAttribute("output"),
      description: 'what "input" was,\nback\\slashes included',
    });
    new TerraformOutput(scope, "keys_output", { value: keys.getAnyMapAttribute("output") });
    for (const [key, value] of Object.entries(strings)) new TerraformOutput(scope, `direct_${key}`, { value });
  };

  beforeAll(async () => {
    [stack] = await synthBoth("strings", build);
    /** `terraform output -json` after applying the stack, or why that failed. */
    const apply = (dir: string): unknown => {
      for (const args of [
        ["init", "-no-color"],
        ["apply", "-auto-approve", "-no-color"],
      ]) {
        const result = terraform(args, { cwd: dir });
        if (result.status !== 0) return `terraform ${args[0]} failed:\n${result.stdout}\n${result.stderr}`;
      }
      return JSON.parse(terraform(["output", "-json"], { cwd: dir }).stdout);
    };
    outputs = { json: apply(join(work, "strings", "json", "stacks", "strings")), hcl: apply(stack.hclDir) };
  }, 60_000);

  it("parses, and reads back as the JSON", () => {
    expect(stack.tfFiles).toContain("cdk.tf");
    expect(parseProblems([stack.hclDir])).toBeUndefined();
    expect(stack.hclParseErrors).toEqual([]);
    expect(compare(stack.json, stack.hcl, stack.name).differences).toEqual([]);
  });

  it("evaluates to the same values", () => {
    expect(typeof outputs.json).toBe("object");
    expect(outputs.hcl).toEqual(outputs.json);
    const values = outputs.json as Record<string, { value: unknown }>;
    expect(values.direct_number.value).toBe("8080");
    expect(values.direct_yaml.value).toBe(`a: 1\nb: "arn:aws:iam::111111111111:role/say-"hi""\nc: 'x\\y'\n`);
    expect(values.direct_literalSequences.value).toBe('cost: ${price} %{ if x } "q"');
  });
});
