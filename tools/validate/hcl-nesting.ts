import * as fs from "node:fs";
import * as path from "node:path";
import type { NestedAttributeNesting, NestedBlockNesting, Nesting } from "../../modules/hcl/nesting";
import { HclSyntaxError, parseHcl, type HclAttribute, type HclBlock, type HclItem } from "./hcl-syntax";
import { NestingSchemas, type BodyMode } from "./nesting-schemas";
import type { ProviderSchemas } from "./provider-schema";
import { FindingSink, type Finding } from "./report";

/**
 * The HCL nesting check: in the `.tf` files of `cdktf synth --hcl`, every nested attribute must be written as an
 * attribute (`kubernetes = { ... }`) and every nested block as a block (`exec { ... }`), by the nesting modes of
 * the provider schemas (nesting-schemas.ts). Terraform refuses the other form, and a reader that answers in JSON
 * (@cdktf/hcl2json, hcl-stacks.ts) cannot see it; this one reads the syntax (hcl-syntax.ts). Walks every
 * provider, resource, data and ephemeral block, nested blocks included. Keys and types without a schema are
 * reported as skipped. Findings: `<stack> <file>:<line> <block>: <path>: <problem>`, check `provider-schema`.
 */

export interface HclFile {
  readonly name: string;
  readonly text: string;
}

const CHECK = "provider-schema";
const PROVIDER_META = new Set(["alias", "version"]);
const RESOURCE_META = new Set([
  "count",
  "for_each",
  "depends_on",
  "provider",
  "lifecycle",
  "provisioner",
  "connection",
]);
const MODES = new Set<string>(["provider", "resource", "data", "ephemeral"]);

type Kind =
  | { readonly kind: "attribute" }
  | { readonly kind: "nested"; readonly nested: NestedAttributeNesting }
  | { readonly kind: "block"; readonly block: NestedBlockNesting }
  | { readonly kind: "either"; readonly element: Nesting };

function kindOf(nesting: Nesting, name: string): Kind | undefined {
  const nested = nesting.nestedAttributes?.[name];
  if (nested) return { kind: "nested", nested };
  const block = nesting.blocks?.[name];
  if (block) return { kind: "block", block };
  const element = nesting.attributesAsBlocks?.[name];
  if (element) return { kind: "either", element };
  if (nesting.attributes?.includes(name) || nesting.otherAttributes) return { kind: "attribute" };
  return undefined;
}

const asAttribute = (name: string, nested: NestedAttributeNesting): string =>
  nested.nesting === "list" || nested.nesting === "set"
    ? `${name} = [{ ... }]`
    : nested.nesting === "map"
      ? `${name} = { key = { ... } }`
      : `${name} = { ... }`;

const asBlock = (name: string, block: NestedBlockNesting): string =>
  block.nesting === "map" ? `${name} "key" { ... }` : `${name} { ... }`;

/** One top-level block's walk: where findings go and how they name the place. */
interface Walk {
  readonly sink: FindingSink;
  readonly stack: string;
  readonly file: string;
  readonly block: string;
  readonly schemaName: string;
}

/** How a finding names what the schema has for a key that is not a block. */
const attributeKind = (kind: Kind): string =>
  kind.kind === "nested" ? `a nested attribute (${kind.nested.nesting})` : "an attribute";

/** What is wrong with a key written `name = value`, if anything. */
function attributeProblem(item: HclAttribute, kind: Kind, schema: string): string | undefined {
  if (kind.kind === "block")
    return `written as an attribute, ${schema} has a nested block (${kind.block.nesting}): write ${asBlock(item.name, kind.block)}`;
  if (kind.kind !== "nested") return undefined;
  // An object constructor for a list, or a tuple for an object; any other expression is not judged here.
  const list = kind.nested.nesting === "list" || kind.nested.nesting === "set";
  const literal = item.valueStart === "{" ? "an object" : item.valueStart === "[" ? "a tuple" : undefined;
  if (!literal || (item.valueStart === "[") === list) return undefined;
  return `written as ${literal}, ${schema} has ${attributeKind(kind)}: write ${asAttribute(item.name, kind.nested)}`;
}

function checkBody(items: ReadonlyArray<HclItem>, nesting: Nesting, prefix: string, walk: Walk, meta?: Set<string>) {
  const report = (severity: "error" | "skipped", item: HclItem, at: string, problem: string): void =>
    walk.sink.add(walk.stack, `${walk.file}:${item.line} ${walk.block}`, severity, CHECK, `${at}: ${problem}`);
  for (const item of items) {
    if (meta?.has(item.name)) continue;
    const at = prefix ? `${prefix}.${item.name}` : item.name;
    if (item.kind === "block" && item.name === "dynamic" && !kindOf(nesting, "dynamic")) {
      checkDynamic(item, nesting, prefix, walk, report);
      continue;
    }
    const kind = kindOf(nesting, item.name);
    if (!kind) report("skipped", item, at, `not in ${walk.schemaName}; its nesting was not checked`);
    else if (item.kind === "attribute") {
      const problem = attributeProblem(item, kind, walk.schemaName);
      if (problem) report("error", item, at, problem);
    } else if (kind.kind === "block" || kind.kind === "either")
      checkBody(item.body, kind.kind === "block" ? kind.block.block : kind.element, at, walk);
    else {
      const write = kind.kind === "nested" ? asAttribute(item.name, kind.nested) : `${item.name} = ...`;
      report("error", item, at, `written as a block, ${walk.schemaName} has ${attributeKind(kind)}: write ${write}`);
      if (kind.kind === "nested") checkBody(item.body, kind.nested.attributes, at, walk);
    }
  }
}

