import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ADDONS } from "../addons/catalog";
import { addonOverrideSchema, environmentSchema } from "../config/schema";

/**
 * `docs/config-reference.md`, generated from the config schema itself (zod → JSON Schema): every key with its type,
 * default and allowed values, so the reference cannot drift from what the loader accepts. Descriptions come from
 * the schema's `.describe()`/`.meta()` where given, else from the JSDoc comment above the field in
 * `modules/config/*schema*.ts` (matched by field name and enclosing field).
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
};

export interface ReferenceRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly defaultValue?: unknown;
  readonly description: string;
}

const SCHEMA_FILES = ["schema.ts", "cluster-schema.ts", "layer-schema.ts"];

/** `{ "parent.key": text }` from the JSDoc comments of the schema sources (parent: the enclosing field or constant). */
export function jsdocDescriptions(sourceDir: string): Map<string, string> {
  const byKey = new Map<string, string>();
  const sources = SCHEMA_FILES.map((file) => readFileSync(join(sourceDir, file), "utf8"));
  // Which field a named schema constant is used under (`cluster: clusterSchema`, `principals: z.array(accessPrincipal)`).
  const usedUnder = new Map<string, string>();
  for (const source of sources) for (const match of source.matchAll(/^\s*(\w+): (?:z\.array\()?(\w+)[.,)]/gm)) if (!match[2].startsWith("z")) usedUnder.set(match[2], match[1]);
  for (const source of sources) {
    const lines = source.split("\n");
    lines.forEach((line, index) => {
      const comment = line.match(/^(\s*)\/\*\*\s*(.+?)\s*\*\/\s*$/);
      const field = lines[index + 1]?.match(/^(\s*)(\w+): /);
      if (!comment || !field) return;
      const indent = field[1].length;
      let parent: string | undefined;
      for (let back = index - 1; back >= 0 && parent === undefined; back--) {
        const owner = lines[back].match(/^(\s*)(?:export )?(?:const )?(\w+)(?::| =) /);
        if (owner && owner[1].length < indent) parent = lines[back].includes("const ") ? usedUnder.get(owner[2]) ?? owner[2] : owner[2];
      }
      const text = comment[2];
      if (parent) byKey.set(`${parent}.${field[2]}`, text);
    });
  }
  return byKey;
}

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((value) => `\`${String(value)}\``).join(" | ");
  const tagged = schema.oneOf?.map((variant) => Object.entries(variant.properties ?? {}).find(([, value]) => value.const !== undefined));
  if (tagged?.every(Boolean)) return `one of ${tagged.map((tag) => `\`${tag![0]}: ${String(tag![1].const)}\``).join(", ")} (below)`;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(typeOf).join(" or ");
  const type = Array.isArray(schema.type) ? schema.type.join(" or ") : schema.type ?? "any";
  if (type === "array") return `list of ${schema.items ? typeOf(schema.items) : "any"}${schema.minItems ? ` (at least ${schema.minItems})` : ""}`;
  if (type === "object" && !schema.properties && typeof schema.additionalProperties === "object") return `map of ${typeOf(schema.additionalProperties)}`;
  const limits = [
    schema.pattern ? `matching \`${schema.pattern}\`` : "",
    schema.format ? schema.format : "",
    schema.minimum !== undefined || schema.maximum !== undefined ? `${schema.minimum ?? ""}..${schema.maximum === Number.MAX_SAFE_INTEGER ? "" : schema.maximum ?? ""}` : "",
    schema.minLength !== undefined || schema.maxLength !== undefined ? `length ${schema.minLength ?? 0}..${schema.maxLength ?? ""}` : "",
  ].filter(Boolean);
  return limits.length > 0 ? `${type} (${limits.join(", ")})` : type;
}

/** Rows for every key under `schema`, depth first, in schema order. */
export function referenceRows(schema: JsonSchema, descriptions: Map<string, string>, prefix = "", parentKey = ""): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  const describe = (key: string, child: JsonSchema) => child.description ?? descriptions.get(`${parentKey}.${key}`) ?? "";
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    const element = child.type === "array" && child.items?.properties ? child.items : undefined;
    const nested = child.properties ? child : element;
    rows.push({ path, type: nested && !element ? "object" : typeOf(child), required: schema.required?.includes(key) ?? false, defaultValue: child.default, description: describe(key, child) });
    if (nested) rows.push(...referenceRows(nested, descriptions, element ? `${path}[]` : path, key));
    for (const variant of child.oneOf ?? []) {
      const tag = Object.entries(variant.properties ?? {}).find(([, value]) => value.const !== undefined);
      const label = tag ? `${path} (${tag[0]}: ${String(tag[1].const)})` : path;
      rows.push(...referenceRows({ ...variant, properties: Object.fromEntries(Object.entries(variant.properties ?? {}).filter(([name]) => name !== tag?.[0])) }, descriptions, label, key));
    }
  }
  return rows;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const defaultText = (value: unknown) => (value === undefined ? "" : `\`${JSON.stringify(value)}\``);

function table(rows: ReadonlyArray<ReferenceRow>): string {
  return [
    "| key | type | default | description |",
    "|---|---|---|---|",
    ...rows.map((row) => `| \`${row.path}\`${row.required ? " **(required)**" : ""} | ${cell(row.type)} | ${cell(defaultText(row.defaultValue))} | ${cell(row.description)} |`),
  ].join("\n");
}

export function configReferenceMarkdown(sourceDir: string): string {
  const descriptions = jsdocDescriptions(sourceDir);
  const options = { io: "input", unrepresentable: "any", target: "draft-2020-12" } as const;
  const environment = z.toJSONSchema(environmentSchema, options) as JsonSchema;
  const { addons: _addons, ...environmentProperties } = environment.properties ?? {};
  const environmentRows = referenceRows({ ...environment, properties: environmentProperties }, descriptions, "", "environmentSchema");
  const overrideRows = referenceRows(z.toJSONSchema(addonOverrideSchema, options) as JsonSchema, descriptions, "addons.<name>", "addonOverrideSchema");
  return [
    "# Config reference",
    "",
    "<!-- Generated by `npm run docs` from modules/config/*schema*.ts; do not edit (a test fails when it is out of date). -->",
    "",
    "A config file (YAML or JSON, `PLATFORM_CONFIG`) has two keys. Unknown keys are errors everywhere.",
    "",
    "| key | type | description |",
    "|---|---|---|",
    "| `environments` **(required)** | list of environments (at least 1) | One entry per environment: the keys below. |",
    "| `defaults` | map | Any environment key; deep-merged under every environment (the environment wins). |",
    "",
    "## Environment",
    "",
    table(environmentRows),
    "",
    "## Add-on overrides",
    "",
    `\`addons.<name>\`, where \`<name>\` is one of ${ADDONS.map((addon) => `\`${addon.name}\``).join(", ")} (see [addons-reference.md](addons-reference.md)). Every add-on is on by default when its layer is.`,
    "",
    table(overrideRows),
    "",
  ].join("\n");
}
