import { NESTED_ATTRIBUTES, PROVIDER_CONFIG_NESTING, type NestedAttributeNesting, type Nesting } from "./nesting";

/**
 * Nested attributes as attributes in cdktf's HCL output. cdktf's provider bindings mark every nested attribute of
 * the plugin framework as a block (`{ value, isBlock: true, type: "struct" | "list" }`), so its renderer writes
 * `provider "helm" { kubernetes { ... } }`, which helm 3.x refuses (hashicorp/terraform-provider-helm#1637): it
 * wants `kubernetes = { ... }`. Given an element's resolved HCL fragment, this rewrites each nested attribute
 * listed in ./nesting.ts (provider configuration, resources, data sources, also inside nested blocks) into a
 * plain value of type `any`, which the renderer writes as an expression: `name = { ... }` or `name = [{ ... }]`.
 * The JSON output is not touched: there a nested attribute and a block look the same.
 */

type Body = { [key: string]: unknown };

const isObject = (value: unknown): value is Body =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** cdktf's typed attribute wrapper (keys snake-cased in provider fragments: `is_block`, `storage_class_type`). */
interface Wrapper extends Body {
  readonly value: unknown;
  readonly type: string;
}

const isWrapper = (value: unknown): value is Wrapper =>
  isObject(value) && "value" in value && ("isBlock" in value || "is_block" in value) && typeof value.type === "string";

const mapValues = (object: Body, transform: (key: string, value: unknown) => unknown): Body =>
  Object.fromEntries(Object.entries(object).map(([key, value]) => [key, transform(key, value)]));

/** The fragment of a provider, resource or data source with its nested attributes written as attributes. */
export function writeNestedAttributesAsAttributes(fragment: unknown): unknown {
  if (!isObject(fragment)) return fragment;
  const out: Body = { ...fragment };
  if (isObject(fragment.provider))
    out.provider = mapValues(fragment.provider, (name, configs) =>
      Array.isArray(configs)
        ? configs.map((config) => repairBody(config, PROVIDER_CONFIG_NESTING[name]?.nesting))
        : configs,
    );
  for (const mode of ["resource", "data"] as const) {
    const byType = fragment[mode];
    if (!isObject(byType)) continue;
    out[mode] = mapValues(byType, (type, byName) =>
      isObject(byName) ? mapValues(byName, (_, body) => repairBody(body, NESTED_ATTRIBUTES[mode][type])) : byName,
    );
  }
  return out;
}

function repairBody(body: unknown, nesting: Nesting | undefined): unknown {
  if (!nesting || !isObject(body)) return body;
  return mapValues(body, (key, value) => {
    const nested = nesting.nestedAttributes?.[key];
    if (nested) return asAttribute(value, nested);
    const block = nesting.blocks?.[key];
    return block ? repairBlocks(value, block.block) : value;
  });
}

/** A block's value: a wrapper around one body or a list of bodies, or the body itself (an override). */
function repairBlocks(value: unknown, nesting: Nesting): unknown {
  if (Array.isArray(value)) return value.map((item) => repairBlocks(item, nesting));
  if (isWrapper(value)) return { ...value, value: repairBlocks(value.value, nesting) };
  return repairBody(value, nesting);
}

/**
 * A nested attribute's wrapper as a plain value the renderer writes as an expression. A token (a string) is
 * already written as an attribute; so is a value without a wrapper (an override).
 */
function asAttribute(value: unknown, nested: NestedAttributeNesting): unknown {
  if (!isWrapper(value) || typeof value.value === "string" || isUnset(value.value)) return value;
  const plain = plainValue(value.value);
  const shaped =
    nested.nesting === "list" || nested.nesting === "set"
      ? Array.isArray(plain)
        ? plain
        : [plain]
      : Array.isArray(plain) && plain.length === 1
        ? plain[0]
        : plain;
  return { value: shaped, type: "any" };
}

/**
 * The value without cdktf's wrappers. `null` and `undefined` are left out: an unset attribute means the same, and
 * the renderer cannot write a `null` inside an expression.
 */
function plainValue(value: unknown): unknown {
  if (isWrapper(value)) return plainValue(value.value);
  if (Array.isArray(value)) return value.filter((item) => !isUnset(item)).map(plainValue);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => !isUnset(item))
      .map(([key, item]) => [key, plainValue(item)]),
  );
}

const isUnset = (value: unknown): boolean => {
  const inner = isWrapper(value) ? value.value : value;
  return inner === null || inner === undefined;
};
