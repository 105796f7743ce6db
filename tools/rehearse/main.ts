/**
 * `npm run rehearse -- [--out cdktf.out | --config config/example.yaml] [--scale 0.25] [--json] ...`: rehearses
 * the synthesized stacks with stand-in resources and judges the timelines (see ./cli.ts, docs/rehearsal.md).
 */
import { runRehearseCommand } from "./cli";

runRehearseCommand(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
