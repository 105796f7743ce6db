import { join } from "node:path";
import { formatIssue, PlatformConfigError } from "./modules/errors";
import { loadConfigFile } from "./modules/plan";
import { synthesizeAtomically } from "./modules/synth";
import { Platform } from "./stacks/platform";
import { enabledLayers } from "./modules/layers";
import { stackName } from "./modules/naming";

/**
 * The cdktf app: reads the platform config from $PLATFORM_CONFIG (YAML or JSON), or the embedded example, and
 * synthesizes every environment's stacks into $CDKTF_OUTDIR (default cdktf.out). Bad config exits non-zero
 * with one line per problem and writes nothing.
 */
const configPath = process.env.PLATFORM_CONFIG ?? join(__dirname, "config", "example.yaml");

try {
  const config = loadConfigFile(configPath);
  const many = config.environments.length > 1;
  synthesizeAtomically((app) => {
    new Platform(app, {
      config,
      onEnvironment: many ? (env, index, total) => process.stderr.write(`[${index + 1}/${total}] ${env.name}: building ${enabledLayers(env.layers).map((layer) => stackName(env.name, layer)).join(", ")}\n`) : undefined,
    });
  });
} catch (error) {
  if (error instanceof PlatformConfigError) {
    process.stderr.write(`${error.issues.length} problem${error.issues.length === 1 ? "" : "s"} in ${configPath}:\n`);
    for (const issue of error.issues) process.stderr.write(`  ${formatIssue(issue)}\n`);
    process.stderr.write("Nothing was synthesized.\n");
  } else {
    process.stderr.write(`synth failed: ${(error as Error).message}\nNothing was synthesized.\n`);
  }
  process.exit(1);
}
