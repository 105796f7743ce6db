import { addonsReferenceMarkdown } from "./addons-reference";
import { configReferenceMarkdown } from "./config-reference";

/** Path (relative to the project root) -> content of the generated reference docs. */
export function referenceDocuments(): Record<string, string> {
  return {
    "docs/config-reference.md": configReferenceMarkdown(),
    "docs/addons-reference.md": addonsReferenceMarkdown(),
  };
}
