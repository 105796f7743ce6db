import { PROVIDER_CONFIG_NESTING, type Nesting } from "../../modules/hcl/nesting";
import type { ProviderSchemas, SchemaBlock } from "./provider-schema";

/**
 * Where the HCL nesting check (hcl-nesting.ts) finds each body's nesting facts:
 * - provider configuration: `terraform providers schema -json` when given (`--provider-schema`; the reference
 *   files have none), else the tables derived from each provider's source at its pinned tag (modules/hcl/nesting.ts);
 * - resources, data sources, ephemeral resources: the reference provider schemas (`block_types` are blocks,
 *   `attributes` with `nested_type` are nested attributes), and Terraform's built-in `terraform` provider.
 */

export type BodyMode = "provider" | "resource" | "data" | "ephemeral";

export interface BodyNesting {
  readonly nesting: Nesting;
  /** `the provider schema`, `the resource schema`, ...: how findings name the contract. */
  readonly schemaName: string;
}

const SCHEMA_NAMES: Readonly<Record<BodyMode, string>> = {
  provider: "the provider schema",
  resource: "the resource schema",
  data: "the data source schema",
  ephemeral: "the ephemeral resource schema",
};

/**
 * Terraform's built-in provider (`terraform.io/builtin/terraform`): attributes only. From `terraform providers
 * schema -json` of Terraform 1.11.4 (hashicorp/terraform internal/builtin/providers/terraform/).
 */
const BUILTIN: Readonly<Partial<Record<BodyMode, Readonly<Record<string, Nesting>>>>> = {
  resource: { terraform_data: { attributes: ["id", "input", "output", "triggers_replace"] } },
  data: { terraform_remote_state: { attributes: ["backend", "config", "defaults", "outputs", "workspace"] } },
};

/** The element type of a list or set of objects type (`["list", ["object", { ... }]]`), or `undefined`. */
function objectElement(type: unknown): Readonly<Record<string, unknown>> | undefined {
  if (!Array.isArray(type) || (type[0] !== "list" && type[0] !== "set")) return undefined;
  const element: unknown = type[1];
  if (!Array.isArray(element) || element[0] !== "object") return undefined;
  const attributes: unknown = element[1];
  return typeof attributes === "object" && attributes !== null ? (attributes as Record<string, unknown>) : undefined;
}

/** The nesting of an object type's attributes (the body of an attribute written as a block). */
function nestingOfObject(attributeTypes: Readonly<Record<string, unknown>>): Nesting {
  return nestingOfSchemaBlock({
    attributes: Object.fromEntries(Object.entries(attributeTypes).map(([name, type]) => [name, { type }])),
  });
}

/** A schema block's nesting facts. */
export function nestingOfSchemaBlock(block: SchemaBlock): Nesting {
  const attributes: string[] = [];
  const nestedAttributes: Record<string, NonNullable<Nesting["nestedAttributes"]>[string]> = {};
  const attributesAsBlocks: Record<string, Nesting> = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    const nested = attribute.nested_type;
    const element = objectElement(attribute.type);
    if (nested)
      nestedAttributes[name] = {
        nesting: nested.nesting_mode,
        attributes: nestingOfSchemaBlock({ attributes: nested.attributes }),
      };
    else if (element) attributesAsBlocks[name] = nestingOfObject(element);
    else attributes.push(name);
  }
  const blocks = Object.fromEntries(
    Object.entries(block.block_types ?? {}).map(([name, type]) => [
      name,
      { nesting: type.nesting_mode, block: nestingOfSchemaBlock(type.block) },
    ]),
  );
  return { attributes, nestedAttributes, blocks, attributesAsBlocks };
}

/** Looks up (and converts once) the nesting of provider blocks and of resource, data and ephemeral types. */
export class NestingSchemas {
  private readonly cache = new Map<string, BodyNesting | undefined>();

  constructor(private readonly providerSchemas?: ProviderSchemas) {}

  /** Whether the schemas of the provider's resource, data source and ephemeral types are known. */
  hasTypeSchemas(provider: string): boolean {
    return this.providerSchemas?.get(provider) !== undefined;
  }

  /** The nesting of `provider "<name>"`, or of a `<mode> "<type>"` block; `undefined` when no schema has it. */
  get(mode: BodyMode, type: string): BodyNesting | undefined {
    const key = `${mode} ${type}`;
    if (!this.cache.has(key)) this.cache.set(key, this.find(mode, type));
    return this.cache.get(key);
  }

  private find(mode: BodyMode, type: string): BodyNesting | undefined {
    const nesting = mode === "provider" ? this.providerNesting(type) : this.typeNesting(mode, type);
    return nesting ? { nesting, schemaName: SCHEMA_NAMES[mode] } : undefined;
  }

  private providerNesting(name: string): Nesting | undefined {
    const fromTerraform = this.providerSchemas?.get(name)?.provider;
    return fromTerraform ? nestingOfSchemaBlock(fromTerraform) : PROVIDER_CONFIG_NESTING[name]?.nesting;
  }

  private typeNesting(mode: Exclude<BodyMode, "provider">, type: string): Nesting | undefined {
    const builtin = BUILTIN[mode]?.[type];
    if (builtin) return builtin;
    const provider = this.providerSchemas?.get(type.split("_")[0]);
    const schemas =
      mode === "resource"
        ? provider?.resources
        : mode === "data"
          ? provider?.dataSources
          : provider?.ephemeralResources;
    const block = schemas?.[type]?.block;
    return block ? nestingOfSchemaBlock(block) : undefined;
  }
}
