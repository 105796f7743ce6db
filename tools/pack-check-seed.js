#!/usr/bin/env node
// tools/pack-check.sh's shortcut: hard-links the app's own dependencies (cdktf, constructs, the provider classes,
// TypeScript: about 600 MB), with everything they depend on, from this checkout's node_modules into the app's, when
// the checkout has exactly the versions the app pins; npm install then extracts only the package under test and
// what it depends on. The package's own dependencies are never seeded, so one its package.json forgets still fails
// the app. Nothing is seeded (npm installs everything) when a version differs or the app is on another filesystem.
//   node tools/pack-check-seed.js <checkout root> <app dir>
"use strict";
const { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } = require("node:fs");
const { join } = require("node:path");

const [root, app] = process.argv.slice(2);
const from = join(root, "node_modules");
const read = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const wanted = read(app);
const direct = Object.entries({ ...wanted.dependencies, ...wanted.devDependencies }).filter(
  ([, spec]) => !spec.startsWith("file:"), // the package under test: npm installs it
);

const seeds = new Set();
const visit = (name) => {
  if (seeds.has(name) || !existsSync(join(from, name, "package.json"))) return;
  seeds.add(name);
  const manifest = read(join(from, name));
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dep);
};
for (const [name, spec] of direct) {
  const have = existsSync(join(from, name, "package.json")) ? read(join(from, name)).version : undefined;
  if (have !== spec) {
    console.log(`   not seeded: the app pins ${name} ${spec}, node_modules has ${have ?? "none"}`);
    process.exit(0);
  }
  visit(name);
}

const link = (source, target) => {
  if (statSync(source).isDirectory()) {
    mkdirSync(target, { recursive: true });
    for (const entry of readdirSync(source)) link(join(source, entry), join(target, entry));
  } else linkSync(source, target);
};
try {
  for (const name of seeds) link(join(from, name), join(app, "node_modules", name));
  console.log(`   seeded ${seeds.size} packages: the ${direct.length} the app depends on, and theirs`);
} catch (error) {
  if (error.code !== "EXDEV") throw error;
  rmSync(join(app, "node_modules"), { recursive: true, force: true });
  console.log("   not seeded: node_modules is on another filesystem");
}
