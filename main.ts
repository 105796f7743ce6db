import { join } from "node:path";
import { runAppMain } from "./stacks/app-main";

/**
 * The cdktf app: reads the platform config from $PLATFORM_CONFIG (YAML or JSON), or the embedded example, and
 * synthesizes every environment's stacks (or those $PLATFORM_ENVIRONMENTS names) into $CDKTF_OUTDIR (default
 * cdktf.out). Bad config exits 1 with one line per problem and writes nothing. What it prints, and where:
 * stacks/app-main.ts.
 */
const code = runAppMain({
  env: process.env,
  // the package's config/example.yaml (the compiled app reads the copy beside it in dist/)
  exampleConfig: join(__dirname, "config", "example.yaml"),
  stdout: process.stdout,
  stderr: process.stderr,
});
if (code !== 0) process.exit(code);
