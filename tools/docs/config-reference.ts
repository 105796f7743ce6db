import { z } from "zod";
import { ADDONS } from "../../modules/addons/catalog";
import { addonOverrideSchema, environmentSchema } from "../../modules/config/schema";
import { terraformCloudSchema } from "../../modules/config/schema";

/**
 * `docs/config-reference.md`, generated from the config schema itself (zod → JSON Schema): every key with its type,
 * default and allowed values, so the reference cannot drift from what the loader accepts. Descriptions come only
 * from the schema (`.describe()` on the field, after its `.optional()`/`.default()`); `undescribedConfigPaths`
 * lists the rows that have none, and a test keeps that list empty.
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

/** Rows for every key under `schema`, depth first, in schema order; a variant of a tagged union is labelled by its tag. */
export function referenceRows(schema: JsonSchema, prefix = ""): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    const element = child.type === "array" && child.items?.properties ? child.items : undefined;
    const nested = child.properties ? child : element;
    rows.push({ path, type: nested && !element ? "object" : typeOf(child), required: schema.required?.includes(key) ?? false, defaultValue: child.default, description: child.description ?? "" });
    if (nested) rows.push(...referenceRows(nested, element ? `${path}[]` : path));
    for (const variant of child.oneOf ?? []) {
      const tag = Object.entries(variant.properties ?? {}).find(([, value]) => value.const !== undefined);
      const label = tag ? `${path} (${tag[0]}: ${String(tag[1].const)})` : path;
      rows.push(...referenceRows({ ...variant, properties: Object.fromEntries(Object.entries(variant.properties ?? {}).filter(([name]) => name !== tag?.[0])) }, label));
    }
  }
  return rows;
}

export interface ConfigReferenceRows {
  /** Every environment key except `addons`, which has its own section. */
  readonly environment: ReadonlyArray<ReferenceRow>;
  /** The keys of one `addons.<name>` override. */
  readonly addonOverride: ReadonlyArray<ReferenceRow>;
  /** The keys of the top-level `terraformCloud` settings. */
  readonly terraformCloud: ReadonlyArray<ReferenceRow>;
}

/** The rows of both reference tables, from the schemas the loader validates with. */
export function configReferenceRows(): ConfigReferenceRows {
  const options = { io: "input", unrepresentable: "any", target: "draft-2020-12" } as const;
  const environment = z.toJSONSchema(environmentSchema, options) as JsonSchema;
  const { addons: _addons, ...environmentProperties } = environment.properties ?? {};
  return {
    environment: referenceRows({ ...environment, properties: environmentProperties }),
    addonOverride: referenceRows(z.toJSONSchema(addonOverrideSchema, options) as JsonSchema, "addons.<name>"),
    terraformCloud: referenceRows(z.toJSONSchema(terraformCloudSchema, options) as JsonSchema, "terraformCloud"),
  };
}

/** Config paths (as the reference names them) whose schema field has no description: should be none. */
export function undescribedConfigPaths(rows: ConfigReferenceRows = configReferenceRows()): string[] {
  return [...rows.environment, ...rows.addonOverride, ...rows.terraformCloud].filter((row) => row.description.trim() === "").map((row) => row.path);
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

/** The whole document. `_sourceDir` is ignored (descriptions no longer come from the schema sources); kept for old callers. */
export function configReferenceMarkdown(_sourceDir?: string): string {
  const rows = configReferenceRows();
  return [
    "# Config reference",
    "",
    "<!-- Generated by `npm run generate` from modules/config/*schema*.ts; do not edit (a test fails when it is out of date). -->",
    "",
    "A config file (YAML or JSON, `PLATFORM_CONFIG`) has these keys. Unknown keys are errors everywhere.",
    "",
    "| key | type | description |",
    "|---|---|---|",
    "| `environments` **(required)** | list of environments (at least 1) | One entry per environment: the keys below. |",
    "| `defaults` | map | Any environment key; deep-merged under every environment (the environment wins). |",
    "| `terraformCloud` | object | The terraform-cloud stack's settings (below); it exists when an environment's cloud backend has `manageWorkspaces: true`. |",
    "",
    "## Environment",
    "",
    table(rows.environment),
    "",
    "## Add-on overrides",
    "",
    `\`addons.<name>\`, where \`<name>\` is one of ${ADDONS.map((addon) => `\`${addon.name}\``).join(", ")} (see [addons-reference.md](addons-reference.md)). Every add-on is on by default when its layer is.`,
    "",
    table(rows.addonOverride),
    "",
    "## Terraform Cloud stack",
    "",
    "`terraformCloud`: the `terraform-cloud` stack (workspaces, their wiring and AWS run roles of every environment with `backend.manageWorkspaces: true`; README: Terraform Cloud as code).",
    "",
    table(rows.terraformCloud),
    "",
  ].join("\n");
}
