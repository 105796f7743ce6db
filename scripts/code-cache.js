// The V8 code cache of the app runner (scripts/app.js): the compiled JavaScript of every module the app loads,
// kept between runs.
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");

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
  process.once("exit", () => storeCachedData(dir, fresh, 100));
}

/**
 * Writes each freshly compiled script's cached data to its entry (atomically: a partial file, then a rename). Many
 * fresh entries mean a rebuild gave every compiled file a new entry and the old ones are never read again: then
 * entries not read for a week go first (read times: Linux's relatime updates them at most daily, enough here).
 */
function storeCachedData(dir, fresh, rebuildThreshold) {
  if (fresh.length > rebuildThreshold) pruneUnread(dir, 7 * 86_400_000);
  for (const { entry, script } of fresh) {
    try {
      const partial = `${entry}.${process.pid}`;
      fs.writeFileSync(partial, script.createCachedData());
      fs.renameSync(partial, entry);
    } catch {
      // a read-only checkout or a full disk: the next run compiles again
    }
  }
}

/** Removes cache entries last read longer than `ageMs` ago; a failure leaves the cache as it is. */
function pruneUnread(dir, ageMs) {
  try {
    const now = Date.now();
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (stat && now - Math.max(stat.atimeMs, stat.mtimeMs) > ageMs) fs.rmSync(file, { force: true });
    }
  } catch {
    // a read-only or vanished cache directory: nothing to prune
  }
}

module.exports = { enableCodeCache, pruneUnread, storeCachedData };
