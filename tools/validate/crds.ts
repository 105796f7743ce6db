import { asList, asObject, asString, isObject, type JsonObject } from "../../modules/terraform-json";
import { validateOpenApi } from "./openapi-schema";

/**
 * CustomResourceDefinitions by group and kind, each version's `openAPIV3Schema` a validator (see
 * `openapi-schema.ts` for the semantics). Large CRDs are parsed only when an object of their kind is found.
 */

/** Where a CRD comes from: its group and kind are known up front, the definition is loaded on demand. */
export interface CrdSource {
  readonly origin: string;
  readonly group: string;
  readonly kind: string;
  readonly load: () => unknown;
}

export interface CrdVersionValidator {
  readonly origin: string;
  readonly scope: "Cluster" | "Namespaced";
  /** `path: problem` strings; `metadata` and `status` are not checked here. */
  readonly validate: (object: JsonObject) => string[];
}

export type CrdLookup =
  | { readonly kind: "validator"; readonly validator: CrdVersionValidator }
  | { readonly kind: "no-such-version"; readonly origin: string; readonly served: string[] }
  | { readonly kind: "unknown-kind"; readonly kindsInGroup: string[] }
  | { readonly kind: "unknown-group" };

export class CrdCatalog {
  private readonly sources: CrdSource[] = [];
  private readonly loaded = new Map<CrdSource, JsonObject>();
  private readonly compiled = new Map<string, CrdVersionValidator>();

  constructor(sources: ReadonlyArray<CrdSource> = []) {
    this.sources.push(...sources);
  }

  /** A catalog of already-parsed CRD objects (tests, or callers that read CRDs themselves). */
  static fromDefinitions(definitions: ReadonlyArray<unknown>, origin = "inline"): CrdCatalog {
    return new CrdCatalog(crdSourcesFromDefinitions(definitions, origin));
  }

  get size(): number {
    return this.sources.length;
  }

  lookup(group: string, version: string, kind: string): CrdLookup {
    const inGroup = this.sources.filter((source) => source.group === group);
    if (inGroup.length === 0) return { kind: "unknown-group" };
    const source = inGroup.find((candidate) => candidate.kind === kind);
    if (!source) return { kind: "unknown-kind", kindsInGroup: inGroup.map((candidate) => candidate.kind) };
    const key = `${source.origin}#${version}`;
    const cached = this.compiled.get(key);
    if (cached) return { kind: "validator", validator: cached };
    const definition = this.definition(source);
    const spec = asObject(definition.spec) ?? {};
    const versions = asList(spec.versions).filter(isObject);
    const served = versions.filter((entry) => entry.served !== false).map((entry) => String(entry.name));
    const entry = versions.find((candidate) => candidate.name === version && candidate.served !== false);
    const schema =
      asObject(asObject(entry?.schema)?.openAPIV3Schema) ?? asObject(asObject(spec.validation)?.openAPIV3Schema);
    if (!entry || !schema) return { kind: "no-such-version", origin: source.origin, served };
    const root = rootSchema(schema);
    const validator: CrdVersionValidator = {
      origin: source.origin,
      scope: spec.scope === "Namespaced" ? "Namespaced" : "Cluster",
      validate: (object) => {
        const problems: string[] = [];
        validateOpenApi(root, object, "", problems);
        return problems;
      },
    };
    this.compiled.set(key, validator);
    return { kind: "validator", validator };
  }

  private definition(source: CrdSource): JsonObject {
    let definition = this.loaded.get(source);
    if (!definition) {
      const raw = source.load();
      if (!isObject(raw)) throw new Error(`CRD ${source.origin} is not an object.`);
      definition = raw;
      this.loaded.set(source, definition);
    }
    return definition;
  }
}

export function crdSourcesFromDefinitions(definitions: ReadonlyArray<unknown>, origin: string): CrdSource[] {
  return definitions.map((definition, index) => {
    const spec = asObject(asObject(definition)?.spec);
    const group = asString(spec?.group);
    const kind = asString(asObject(spec?.names)?.kind);
    const name = definitions.length > 1 ? `${origin}[${index}]` : origin;
    if (!group || !kind)
      throw new Error(`${name} is not a CustomResourceDefinition (spec.group / spec.names.kind missing).`);
    return { origin: name, group, kind, load: () => definition };
  });
}

/**
 * `apiVersion`, `kind` and `metadata` are the API server's, whatever the CRD declares (metadata is checked
 * separately: a CRD only says `type: object`); `status` is the controller's to write.
 */
function rootSchema(schema: JsonObject): JsonObject {
  const properties = asObject(schema.properties) ?? {};
  const serverOwned = {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
  };
  return {
    ...schema,
    properties: { ...properties, ...serverOwned, status: { "x-kubernetes-preserve-unknown-fields": true } },
  };
}
