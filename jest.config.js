// Three layers of tests, each with one job (docs/testing.md):
//   unit     plain code: config, plan, engine resolution, policy rules on JSON, CIDR, naming. Never loads cdktf or
//            a provider class (a unit test checks the import closure of every file here).
//   synth    builds stacks with cdktf in-process; a fixture config is synthesized once and read by many assertions.
//   process  runs the app, the CLI, packaging and `terraform` as child processes, against a dist/ built once
//            (globalSetup) and never rebuilt during the run.
// Tests are transpiled by SWC (no type-checking in the test run: `npm run typecheck` does that once, with the
// native TypeScript 7 compiler, which is far faster). Two workers: the machine has two cores.
// `npm test` starts jest as `node --single-threaded-gc ...` (the workers inherit the flag): with two workers busy on
// two cores, V8's parallel and concurrent GC threads only take time from the other worker; one GC thread each used
// about 4% less CPU and wall time in paired runs of the whole suite (docs/performance.md).
// The report's Graphviz (WebAssembly) ships as an ES module only: compiled to CommonJS like the tests, so the
// generators run in-process too.
const ESM_ONLY = "@hpcc-js/wasm-graphviz";
const transform = {
  "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }],
  [`/node_modules/${ESM_ONLY}/.+\\.js$`]: ["@swc/jest", { jsc: { target: "es2022" } }],
};
// Jest crawls its roots for its file map on every run (42,000 files with node_modules): only the tests' own
// directory is crawled; the sources they import are resolved from disk as Node does.
const common = {
  roots: ["<rootDir>/__tests__"],
  testEnvironment: "node",
  transform,
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)`],
  moduleFileExtensions: ["ts", "js", "json"],
  // jest's module runtime with a V8 code cache: each group compiles the same megabytes of JavaScript otherwise.
  runtime: "<rootDir>/__tests__/helpers/code-cache-runtime.js",
};

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/scripts/summary-reporter.js"],
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/__tests__/groups/unit-*.ts"] },
    {
      ...common,
      displayName: "synth",
      testMatch: ["<rootDir>/__tests__/groups/synth-*.ts"],
      setupFilesAfterEnv: ["<rootDir>/__tests__/helpers/setup-synth.ts"],
    },
    {
      ...common,
      displayName: "process",
      testMatch: ["<rootDir>/__tests__/groups/process-*.ts"],
      globalSetup: "<rootDir>/__tests__/helpers/build-once.js",
      setupFilesAfterEnv: ["<rootDir>/__tests__/helpers/setup-synth.ts"],
    },
  ],
};
