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
"use strict";
const { createHash } = require("node:crypto");
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const { hostname, tmpdir } = require("node:os");
const path = require("node:path");

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

/** `kill(pid, 0)` probes without signalling; EPERM means the process exists under another user. */
function isAlive(pid) {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false; // 0 and negatives would address process groups
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * One build at a time per checkout (several people and CI jobs may run synth together). The lock file holds the
 * owner's pid and host, so a lock left by a killed run is taken over at once when its process is gone (a lock
 * our own pid left belongs to an earlier process: a restarted container). A live owner is waited for.
 */
function withBuildLock(action) {
  const lock = path.join(
    tmpdir(),
    `cdktf-eks-platform-build-${createHash("sha1").update(ROOT).digest("hex").slice(0, 12)}.pid.lock`,
  );
  const mine = `${process.pid} ${hostname()}\n`;
  const deadline = Date.now() + 600_000;
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, mine, { flag: "wx" });
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
    let held;
    try {
      held = fs.readFileSync(lock, "utf8");
    } catch (error) {
      if (error.code === "ENOENT") continue; // released meanwhile
      throw error;
    }
    const [pid, host] = held.trim().split(" ");
    const owner = /^\d+$/.test(pid) ? Number(pid) : 0;
    // An empty lock is being written right now, unless its writer died between creating and writing it.
    const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    const stale = owner === 0 ? age > 10_000 : host === hostname() && (owner === process.pid || !isAlive(owner));
    if (stale) {
      reclaim(lock, held);
      continue;
    }
    if (Date.now() > deadline) {
      process.stderr.write(
        `pid ${pid} has held the build lock ${lock} for 10 minutes: stop it if it is stuck (or delete the lock if that pid is no build)\n`,
      );
      process.exit(1);
    }
    if (!announced)
      process.stderr.write(
        `waiting for pid ${pid}${host === hostname() ? "" : ` on ${host}`}, which is compiling this checkout into dist/ ...\n`,
      );
    announced = true;
    sleep(100);
  }
  try {
    return action();
  } finally {
    try {
      if (fs.readFileSync(lock, "utf8") === mine) fs.unlinkSync(lock);
    } catch {
      // already gone
    }
  }
}

/**
 * Takes a dead owner's lock by renaming it (atomic: of two processes reclaiming it, one wins), then checks it took
 * what it judged stale: if a live process had reclaimed it first, that process's lock is linked back.
 */
function reclaim(lock, held) {
  const claimed = `${lock}.stale-${process.pid}`;
  try {
    fs.renameSync(lock, claimed);
  } catch {
    return;
  }
  try {
    if (fs.readFileSync(claimed, "utf8") !== held) fs.linkSync(claimed, lock);
  } catch {
    // a third process took the free lock meanwhile: the lock it holds is the valid one
  }
  fs.rmSync(claimed, { force: true });
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

/**
 * V8 code cache for every CommonJS module the app loads: most of a synth is compiling the JavaScript of cdktf,
 * zod and the provider classes (megabytes), the same bytes every run. Node >= 22.1 has this built in
 * (`module.enableCompileCache`); on Node 20 the same thing is done here, the way `v8-compile-cache` does it.
 * Cached per file (path, size, mtime) under node_modules/.cache; a stale or foreign entry is rejected by V8 and
 * rewritten. Files with dynamic `import()` compile normally (vm.Script cannot serve it without a callback).
 * PLATFORM_APP_NO_CODE_CACHE=1 turns it off.
 */
function enableCodeCache() {
  if (process.env.PLATFORM_APP_NO_CODE_CACHE === "1") return;
  const Module = require("node:module");
  const dir = path.join(ROOT, "node_modules", ".cache", "cdktf-eks-platform", `v8-${process.version}-${process.arch}`);
  if (typeof Module.enableCompileCache === "function") {
    Module.enableCompileCache(dir);
    return;
  }
  const vm = require("node:vm");
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch {
    return;
  }
  const fresh = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (content.includes("import(")) return compile.call(this, content, filename);
    let stat;
    try {
      stat = fs.statSync(filename);
    } catch {
      return compile.call(this, content, filename);
    }
    const entry = path.join(
      dir,
      createHash("sha1").update(`${filename}\0${stat.size}\0${stat.mtimeMs}\0${content.length}`).digest("hex"),
    );
    let cachedData;
    try {
      cachedData = fs.readFileSync(entry);
    } catch {
      cachedData = undefined;
    }
    // Node's own loader strips a shebang line (bin/platform.ts has one); vm.Script would refuse it.
    const source = content.startsWith("#!") ? `//${content.slice(2)}` : content;
    const script = new vm.Script(Module.wrap(source), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) fresh.push({ entry, script });
    const module = this;
    const localRequire = (id) => module.require(id);
    localRequire.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
    localRequire.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
    localRequire.main = require.main;
    localRequire.extensions = Module._extensions;
    localRequire.cache = Module._cache;
    return script
      .runInThisContext({ displayErrors: true })
      .call(module.exports, module.exports, localRequire, module, filename, path.dirname(filename));
  };
  // Written at exit, after the run compiled the functions it used: the cache then holds them too.
  process.once("exit", () => {
    for (const { entry, script } of fresh) {
      try {
        const partial = `${entry}.${process.pid}`;
        fs.writeFileSync(partial, script.createCachedData());
        fs.renameSync(partial, entry);
      } catch {
        // a read-only checkout: run without the cache
      }
    }
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
