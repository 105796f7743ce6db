#!/usr/bin/env node
import { join } from "node:path";
import { REPORT_USAGE } from "../tools/report/usage";

/** The `platform` command of the installed package (`dist/bin/platform.js`). */
const USAGE = `usage: platform <command>

  report    stacks, add-ons, versions, identities, dependencies and warnings per environment (--help for options)
  pins      check the EKS add-on pins against \`aws eks describe-addon-versions\` output (--addon-versions FILE, or the AWS CLI)
  validate  check synthesized stacks (cdktf.out) against provider schemas, CRDs, chart values schemas and IAM
            policies, offline (--help for options)
  rehearse  apply and destroy stand-ins of the synthesized stacks on real terraform and judge the timelines
            (token lifetimes, destroy order, access entries, webhooks; --help for options)
  help      this text

The config comes from --config or $PLATFORM_CONFIG (YAML or JSON).
`;

async function main(argv: ReadonlyArray<string>): Promise<number> {
  const [command, ...rest] = argv;
  const io = {
    stdout: (text: string) => process.stdout.write(text),
    stderr: (text: string) => process.stderr.write(text),
    env: process.env,
  };
  // Each command loads its own code when it runs: `help` and the others start without the report's config and
  // model machinery, as `validate` and `rehearse` start without each other's.
  if (command === "report") {
    const { runReportCommand } = require("../tools/report/cli") as typeof import("../tools/report/cli");
    return runReportCommand(rest, { ...io, defaultConfig: join(__dirname, "..", "config", "example.yaml") });
  }
  if (command === "pins") {
    const { runPinsCommand } = require("../tools/pins") as typeof import("../tools/pins");
    return runPinsCommand(rest, io);
  }
  if (command === "validate") {
    // Loaded only for this command: the validator brings ajv and the JSON schema machinery with it.
    const { runValidateCommand } = require("../tools/validate/cli") as typeof import("../tools/validate/cli");
    return runValidateCommand(rest, { ...io, command: "platform validate" });
  }
  if (command === "rehearse") {
    const { runRehearseCommand } = require("../tools/rehearse/cli") as typeof import("../tools/rehearse/cli");
    return runRehearseCommand(rest);
  }
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(
      `${USAGE}\n${REPORT_USAGE}\nusage: platform validate --reference <dir> [--out cdktf.out] [--provider-schema <file>]... [--quiet]\n`,
    );
    return 0;
  }
  process.stderr.write(`unknown command '${command}'\n${USAGE}`);
  return 1;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
