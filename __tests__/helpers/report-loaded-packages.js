// Preloaded into a child process by a process test (NODE_OPTIONS="--require <this file>"): when the process
// exits, writes the files it loaded from npm packages to $LOADED_PACKAGES_FILE, as JSON: package name -> the
// package's files, relative to it, sorted.
"use strict";
const { writeFileSync } = require("node:fs");

process.once("exit", () => {
  const target = process.env.LOADED_PACKAGES_FILE;
  if (!target) return;
  const packages = {};
  for (const file of Object.keys(require.cache).sort()) {
    const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/](.*)$/.exec(file);
    if (match) (packages[match[1].replace(/\\/g, "/")] ??= []).push(match[2].replace(/\\/g, "/"));
  }
  writeFileSync(target, JSON.stringify(packages));
});
