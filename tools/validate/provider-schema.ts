import { asObject, editDistance, isObject, isPureInterpolation, type JsonObject } from "../../modules/terraform-json";
import { checkCtyValue, typeName } from "./cty";
import { describeJsonType, joinPath } from "./json";

/**
 * The `terraform providers schema -json` shape (format_version 1.0), and a validator for one configuration
 * body (a resource, a data source, a provider block) against a schema block. Only the parts of the format
 * the validator reads are typed; everything else is ignored.
 */

export interface SchemaAttribute {
  readonly type?: unknown;
  readonly nested_type?: NestedAttributeType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly deprecated?: boolean;
}

/** Plugin-framework nested attributes (helm 3.x `set`, `postrender`): attributes, not blocks, with a nesting mode. */
export interface NestedAttributeType {
  readonly attributes: Readonly<Record<string, SchemaAttribute>>;
  readonly nesting_mode: "single" | "list" | "set" | "map";
  readonly min_items?: number;
  readonly max_items?: number;
}

export interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, SchemaAttribute>>;
  readonly block_types?: Readonly<Record<string, SchemaBlockType>>;
  readonly deprecated?: boolean;
}

export interface SchemaBlockType {
  readonly nesting_mode: "single" | "group" | "list" | "set" | "map";
  readonly block: SchemaBlock;
  readonly min_items?: number;
  readonly max_items?: number;
}

/** One provider's schemas, as found under `provider_schemas["registry.terraform.io/hashicorp/aws"]`. */
export interface ProviderSchema {
  /** Full source address, e.g. `registry.terraform.io/hashicorp/aws`. */
  readonly source: string;
  /** Provider configuration schema; absent from the reference files, present in real `terraform providers schema -json`. */
  readonly provider?: SchemaBlock;
  readonly resources: Readonly<Record<string, { readonly block: SchemaBlock }>>;
  readonly dataSources: Readonly<Record<string, { readonly block: SchemaBlock }>>;
  /** Ephemeral resources (Terraform >= 1.10), read by the HCL nesting check (hcl-nesting.ts). */
  readonly ephemeralResources?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
}

/** Provider schemas by type name (`aws`, `helm`), from one or more `terraform providers schema -json` documents. */
export class ProviderSchemas {
  private readonly byName = new Map<string, ProviderSchema>();

  /**
   * Later documents override earlier ones for the same provider, type by type (a user's own
   * `terraform providers schema -json` wins, and may add just the provider configuration schema).
   */
  add(document: unknown, origin: string): void {
    const schemas = asObject(asObject(document)?.provider_schemas);
    if (!schemas)
      throw new Error(`${origin} is not in \`terraform providers schema -json\` shape (no provider_schemas object).`);
    for (const [source, raw] of Object.entries(schemas)) {
      const schema = asObject(raw) ?? {};
      const provider = asObject(schema.provider);
      const previous = this.byName.get(providerTypeName(source));
      this.byName.set(providerTypeName(source), {
        source,
        provider: provider ? (provider.block as SchemaBlock) : previous?.provider,
        resources: {
          ...previous?.resources,
          ...(asObject(schema.resource_schemas) as ProviderSchema["resources"] | undefined),
        },
        dataSources: {
          ...previous?.dataSources,
          ...(asObject(schema.data_source_schemas) as ProviderSchema["dataSources"] | undefined),
        },
        ephemeralResources: {
          ...previous?.ephemeralResources,
          ...(asObject(schema.ephemeral_resource_schemas) as ProviderSchema["dataSources"] | undefined),
        },
      });
    }
  }

  get(name: string): ProviderSchema | undefined {
    return this.byName.get(name);
  }

  get names(): string[] {
    return [...this.byName.keys()].sort();
  }
}

/** `registry.terraform.io/hashicorp/aws` -> `aws`: the provider type name resources are prefixed with. */
export function providerTypeName(source: string): string {
  return source.split("/").pop() ?? source;
}

/** Terraform meta-arguments and cdktf bookkeeping: not provider schema, never validated against it. */
const META_ARGUMENTS = new Set([
  "depends_on",
  "count",
  "for_each",
  "provider",
  "lifecycle",
  "connection",
  "provisioner",
  "//",
]);
const PROVIDER_META_ARGUMENTS = new Set(["alias", "version", "//"]);

export type BodyKind = "resource" | "provider";

/** Validates a configuration body against a schema block; returns `path: problem` strings. */
export function validateBody(block: SchemaBlock, body: JsonObject, kind: BodyKind): string[] {
  const problems: string[] = [];
  validateBlock(block, body, "", kind === "resource" ? META_ARGUMENTS : PROVIDER_META_ARGUMENTS, problems);
  return problems;
}

const NESTED_IGNORED = new Set(["//"]);

