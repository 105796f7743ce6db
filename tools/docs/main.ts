import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { referenceDocuments } from "./documents";
import { projectRoot } from "../project-root";

/**
 * `npm run docs`: regenerates docs/config-reference.md and docs/config.schema.json (from the config schema) and
 * docs/addons-reference.md (from the add-on catalog). `--check` writes nothing and exits 1 when a committed file
 * is out of date.
 * `npm run generate` regenerates these with every other generated file (tools/generate.ts).
 */
const root = projectRoot(__dirname);
const check = process.argv.includes("--check");
let stale = 0;
for (const [path, text] of Object.entries(referenceDocuments())) {
  let current = "";
  try {
    current = readFileSync(join(root, path), "utf8");
  } catch {
    // missing: stale
  }
  if (current === text) continue;
  stale++;
  if (check) process.stderr.write(`${path} is stale: run npm run generate\n`);
  else {
    writeFileSync(join(root, path), text);
    process.stdout.write(`wrote ${path}\n`);
  }
}
if (check && stale > 0) process.exitCode = 1;
if (!check && stale === 0) process.stdout.write("docs are up to date\n");
