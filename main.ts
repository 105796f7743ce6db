import { isAbsolute, join, relative } from "node:path";
import { TerraformStack } from "cdktf";
import { runPlatformApp } from "./modules/app-runner";
import { loadConfigFile } from "./modules/plan";
import { ENVIRONMENTS_VARIABLE } from "./modules/selection";
import { Platform } from "./stacks/platform";
import { enabledLayers } from "./modules/layers";
import { stackName } from "./modules/naming";

/**
 * The cdktf app: reads the platform config from $PLATFORM_CONFIG (YAML or JSON), or the embedded example, and
 * synthesizes every environment's stacks (or those $PLATFORM_ENVIRONMENTS names) into $CDKTF_OUTDIR (default
 * cdktf.out). Bad config exits non-zero with one line per problem and writes nothing.
 *
 * Progress and the closing summary go to stdout, problems to stderr: the cdktf CLI prints an app's stdout as it is
 * and shows every stderr line as `[ERROR]`, and scripts tell success from failure by the stream and exit code.
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

let platform: Platform | undefined;
let stacks: string[] = [];
// The same runner teams' apps use (index.ts exports it): one clean report of what failed, exit code 1.
const code = runPlatformApp(
  (app) => {
    const config = loadConfigFile(configPath);
    platform = new Platform(app, {
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
