import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { ADDONS } from "../../modules/addons/catalog";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../modules/versions";
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from "../../tools/docs/config-schema";
import { expectGenerated } from "../helpers/generated";

/**
 * Issue 22 item 8: docs/config.schema.json, the JSON Schema of a config file for YAML editors, is generated from the
 * config schema (`npm run generate`), and the project's configs validate against it; the mistakes an editor should
 * underline (a misspelt key, an add-on or Kubernetes version the release lacks) do not.
 */

const root = join(__dirname, "..", "..");
const committed = readFileSync(join(root, CONFIG_SCHEMA_FILE), "utf8");
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(committed));
const configFile = (name: string) => parse(readFileSync(join(root, "config", name), "utf8")) as Record<string, any>;
const errorsOf = (config: unknown) => (validate(config) ? [] : (validate.errors ?? []));

it(`${CONFIG_SCHEMA_FILE} is up to date (run \`npm run generate\` after changing the schema or the catalog)`, () => {
  expectGenerated(CONFIG_SCHEMA_FILE, committed, configJsonSchemaText());
});

it.each(["example.yaml", "all-options.yaml"])("config/%s validates against it", (name) => {
  expect(errorsOf(configFile(name))).toEqual([]);
});

it("an environment may leave any field to `defaults` (nothing is required in an entry)", () => {
  expect(errorsOf({ defaults: { region: "eu-west-1" }, environments: [{ name: "dev" }] })).toEqual([]);
  expect(errorsOf({ defaults: { region: "eu-west-1" } })).not.toEqual([]);
});

describe("what an editor underlines", () => {
  const entry = (fields: Record<string, unknown>) => ({ environments: [{ name: "dev", ...fields }] });

  it("a misspelt key, at any depth", () => {
    expect(errorsOf(entry({ acount: "111111111111" }))).toContainEqual(
      expect.objectContaining({ keyword: "additionalProperties", params: { additionalProperty: "acount" } }),
    );
    expect(errorsOf(entry({ cluster: { endpoint: { privateAcess: true } } }))).toContainEqual(
      expect.objectContaining({ instancePath: "/environments/0/cluster/endpoint", keyword: "additionalProperties" }),
    );
  });

  it("only the catalog's add-on names, and only the supported Kubernetes versions", () => {
    const every = Object.fromEntries(ADDONS.map((addon) => [addon.name, { enabled: true }]));
    expect(errorsOf(entry({ addons: every }))).toEqual([]);
    expect(errorsOf(entry({ addons: { "metrics-servr": { enabled: false } } }))).toContainEqual(
      expect.objectContaining({ params: { additionalProperty: "metrics-servr" } }),
    );
    for (const kubernetesVersion of SUPPORTED_KUBERNETES_VERSIONS)
      expect(errorsOf(entry({ cluster: { kubernetesVersion } }))).toEqual([]);
    expect(errorsOf(entry({ cluster: { kubernetesVersion: "1.29" } }))).toContainEqual(
      expect.objectContaining({ instancePath: "/environments/0/cluster/kubernetesVersion", keyword: "enum" }),
    );
  });
});
