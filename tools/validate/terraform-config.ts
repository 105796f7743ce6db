import { asList, asObject, asString, isObject } from "../../modules/terraform-json";
import { ProviderSchemas, providerTypeName, suggest, validateBody } from "./provider-schema";
import { FindingSink } from "./report";
import { resourcesOf, type ResourceView, type SynthStack } from "./stacks";

/**
 * Checks a synthesized stack's Terraform configuration against provider schemas: every resource and data
 * source, every `provider` block (when the schemas include provider configuration, which real
 * `terraform providers schema -json` output does and the shared reference files do not), and the backend.
 */

/** Types Terraform itself implements: no provider schema describes them. */
const BUILT_IN_TYPES = new Set(["terraform_data", "terraform_remote_state", "null_resource"]);

export function validateTerraformConfig(
  stacks: ReadonlyArray<SynthStack>,
  schemas: ProviderSchemas,
  sink: FindingSink,
): void {
  const missingProviderSchemas = new Set<string>();
  for (const stack of stacks) {
    const localToType = providerTypesByLocalName(stack);
    const unschematized = new Map<string, number>();
    for (const resource of resourcesOf(stack)) {
      if (BUILT_IN_TYPES.has(resource.type)) continue;
      const providerName = providerOf(resource, localToType);
      const provider = schemas.get(providerName);
      if (!provider) {
        unschematized.set(providerName, (unschematized.get(providerName) ?? 0) + 1);
        continue;
      }
      const table = resource.mode === "data" ? provider.dataSources : provider.resources;
      const schema = table[resource.type];
      if (!schema) {
        const kind = resource.mode === "data" ? "data source" : "resource";
        sink.error(
          stack.name,
          resource.address,
          "provider-schema",
          `unknown ${kind} type "${resource.type}" in ${provider.source}${suggest(resource.type, Object.keys(table))}`,
        );
        continue;
      }
      for (const problem of validateBody(schema.block, resource.body, "resource"))
        sink.error(stack.name, resource.address, "provider-schema", problem);
    }
    for (const [providerName, count] of unschematized) {
      sink.skipped(
        stack.name,
        `provider.${providerName}`,
        "provider-schema",
        `no schema for provider "${providerName}" in the reference: ${count} resource(s)/data source(s) not checked`,
      );
    }
    validateProviderBlocks(stack, schemas, localToType, sink, missingProviderSchemas);
    validateBackend(stack, sink);
  }
  if (missingProviderSchemas.size > 0) {
    sink.skipped(
      "*",
      "provider",
      "provider-schema",
      `provider configuration schema absent from the reference for ${[...missingProviderSchemas].sort().join(", ")}: provider blocks not checked (pass real \`terraform providers schema -json\` output with --provider-schema to check them)`,
    );
  }
}

/** `terraform.required_providers.<local>.source` maps local names to provider types (`source: "hashicorp/aws"`). */
function providerTypesByLocalName(stack: SynthStack): Map<string, string> {
  const map = new Map<string, string>();
  const required = asObject(asObject(stack.json.terraform)?.required_providers) ?? {};
  for (const [local, spec] of Object.entries(required)) {
    const source = asString(asObject(spec)?.source) ?? asString(spec);
    map.set(local, source ? providerTypeName(source) : local);
  }
  return map;
}

/** The provider a resource belongs to: its `provider` meta-argument (`aws.us_east_1`), else its type prefix. */
function providerOf(resource: ResourceView, localToType: ReadonlyMap<string, string>): string {
  const explicit = asString(resource.body.provider);
  const local = explicit ? explicit.replace(/^\$\{/, "").split(".")[0] : resource.type.split("_")[0];
  return localToType.get(local) ?? local;
}

function validateProviderBlocks(
  stack: SynthStack,
  schemas: ProviderSchemas,
  localToType: ReadonlyMap<string, string>,
  sink: FindingSink,
  missing: Set<string>,
): void {
  for (const [local, configs] of Object.entries(asObject(stack.json.provider) ?? {})) {
    const providerName = localToType.get(local) ?? local;
    const schema = schemas.get(providerName);
    if (!schema?.provider) {
      missing.add(providerName);
      continue;
    }
    asList(configs).forEach((config, index) => {
      const alias = asString(asObject(config)?.alias);
      const address = alias
        ? `provider.${local}.${alias}`
        : `provider.${local}${Array.isArray(configs) && configs.length > 1 ? `[${index}]` : ""}`;
      if (!isObject(config))
        return sink.error(stack.name, address, "provider-schema", "provider configuration must be an object");
      for (const problem of validateBody(schema.provider as NonNullable<typeof schema.provider>, config, "provider"))
        sink.error(stack.name, address, "provider-schema", problem);
    });
  }
}

/**
 * Backends are built into Terraform, so no provider schema covers them: a small table of the backends a
 * platform like this uses, with the settings each cannot work without.
 */
const BACKEND_REQUIRED: Readonly<Record<string, ReadonlyArray<string>>> = {
  s3: ["bucket", "key"],
  local: [],
  remote: ["organization", "workspaces"],
  gcs: ["bucket"],
  azurerm: ["container_name", "key"],
  http: ["address"],
  consul: ["path"],
  kubernetes: ["secret_suffix"],
  pg: ["conn_str"],
};

function validateBackend(stack: SynthStack, sink: FindingSink): void {
  const terraform = asObject(stack.json.terraform) ?? {};
  const backends = Object.entries(asObject(terraform.backend) ?? {});
  if (backends.length > 1)
    sink.error(
      stack.name,
      "terraform.backend",
      "provider-schema",
      `only one backend allowed, got ${backends.map(([name]) => name).join(", ")}`,
    );
  if (backends.length > 0 && terraform.cloud !== undefined)
    sink.error(stack.name, "terraform.backend", "provider-schema", "a backend and a `cloud` block cannot both be set");
  for (const [name, config] of backends) {
    const required = BACKEND_REQUIRED[name];
    if (!required) {
      sink.warning(
        stack.name,
        `terraform.backend.${name}`,
        "provider-schema",
        `backend type "${name}" is not one this validator knows; not checked`,
      );
      continue;
    }
    const body = asObject(config) ?? {};
    for (const key of required) {
      if (body[key] === undefined || body[key] === null || body[key] === "")
        sink.error(
          stack.name,
          `terraform.backend.${name}`,
          "provider-schema",
          `${key}: missing required backend setting`,
        );
    }
  }
}
