import { isAbsolute, join, relative } from "node:path";
import type { PlatformConfig } from "./modules/config/schema";
import { describeConfigFailure, PlatformConfigError } from "./modules/errors";
import { loadConfigFile, planOf } from "./modules/plan";
import { ENVIRONMENTS_VARIABLE, environmentNamesFrom, selectEnvironments } from "./modules/selection";
import type { Platform } from "./stacks/platform";
import { enabledLayers } from "./modules/layers";
import { stackName } from "./modules/naming";

/**
 * The cdktf app: reads the platform config from $PLATFORM_CONFIG (YAML or JSON), or the embedded example, and
 * synthesizes every environment's stacks (or those $PLATFORM_ENVIRONMENTS names) into $CDKTF_OUTDIR (default
 * cdktf.out). Bad config exits non-zero with one line per problem and writes nothing.
 *
 * Progress and the closing summary go to stdout, problems to stderr: the cdktf CLI prints an app's stdout as it is
 * and shows every stderr line as `[ERROR]`, and scripts tell success from failure by the stream and exit code.
 *
 * The config and the selection are checked first, in plain code: cdktf and the provider classes (two thirds of a
 * small synth's time) load only once there is something to build, so a bad config is reported at once.
 */
const configured = process.env.PLATFORM_CONFIG;
const configPath = configured ?? join(__dirname, "config", "example.yaml");
const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";

/** A path as the user would type it: relative to the working directory when it is below it. */
function shown(path: string): string {
  const below = relative(process.cwd(), path);
  return below && !below.startsWith("..") && !isAbsolute(below) ? below : path;
}

/** `dev-foundation, dev-network, ...`, or a count when there are too many to read. */
function stackList(names: ReadonlyArray<string>): string {
  return names.length <= 8 ? names.join(", ") : `${names.slice(0, 4).join(", ")}, ... and ${names.length - 4} more`;
}

/** The config, validated and planned, with the environments $PLATFORM_ENVIRONMENTS selects checked. */
function checkedConfig(): PlatformConfig | undefined {
  try {
    const config = loadConfigFile(configPath);
    selectEnvironments(planOf(config)!, environmentNamesFrom(process.env[ENVIRONMENTS_VARIABLE]));
    return config;
  } catch (error) {
    if (!(error instanceof PlatformConfigError)) return undefined; // the runner below reports it, as any failure
    process.stderr.write(describeConfigFailure(error, configPath));
    process.exit(1);
  }
}
const checked = checkedConfig();

/* eslint-disable @typescript-eslint/no-require-imports */
const { TerraformStack } = require("cdktf") as typeof import("cdktf");
const { runPlatformApp } = require("./modules/app-runner") as typeof import("./modules/app-runner");
const { Platform: PlatformStacks } = require("./stacks/platform") as typeof import("./stacks/platform");
/* eslint-enable @typescript-eslint/no-require-imports */

let platform: Platform | undefined;
let stacks: string[] = [];
// The same runner teams' apps use (index.ts exports it): one clean report of what failed, exit code 1.
const code = runPlatformApp(
  (app) => {
    const config = checked ?? loadConfigFile(configPath);
    platform = new PlatformStacks(app, {
      config,
      onEnvironment: (env, index, total) => {
        if (total > 1)
          process.stdout.write(
            `[${index + 1}/${total}] ${env.name}: building ${enabledLayers(env.layers)
              .map((layer) => stackName(env.name, layer))
              .join(", ")}\n`,
          );
      },
    });
    // Every stack the app holds, the environments' and any the platform adds beside them.
    stacks = app.node.children.filter(TerraformStack.isStack).map((stack) => stack.node.id);
  },
  { outdir, configName: configPath },
);
if (code !== 0) process.exit(code);
const built = platform!.environments;
const all = platform!.plan.environments.length;
const source =
  configured === undefined
    ? // the package's config/example.yaml (the compiled app reads the copy beside it in dist/)
      `the embedded example config (config/example.yaml; set PLATFORM_CONFIG to use your own)`
    : shown(configPath);
const selection =
  built.length < all
    ? `; ${ENVIRONMENTS_VARIABLE} selected ${built.length} of ${all} environments, all ${all} validated`
    : "";
process.stdout.write(
  `Synthesized ${stacks.length} stack${stacks.length === 1 ? "" : "s"} (${stackList(stacks)}) into ${shown(outdir)} from ${source}${selection}.\n`,
);
