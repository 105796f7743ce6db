// Tests are transpiled by SWC (no type-checking in the test run: `npm run typecheck`
// does that once, with the native TypeScript 7 compiler, which is far faster).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  moduleFileExtensions: ["ts", "js", "json"],
  reporters: ["default", "<rootDir>/scripts/summary-reporter.js"],
};