function validateBlock(
  block: SchemaBlock,
  body: JsonObject,
  path: string,
  ignored: ReadonlySet<string>,
  problems: string[],
): void {
  const attributes = block.attributes ?? {};
  const blockTypes = block.block_types ?? {};
  const dynamicBlocks = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    const at = joinPath(path, key);
    if (ignored.has(key)) continue;
    if (key === "dynamic" && !(key in attributes)) {
      // cdktf iterators synthesize `dynamic.<block>.content`: validate the content as one block.
      for (const [name, spec] of Object.entries(asObject(value) ?? {})) {
        dynamicBlocks.add(name);
        const blockType = blockTypes[name];
        if (!blockType)
          problems.push(
            `${joinPath(at, name)}: unknown block type in dynamic block${suggest(name, Object.keys(blockTypes))}`,
          );
        else if (isObject(asObject(spec)?.content))
          validateBlock(
            blockType.block,
            asObject(spec)?.content as JsonObject,
            joinPath(joinPath(at, name), "content"),
            NESTED_IGNORED,
            problems,
          );
      }
      continue;
    }
    const attribute = attributes[key];
    if (attribute) {
      validateAttribute(attribute, value, at, problems);
      continue;
    }
    const blockType = blockTypes[key];
    if (blockType) {
      validateBlockType(blockType, value, at, problems);
      continue;
    }
    problems.push(
      `${at}: unknown attribute or block${suggest(key, [...Object.keys(attributes), ...Object.keys(blockTypes)])}`,
    );
  }
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.required && (body[name] === undefined || body[name] === null)) {
      problems.push(
        `${joinPath(path, name)}: missing required attribute (${attribute.nested_type ? `nested ${attribute.nested_type.nesting_mode}` : typeName(attribute.type)})`,
      );
    }
  }
  for (const [name, blockType] of Object.entries(blockTypes)) {
    const minItems = blockType.min_items ?? 0;
    if (minItems > 0 && (body[name] === undefined || body[name] === null) && !dynamicBlocks.has(name)) {
      problems.push(`${joinPath(path, name)}: missing required block (at least ${minItems})`);
    }
  }
}

function validateAttribute(attribute: SchemaAttribute, value: unknown, path: string, problems: string[]): void {
  if (attribute.computed && !attribute.optional && !attribute.required) {
    problems.push(`${path}: computed-only attribute set; the provider sets it, configuration cannot`);
    return;
  }
  if (attribute.nested_type) validateNestedAttribute(attribute.nested_type, value, path, problems);
  else checkCtyValue(attribute.type, value, path, problems);
}

function validateNestedAttribute(nested: NestedAttributeType, value: unknown, path: string, problems: string[]): void {
  if (value === null || value === undefined || isPureInterpolation(value)) return;
  const block: SchemaBlock = { attributes: nested.attributes };
  const mode = nested.nesting_mode;
  if (mode === "single") {
    if (!isObject(value))
      return void problems.push(
        `${path}: expected an object (nested attribute, nesting single), got ${describeJsonType(value)}`,
      );
    validateBlock(block, value, path, NESTED_IGNORED, problems);
    return;
  }
  if (mode === "map") {
    if (!isObject(value))
      return void problems.push(
        `${path}: expected a map of objects (nested attribute, nesting map), got ${describeJsonType(value)}`,
      );
    for (const [key, item] of Object.entries(value)) validateNestedElement(block, item, joinPath(path, key), problems);
    return;
  }
  if (!Array.isArray(value))
    return void problems.push(
      `${path}: expected a ${mode} of objects (nested attribute, nesting ${mode}), got ${describeJsonType(value)}`,
    );
  checkCount(value.length, nested.min_items, nested.max_items, path, problems);
  value.forEach((item, index) => validateNestedElement(block, item, joinPath(path, index), problems));
}

function validateNestedElement(block: SchemaBlock, item: unknown, path: string, problems: string[]): void {
  if (item === null || isPureInterpolation(item)) return;
  if (!isObject(item)) return void problems.push(`${path}: expected an object, got ${describeJsonType(item)}`);
  validateBlock(block, item, path, NESTED_IGNORED, problems);
}

function validateBlockType(blockType: SchemaBlockType, value: unknown, path: string, problems: string[]): void {
  if (value === null || value === undefined || isPureInterpolation(value)) return;
  const mode = blockType.nesting_mode;
  if (mode === "map") {
    if (!isObject(value))
      return void problems.push(
        `${path}: expected blocks keyed by label (nesting map), got ${describeJsonType(value)}`,
      );
    for (const [key, item] of Object.entries(value))
      validateBlockElement(blockType.block, item, joinPath(path, key), problems);
    return;
  }
  // Terraform JSON: a block is an object; several blocks of one type are an array of objects.
  const items = Array.isArray(value) ? value : [value];
  const single = mode === "single" || mode === "group";
  checkCount(
    items.length,
    blockType.min_items,
    single ? 1 : blockType.max_items,
    path,
    problems,
    single ? `nesting ${mode}` : undefined,
  );
  items.forEach((item, index) =>
    validateBlockElement(blockType.block, item, Array.isArray(value) ? joinPath(path, index) : path, problems),
  );
}

function validateBlockElement(block: SchemaBlock, item: unknown, path: string, problems: string[]): void {
  if (isPureInterpolation(item)) return;
  if (!isObject(item))
    return void problems.push(`${path}: expected a block (an object), got ${describeJsonType(item)}`);
  validateBlock(block, item, path, NESTED_IGNORED, problems);
}

function checkCount(
  count: number,
  min: number | undefined,
  max: number | undefined,
  path: string,
  problems: string[],
  why?: string,
): void {
  if (min !== undefined && min > 0 && count < min) problems.push(`${path}: at least ${min} required, got ${count}`);
  if (max !== undefined && max > 0 && count > max)
    problems.push(`${path}: at most ${max} allowed${why ? ` (${why})` : ""}, got ${count}`);
}

/** ` (did you mean "x"?)` for a near miss: a typo or a camelCase key that cdktf would have snake_cased. */
export function suggest(name: string, candidates: ReadonlyArray<string>): string {
  const normalize = (s: string): string => s.replace(/[_-]/g, "").toLowerCase();
  const exact = candidates.find((candidate) => normalize(candidate) === normalize(name));
  const near = exact ?? candidates.find((candidate) => editDistance(candidate, name) <= 2);
  return near ? ` (did you mean "${near}"?)` : "";
}
