// globalSetup of the process tests: compile dist/ once (only when a source changed since the last build), then
// pin it for the whole run. Every child process the tests start runs `node scripts/app.js ...`, which would
// otherwise check the sources' fingerprint and could rebuild in the middle of the run.
"use strict";
const { execFileSync } = require("node:child_process");
const path = require("node:path");

module.exports = async function buildOnce() {
  const root = path.resolve(__dirname, "..", "..");
  execFileSync(process.execPath, [path.join(root, "scripts", "app.js"), "--ensure-built"], {
    cwd: root,
    stdio: "inherit",
  });
  process.env.PLATFORM_APP_NO_REBUILD = "1";
};
