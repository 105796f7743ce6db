import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ADDONS } from "../../modules/addons/catalog";
import { environmentSchema } from "../../modules/config/schema";
import { addonsReferenceMarkdown } from "../../tools/docs/addons-reference";
import { configReferenceMarkdown, undescribedConfigPaths } from "../../tools/docs/config-reference";
import { expectGenerated } from "../helpers/generated";

/**
 * The generated references are committed; they must match what the schema and the catalog generate today.
 * The fix for a stale one is `npm run generate` (every generated file; CI runs it with --check).
 */

const root = join(__dirname, "..", "..");
let configReference: string;
let addonsReference: string;

beforeAll(() => {
  configReference = configReferenceMarkdown();
  addonsReference = addonsReferenceMarkdown();
});

it.each([
  ["docs/config-reference.md", () => configReference],
  ["docs/addons-reference.md", () => addonsReference],
])("%s is up to date (run `npm run generate` after changing the schema, the catalog or a pin)", (path, generate) => {
  // Fails with "<path> is stale: run npm run generate" and the first line that differs.
  expectGenerated(path, readFileSync(join(root, path), "utf8"), generate());
});

it("documents every environment key, with defaults", () => {
  for (const key of Object.keys(environmentSchema.shape).filter((name) => name !== "addons"))
    expect(configReference).toContain(`| \`${key}\``);
  expect(configReference).toMatch(/\| `cluster\.kubernetesVersion` \| .* \| `"1\.35"` \|/);
  expect(configReference).toContain("| `cluster.endpoint.privateAccess` | boolean | `true` | Private endpoint access");
});

it("every config field has a description", () => {
  // A field is described with `.describe("...")` in modules/config/*schema*.ts (after `.optional()`/`.default()`).
  const missing = undescribedConfigPaths();
  expect({ fieldsWithoutDescription: missing }).toEqual({ fieldsWithoutDescription: [] });
});

it.each(ADDONS.map((addon) => [addon.name, addon] as const))(
  "lists %s with its default delivery and first pin",
  (name, addon) => {
    const pin = addon.deliveries.find((delivery) => delivery.kind === addon.defaultDelivery)!.pins[0].version;
    expect(addonsReference).toMatch(
      new RegExp(
        `\\| \\[?\`${name}\`.*\\| ${addon.layer} \\| ${addon.defaultDelivery} ${pin.replace(/\./g, "\\.")} \\|`,
      ),
    );
  },
);
