#!/usr/bin/env node
import { join } from "node:path";
import { REPORT_USAGE, runReportCommand } from "../tools/report/cli";

/** The `platform` command of the installed package (`dist/bin/platform.js`). */
const USAGE = `usage: platform <command>

  report    stacks, add-ons, versions, identities, dependencies and warnings per environment (--help for options)
  help      this text

The config comes from --config or $PLATFORM_CONFIG (YAML or JSON).
`;

async function main(argv: ReadonlyArray<string>): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "report") {
    return runReportCommand(rest, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      env: process.env,
      defaultConfig: join(__dirname, "..", "config", "example.yaml"),
    });
  }
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n${REPORT_USAGE}`);
    return 0;
  }
  process.stderr.write(`unknown command '${command}'\n${USAGE}`);
  return 1;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
