import { addonsReferenceMarkdown } from "./addons-reference";
import { configReferenceMarkdown } from "./config-reference";
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from "./config-schema";

/** Path (relative to the project root) -> content of the generated reference docs. */
export function referenceDocuments(): Record<string, string> {
  return {
    "docs/config-reference.md": configReferenceMarkdown(),
    [CONFIG_SCHEMA_FILE]: configJsonSchemaText(),
    "docs/addons-reference.md": addonsReferenceMarkdown(),
  };
}
