#!/usr/bin/env node
// The app runner: compiles the TypeScript sources once with the native TypeScript 7 compiler into dist/, then
// runs the compiled JavaScript in this same process. A rebuild happens only when a source file changed (a
// fingerprint of paths, sizes and modification times), so `npm run synth` and `npx cdktf synth` work on a fresh
// clone and cost little more than `node dist/main.js` afterwards. Why not tsx: it transpiles on every start and
// runs Node's loader hooks, which costs more than the synthesis itself (docs/performance.md has the numbers).
//
//   node scripts/app.js [entry.ts] [args...]   run dist/<entry>.js (default main.ts), rebuilding when stale
//   node scripts/app.js --build                clean build (type errors fail it): what `npm run build` does
//   node scripts/app.js --ensure-built         build only when a source changed (the process tests' globalSetup)
//
// The build lock is scripts/build-lock.js; the V8 code cache, scripts/code-cache.js.
"use strict";
const { createHash } = require("node:crypto");
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { isAlive, withBuildLock } = require("./build-lock");
const { enableCodeCache } = require("./code-cache");

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, "dist");
const FINGERPRINT_FILE = ".build-fingerprint";
/**
 * What the build reads: TypeScript sources, and what is copied next to the output because code finds it via
 * `__dirname` (the manifests chart; the example config). Only `config/example.yaml`: editing your own config
 * under config/ must not trigger a rebuild.
 */
const COPIED = ["charts", "config/example.yaml"];
const SOURCES = [
  "main.ts",
  "index.ts",
  "tsconfig.json",
  "tsconfig.build.json",
  "modules",
  "stacks",
  "scripts",
  "tools",
  "bin",
  ...COPIED,
];

function sourceFingerprint() {
  const hash = createHash("sha1");
  const visit = (relative) => {
    let stat;
    try {
      stat = fs.statSync(path.join(ROOT, relative));
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(path.join(ROOT, relative)).sort()) visit(path.join(relative, entry));
    } else {
      hash.update(`${relative}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  SOURCES.forEach(visit);
  return hash.digest("hex");
}

function readFingerprint() {
  try {
    return fs.readFileSync(path.join(DIST, FINGERPRINT_FILE), "utf8");
  } catch {
    return undefined;
  }
}

/** Compiles into a fresh directory and swaps it in, so a concurrent run never reads half-written files. */
function build({ strict }) {
  const fingerprint = sourceFingerprint();
  removeStaleBuildDirectories();
  const staging = `${DIST}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  let tsc;
  try {
    tsc = path.join(path.dirname(require.resolve("typescript/package.json", { paths: [ROOT] })), "bin", "tsc");
  } catch {
    return { ok: false, message: "the TypeScript compiler is not installed: run `npm ci`" };
  }
  const started = Date.now();
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json"), "--outDir", staging], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
  if (!fs.existsSync(path.join(staging, "main.js"))) {
    fs.rmSync(staging, { recursive: true, force: true });
    return { ok: false, message: `compilation failed:\n${output}` };
  }
  if (result.status !== 0 && strict) {
    fs.rmSync(staging, { recursive: true, force: true });
    return { ok: false, message: `type errors:\n${output}` };
  }
  for (const item of COPIED) fs.cpSync(path.join(ROOT, item), path.join(staging, item), { recursive: true });
  fs.writeFileSync(path.join(staging, FINGERPRINT_FILE), fingerprint);
  const old = `${DIST}.old-${process.pid}`;
  if (fs.existsSync(DIST)) fs.renameSync(DIST, old);
  fs.renameSync(staging, DIST);
  fs.rmSync(old, { recursive: true, force: true });
  const typeErrors = result.status !== 0 ? output.split("\n").filter((line) => /error TS\d+/.test(line)).length : 0;
  return { ok: true, seconds: (Date.now() - started) / 1000, typeErrors };
}

/** Staging and old copies of dist/ that killed builds left (named by their pid); run under the build lock. */
function removeStaleBuildDirectories() {
  for (const name of fs.readdirSync(ROOT)) {
    const match = /^dist\.(staging|old)-(\d+)$/.exec(name);
    if (match && Number(match[2]) !== process.pid && !isAlive(Number(match[2])))
      fs.rmSync(path.join(ROOT, name), { recursive: true, force: true });
  }
}

/**
 * `progress` is where the compile notes go: stdout for the synth app (the cdktf CLI shows an app's stderr lines
 * as `[ERROR]`), stderr for the tools, whose stdout is their output (`npm run report > report.md`).
 */
function ensureBuilt(progress) {
  if (readFingerprint() === sourceFingerprint()) return;
  const hasSources = fs.existsSync(path.join(ROOT, "main.ts"));
  if (!hasSources) return; // an installed package: dist/ is what was published
  // The benchmark measures the same dist/ throughout, even while someone edits a source file.
  if (process.env.PLATFORM_APP_NO_REBUILD === "1" && fs.existsSync(path.join(DIST, "main.js"))) return;
  withBuildLock(() => {
    if (readFingerprint() === sourceFingerprint()) return; // someone else built it while we waited
    progress.write("compiling the TypeScript sources into dist/ (only after a change) ...\n");
    const result = build({ strict: false });
    if (!result.ok) {
      process.stderr.write(`${result.message}\n`);
      process.exit(1);
    }
    const note = result.typeErrors ? `; ${result.typeErrors} type error(s): run \`npm run typecheck\`` : "";
    progress.write(`compiled in ${result.seconds.toFixed(1)} s${note}\n`);
  });
}

const { skipTokenCreationStacks } = require("./token-stacks");

const args = process.argv.slice(2);
if (args[0] === "--build") {
  const result = withBuildLock(() => build({ strict: true }));
  if (!result.ok) {
    process.stderr.write(`${result.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`built dist/ in ${result.seconds.toFixed(1)} s\n`);
} else if (args[0] === "--ensure-built") {
  ensureBuilt(process.stderr); // what the process tests' globalSetup runs once before they start
} else {
  const explicitEntry = args[0] !== undefined && /\.(ts|js)$/.test(args[0]);
  const entry = explicitEntry ? args[0] : "main.ts";
  ensureBuilt(entry === "main.ts" ? process.stdout : process.stderr);
  const compiled = path.join(DIST, entry.replace(/^\.\//, "").replace(/\.ts$/, ".js"));
  if (!fs.existsSync(compiled)) {
    process.stderr.write(
      `no compiled entry ${path.relative(ROOT, compiled)} (is ${entry} included in tsconfig.build.json?)\n`,
    );
    process.exit(1);
  }
  process.argv = [process.argv[0], compiled, ...args.slice(explicitEntry ? 1 : 0)];
  enableCodeCache();
  skipTokenCreationStacks();
  require(compiled);
}
