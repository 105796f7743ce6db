import { z } from "zod";
import { ADDONS } from "../../modules/addons/catalog";
import { environmentSchemaFor, terraformCloudSchema } from "../../modules/config/schema";

/**
 * `docs/config.schema.json`: a JSON Schema of a config file, for YAML and JSON editors (completion, hover text,
 * misspelt keys), generated from the schema the loader validates with (zod 4's `z.toJSONSchema` of its input
 * side), beside docs/config-reference.md. An environment entry is the strict environment schema of the platform's
 * catalog (`addons.<name>` only for its add-ons), with nothing required: `defaults` may supply any field, deeply,
 * so whether a merged environment is complete is for validation (`npx platform validate`, synth) to say, as in the
 * TypeScript type `PlatformConfigInput`. What JSON Schema cannot say (account ids' cross-checks, CIDR overlap,
 * the catalog's dependencies) is validation's too.
 *
 * Editors: `# yaml-language-server: $schema=<path to node_modules/cdktf-eks-platform/docs/config.schema.json>` on the
 * first line of the YAML file (the YAML extension of VS Code and other language-server editors).
 */

export const CONFIG_SCHEMA_FILE = "docs/config.schema.json";

type Json = { [key: string]: unknown };

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** The schema with every `required` list dropped, at every depth. */
function withoutRequired(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRequired);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "required")
      .map(([key, child]) => [key, withoutRequired(child)]),
  );
}

/** A JSON Schema (draft 2020-12) without its own `$schema`, to nest in another. */
function schemaOf(schema: z.ZodType): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Json;
  return rest;
}

export function configJsonSchema(): Json {
  const environment = withoutRequired(schemaOf(environmentSchemaFor(ADDONS.map((addon) => addon.name)))) as Json;
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "cdktf-eks-platform config",
    description:
      "A platform config file (config/example.yaml). Generated from the config schema by `npm run generate`; docs/config-reference.md describes every key.",
    type: "object",
    properties: {
      defaults: {
        $ref: "#/$defs/environment",
        description:
          "Any environment field; deep-merged under every environment (the environment wins; lists are replaced).",
      },
      environments: {
        type: "array",
        minItems: 1,
        items: { $ref: "#/$defs/environment" },
        description: "The environments, each a set of stacks in one AWS account and region.",
      },
      terraformCloud: {
        ...schemaOf(terraformCloudSchema),
        description:
          "Settings of the terraform-cloud stack, which exists when an environment's cloud backend has `manageWorkspaces: true`.",
      },
    },
    required: ["environments"],
    additionalProperties: false,
    $defs: { environment },
  };
}

/** The file's text: two-space JSON and a final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
