import { isAbsolute, relative } from "node:path";
import type { PlatformConfig } from "../modules/config/schema";
import { describeConfigFailure, PlatformConfigError } from "../modules/errors";
import { enabledLayers } from "../modules/layers";
import { stackName } from "../modules/naming";
import { loadConfigFile, planOf } from "../modules/plan";
import { ENVIRONMENTS_VARIABLE, environmentNamesFrom, selectEnvironments } from "../modules/selection";
import type { Platform } from "./platform";

/** What the app reads and where it writes: main.ts passes the process's own. */
export interface AppMainOptions {
  /** PLATFORM_CONFIG (the config file; default `exampleConfig`), CDKTF_OUTDIR, PLATFORM_ENVIRONMENTS. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The embedded example config, read when PLATFORM_CONFIG is unset. */
  readonly exampleConfig: string;
  readonly stdout: { readonly write: (text: string) => unknown };
  readonly stderr: { readonly write: (text: string) => unknown };
  /** Paths under it are shown relative to it; default the working directory. */
  readonly cwd?: string;
}

/**
 * The platform's own app (main.ts): reads the config, synthesizes every environment's stacks (or those
 * PLATFORM_ENVIRONMENTS names) into CDKTF_OUTDIR (default cdktf.out), and returns the exit code. Bad config returns 1
 * with one line per problem and writes nothing.
 *
 * Progress and the closing summary go to stdout, problems to stderr: the cdktf CLI prints an app's stdout as it is
 * and shows every stderr line as `[ERROR]`, and scripts tell success from failure by the stream and exit code.
 *
 * The config and the selection are checked first, in plain code: cdktf and the provider classes (two thirds of a
 * small synth's time) load only once there is something to build, so a bad config is reported at once.
 */
export function runAppMain(options: AppMainOptions): 0 | 1 {
  const { env, stdout, stderr } = options;
  const configured = env.PLATFORM_CONFIG;
  const configPath = configured ?? options.exampleConfig;
  const outdir = env.CDKTF_OUTDIR ?? "cdktf.out";
  const selectedNames = environmentNamesFrom(env[ENVIRONMENTS_VARIABLE]);
  const cwd = options.cwd ?? process.cwd();
  /** A path as the user would type it: relative to the working directory when it is below it. */
  const shown = (path: string): string => {
    const below = relative(cwd, path);
    return below && !below.startsWith("..") && !isAbsolute(below) ? below : path;
  };

  let checked: PlatformConfig | undefined;
  try {
    checked = loadConfigFile(configPath);
    selectEnvironments(planOf(checked)!, selectedNames);
  } catch (error) {
    // Anything but a config problem is reported by the runner below, as any failure of a synth is.
    if (error instanceof PlatformConfigError) {
      stderr.write(describeConfigFailure(error, configPath));
      return 1;
    }
  }

  /* eslint-disable @typescript-eslint/no-require-imports */
  const { TerraformStack } = require("cdktf") as typeof import("cdktf");
  const { runPlatformApp } = require("../modules/app-runner") as typeof import("../modules/app-runner");
  const { Platform: PlatformStacks } = require("./platform") as typeof import("./platform");
  /* eslint-enable @typescript-eslint/no-require-imports */

  let platform: Platform | undefined;
  let stacks: string[] = [];
  // The same runner teams' apps use (index.ts exports it): one clean report of what failed, exit code 1.
  const code = runPlatformApp(
    (app) => {
      platform = new PlatformStacks(app, {
        config: checked ?? loadConfigFile(configPath),
        environments: selectedNames,
        onEnvironment: (environment, index, total) => {
          if (total > 1)
            stdout.write(
              `[${index + 1}/${total}] ${environment.name}: building ${enabledLayers(environment.layers)
                .map((layer) => stackName(environment.name, layer))
                .join(", ")}\n`,
            );
        },
      });
      // Every stack the app holds, the environments' and any the platform adds beside them.
      stacks = app.node.children.filter(TerraformStack.isStack).map((stack) => stack.node.id);
    },
    { outdir, configName: configPath, stderr },
  );
  if (code !== 0) return code;
  const built = platform!.environments.length;
  const all = platform!.plan.environments.length;
  const source =
    configured === undefined
      ? // the package's config/example.yaml (the compiled app reads the copy beside it in dist/)
        `the embedded example config (config/example.yaml; set PLATFORM_CONFIG to use your own)`
      : shown(configPath);
  const selection =
    built < all ? `; ${ENVIRONMENTS_VARIABLE} selected ${built} of ${all} environments, all ${all} validated` : "";
  stdout.write(
    `Synthesized ${stacks.length} stack${stacks.length === 1 ? "" : "s"} (${stackList(stacks)}) into ${shown(outdir)} from ${source}${selection}.\n`,
  );
  return 0;
}

/** `dev-foundation, dev-network, ...`, or a count when there are too many to read. */
function stackList(names: ReadonlyArray<string>): string {
  return names.length <= 8 ? names.join(", ") : `${names.slice(0, 4).join(", ")}, ... and ${names.length - 4} more`;
}
