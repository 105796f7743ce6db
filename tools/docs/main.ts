import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { addonsReferenceMarkdown } from "./addons-reference";
import { configReferenceMarkdown } from "./config-reference";
import { projectRoot } from "../project-root";

/**
 * `npm run docs`: regenerates docs/config-reference.md (from the config schema) and docs/addons-reference.md
 * (from the add-on catalog). `--check` writes nothing and exits 1 when a committed file is out of date.
 */
const root = projectRoot(__dirname);
const documents: Record<string, string> = {
  "docs/config-reference.md": configReferenceMarkdown(join(root, "modules", "config")),
  "docs/addons-reference.md": addonsReferenceMarkdown(),
};
const check = process.argv.includes("--check");
let stale = 0;
for (const [path, text] of Object.entries(documents)) {
  let current = "";
  try {
    current = readFileSync(join(root, path), "utf8");
  } catch {
    // missing: stale
  }
  if (current === text) continue;
  stale++;
  if (check) process.stderr.write(`${path} is out of date: run npm run docs\n`);
  else {
    writeFileSync(join(root, path), text);
    process.stdout.write(`wrote ${path}\n`);
  }
}
if (check && stale > 0) process.exitCode = 1;
if (!check && stale === 0) process.stdout.write("docs are up to date\n");
