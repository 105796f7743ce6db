/**
 * `npm run validate -- --reference ../shared/reference [--out cdktf.out] [--provider-schema schema.json ...] [--quiet]`:
 * validates synthesized stacks against upstream contracts, offline (see ./cli.ts; `platform validate` is the
 * same command in the installed package).
 */
import { runValidateCommand } from "./cli";

runValidateCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  command: "npm run validate --",
}).then((code) => {
  process.exitCode = code;
});
