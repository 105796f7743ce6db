import { join } from "node:path";
import { runReportCommand } from "./cli";
import { projectRoot } from "../project-root";

/** `npm run report -- [--format text|markdown] [--out <dir>]`: see `tools/report/cli.ts`. */
runReportCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  defaultConfig: join(projectRoot(__dirname), "config", "example.yaml"),
}).then((code) => {
  process.exitCode = code;
});
