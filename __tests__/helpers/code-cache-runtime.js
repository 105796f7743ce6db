// jest's module runtime with a V8 code cache (jest.config.js `runtime`), for the tests only.
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Runtime = require("jest-runtime").default;
const { storeCachedData } = require("../../scripts/code-cache");

/**
 * Every group file gets a fresh module registry, so each compiles cdktf, the provider classes, zod and the product
 * again: megabytes of the same JavaScript in every group and every run (about 3 s of the suite's worker time went
 * to jest's `compileFunction` alone, more to compiling functions lazily as they ran). This runtime compiles a
 * module as a `vm.Script` with V8's cached data for its exact text (what jest transformed, keyed by file name and
 * a hash of the text, so an edit is a new entry) and, when a group ends, stores the data of each script it had to
 * compile, functions compiled while the group ran included. A rejected or foreign entry is compiled afresh and
 * rewritten. The app runner does the same for the app (scripts/code-cache.js).
 *
 * Only the compilation changes: the module wrapper's parameters, the context and the execution are jest's. A file
 * with a dynamic `import()` (which needs jest's callback), or a jest whose internals differ from what this expects,
 * compiles as jest does. JEST_NO_CODE_CACHE=1 turns it off.
 */

const DIR = path.join(
  __dirname,
  "..",
  "..",
  "node_modules",
  ".cache",
  "cdktf-eks-platform",
  // V8 rejects data made under other flags (`npm test` passes --single-threaded-gc, `npx jest` does not): one
  // directory per set, so the two do not overwrite each other's entries.
  `jest-v8-${process.version}-${process.arch}-${createHash("sha1").update(process.execArgv.join(" ")).digest("hex").slice(0, 8)}`,
);
const enabled = process.env.JEST_NO_CODE_CACHE !== "1" && makeDirectory(DIR);

function makeDirectory(dir) {
  try {
    fs.mkdirSync(dir, { recursive: true });
    return true;
  } catch {
    return false; // a read-only checkout: jest compiles as it always does
  }
}

let warned = false;
function warnOnce(message) {
  if (!warned) process.stderr.write(`${message}\n`);
  warned = true;
}

class CodeCacheRuntime extends Runtime {
  #fresh = [];

  constructor(...args) {
    super(...args);
    const executor = this.executor;
    if (!enabled) return;
    if (typeof executor?.compile !== "function" || !Array.isArray(executor.injectedModuleParameters)) {
      warnOnce("jest's module executor is not what __tests__/helpers/code-cache-runtime.js expects: no code cache");
      return;
    }
    const compile = executor.compile.bind(executor);
    executor.compile = (source, filename) => {
      const context = executor.environment.getVmContext();
      if (context == null || source.includes("import(") || this._resolution?.isCoreModule?.(filename))
        return compile(source, filename);
      const parameters = executor.injectedModuleParameters.join(", ");
      const entry = path.join(
        DIR,
        createHash("sha1").update(`${filename}\0${parameters}\0`).update(source).digest("hex"),
      );
      let cachedData;
      try {
        cachedData = fs.readFileSync(entry);
      } catch {
        cachedData = undefined;
      }
      let script;
      try {
        // The source starts on the wrapper's line, as Node's own module wrapper does: line numbers stay the file's.
        script = new vm.Script(`(function (${parameters}) {${source}\n})`, { filename, cachedData });
      } catch {
        return compile(source, filename); // jest's own compile reports the syntax error its way
      }
      if (!cachedData || script.cachedDataRejected) this.#fresh.push({ entry, script });
      return script.runInContext(context, { filename });
    };
  }

  teardown() {
    // After the group ran: the cached data then holds the functions it compiled while running.
    storeCachedData(DIR, this.#fresh.splice(0), 200);
    return super.teardown();
  }
}

module.exports = CodeCacheRuntime;