/**
 * `dynamic "<name>" { for_each = ... content { ... } }` generates `<name>` blocks: for a nested block, or an
 * attribute Terraform accepts as blocks; never for a nested attribute.
 */
function checkDynamic(
  item: HclBlock,
  nesting: Nesting,
  prefix: string,
  walk: Walk,
  report: (severity: "error" | "skipped", item: HclItem, at: string, problem: string) => void,
): void {
  const name = item.labels[0] ?? "";
  const at = prefix ? `${prefix}.${name}` : name;
  const kind = kindOf(nesting, name);
  if (!kind) report("skipped", item, at, `dynamic block not in ${walk.schemaName}; its nesting was not checked`);
  else if (kind.kind === "nested" || kind.kind === "attribute")
    report(
      "error",
      item,
      at,
      `a dynamic block, ${walk.schemaName} has ${attributeKind(kind)}: write ${name} = [for ...]`,
    );
  else {
    const content = item.body.find((inner): inner is HclBlock => inner.kind === "block" && inner.name === "content");
    if (content) checkBody(content.body, kind.kind === "block" ? kind.block.block : kind.element, at, walk);
  }
}

/**
 * Checks one stack's `.tf` files into `sink` and returns the sink's findings. Types without a schema are reported
 * as skipped once per stack (per provider when it has no schema at all).
 */
export function checkHclNesting(
  stack: string,
  files: ReadonlyArray<HclFile>,
  schemas: NestingSchemas,
  sink = new FindingSink(),
): Finding[] {
  const unknown = new Map<string, { file: string; line: number; count: number }>();
  for (const file of files) {
    let items: HclItem[];
    try {
      items = parseHcl(file.text);
    } catch (error) {
      if (!(error instanceof HclSyntaxError)) throw error;
      sink.error(stack, `${file.name}:${error.line}`, CHECK, `cannot read the HCL: ${error.message}`);
      continue;
    }
    for (const item of items) {
      if (item.kind !== "block" || !MODES.has(item.name)) continue;
      const mode = item.name as BodyMode;
      const [type = "", name] = item.labels;
      const block = mode === "provider" ? `provider "${type}"` : `${mode} "${type}" "${name ?? ""}"`;
      const found = schemas.get(mode, type);
      if (!found) {
        // Per type when the provider's schemas are known, else one line per provider and stack (tfe).
        const provider = mode === "provider" ? type : type.split("_")[0];
        const key = schemas.hasTypeSchemas(provider) ? `${mode} "${type}"` : `the ${provider} provider`;
        const seen = unknown.get(key) ?? { file: file.name, line: item.line, count: 0 };
        unknown.set(key, { ...seen, count: seen.count + 1 });
        continue;
      }
      const walk: Walk = { sink, stack, file: file.name, block, schemaName: found.schemaName };
      checkBody(item.body, found.nesting, "", walk, mode === "provider" ? PROVIDER_META : RESOURCE_META);
    }
  }
  for (const [key, { file, line, count }] of unknown)
    sink.skipped(stack, `${file}:${line}`, CHECK, `no schema for ${key}: the nesting of ${count} block(s) not checked`);
  return sink.findings;
}

/**
 * The nesting check over every HCL stack under a cdktf output directory (`stacks/<name>/*.tf`, as `loadStacks`
 * reads them: a stack with `cdk.tf.json` is JSON output and is skipped). No HCL stacks, no findings.
 */
export function validateHclNesting(outDir: string, providerSchemas?: ProviderSchemas): Finding[] {
  const stacksDir = path.join(outDir, "stacks");
  if (!fs.existsSync(stacksDir)) return [];
  const schemas = new NestingSchemas(providerSchemas);
  const sink = new FindingSink();
  for (const name of fs.readdirSync(stacksDir).sort()) {
    const directory = path.join(stacksDir, name);
    if (fs.existsSync(path.join(directory, "cdk.tf.json")) || !fs.existsSync(path.join(directory, "cdk.tf"))) continue;
    const files = fs
      .readdirSync(directory)
      .filter((file) => file.endsWith(".tf"))
      .sort()
      .map((file) => ({ name: file, text: fs.readFileSync(path.join(directory, file), "utf8") }));
    checkHclNesting(name, files, schemas, sink);
  }
  return sink.findings;
}
