// Runs topics (test files) on their own, each in its own module registry, as plain jest does:
//   npm run test:one -- <path pattern>      e.g. npm run test:one -- network   or   -- __tests__/unit/cidr
// `npm test` (jest.config.js) runs the same files in groups that share a registry (__tests__/helpers/groups.ts).
const base = require("./jest.config.js");

const layers = { unit: "unit", synth: "synth", process: "process" };
/** @type {import('jest').Config} */
module.exports = {
  ...base,
  projects: base.projects.map((project) => ({
    ...project,
    testMatch: [`<rootDir>/__tests__/${layers[project.displayName]}/**/*.test.ts`],
  })),
};
