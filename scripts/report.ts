import { join } from "node:path";
import { runReportCommand } from "../modules/report/cli";

/** `npm run report -- [--format text|markdown] [--out <dir>]`: see `modules/report/cli.ts`. */
runReportCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  defaultConfig: join(__dirname, "..", "config", "example.yaml"),
}).then((code) => {
  process.exitCode = code;
});
