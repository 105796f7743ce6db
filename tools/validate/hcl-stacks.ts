import * as fs from "node:fs";
import * as path from "node:path";
import { isObject, type JsonObject, type StackJson } from "../../modules/terraform-json";

/**
 * Reads a stack synthesized with `cdktf synth --hcl` (`cdk.tf` plus the files beside it: removed.tf,
 * ephemeral.tf, versions.tf) into the shape of `cdk.tf.json`, so every check of the validator applies to HCL
 * output too. HashiCorp's HCL parser (@cdktf/hcl2json, the one cdktf uses) returns each block as a list of one
 * object: top-level blocks are unwrapped; nested blocks stay lists, which Terraform's JSON syntax (and the
 * provider-schema check) accepts for blocks of any nesting mode. References come back as `${...}`, as in JSON.
 * That shape cannot tell `name { ... }` from `name = { ... }`, which Terraform can refuse either way: the
 * nesting check (hcl-nesting.ts) reads the syntax itself.
 */

type Parse = (fileName: string, text: string) => Promise<Record<string, unknown>>;

async function parser(): Promise<Parse> {
  try {
    const module = (await import("@cdktf/hcl2json")) as { parse: Parse };
    return module.parse;
  } catch {
    throw new Error(
      "reading HCL output needs @cdktf/hcl2json (a dev dependency of this project): run `npm ci`, or synthesize JSON",
    );
  }
}

/** `{ type: { name: [body] } }` -> `{ type: { name: body } }` (resource, data, ephemeral). */
function unwrapLabelled(blocks: unknown): JsonObject {
  const out: Record<string, unknown> = {};
  for (const [type, byName] of Object.entries(isObject(blocks) ? blocks : {})) {
    out[type] = Object.fromEntries(
      Object.entries(isObject(byName) ? byName : {}).map(([name, body]) => [
        name,
        Array.isArray(body) && body.length === 1 ? body[0] : body,
      ]),
    );
  }
  return out;
}

/** Several `terraform` (or `locals`) blocks, across files, are one for Terraform. */
function mergeBlocks(blocks: unknown): JsonObject {
  return Object.assign({}, ...(Array.isArray(blocks) ? blocks : [blocks]).filter(isObject));
}

/**
 * The `terraform` block's nested blocks (`backend "s3" { }`, `cloud { workspaces { } }`, `required_providers`)
 * come back from the HCL parser as lists of one object; cdk.tf.json has the object (`backend.s3.bucket`).
 */
function unwrapNestedBlocks(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 1 && isObject(value[0]) ? unwrapNestedBlocks(value[0]) : value;
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, unwrapNestedBlocks(inner)]));
}

function merge(into: Record<string, unknown>, parsed: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(parsed)) {
    if (key === "terraform")
      into[key] = {
        ...(isObject(into[key]) ? into[key] : {}),
        ...(unwrapNestedBlocks(mergeBlocks(value)) as JsonObject),
      };
    else if (key === "locals") into[key] = { ...(isObject(into[key]) ? into[key] : {}), ...mergeBlocks(value) };
    else if (key === "resource" || key === "data" || key === "ephemeral") {
      const existing = isObject(into[key]) ? (into[key] as Record<string, Record<string, unknown>>) : {};
      for (const [type, byName] of Object.entries(unwrapLabelled(value)))
        existing[type] = { ...existing[type], ...(byName as Record<string, unknown>) };
      into[key] = existing;
    } else if (key === "output" || key === "variable")
      into[key] = {
        ...(isObject(into[key]) ? into[key] : {}),
        ...Object.fromEntries(
          Object.entries(isObject(value) ? value : {}).map(([name, body]) => [
            name,
            Array.isArray(body) && body.length === 1 ? body[0] : body,
          ]),
        ),
      };
    else if (key === "removed" || key === "moved")
      into[key] = [
        ...(Array.isArray(into[key]) ? (into[key] as unknown[]) : []),
        ...(Array.isArray(value) ? value : [value]),
      ];
    else into[key] = value; // provider: { name: [config, ...] } is already the JSON shape
  }
}

/** The stack in a directory with `.tf` files, in cdk.tf.json's shape. */
export async function readHclStack(directory: string): Promise<StackJson> {
  const parse = await parser();
  const files: Array<Record<string, unknown>> = [];
  for (const file of fs
    .readdirSync(directory)
    .filter((name) => name.endsWith(".tf"))
    .sort()) {
    const full = path.join(directory, file);
    try {
      files.push(await parse(file, fs.readFileSync(full, "utf8")));
    } catch (error) {
      throw new Error(`Cannot parse ${full}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return stackFromParsedFiles(files);
}

/** A stack's `.tf` files as hcl2json parsed them (in file-name order), merged into cdk.tf.json's shape. */
export function stackFromParsedFiles(files: ReadonlyArray<Record<string, unknown>>): StackJson {
  const stack: Record<string, unknown> = {};
  for (const parsed of files) merge(stack, parsed);
  return stack;
}
