import type { App } from "cdktf";
import { describeConfigFailure, PlatformConfigError } from "./errors";
import { describeSynthFailure, synthesizeAtomically } from "./synth";

/** Where the runner writes; process.stdout and process.stderr by default. */
export interface AppRunnerOutput {
  readonly write: (text: string) => unknown;
}

export interface RunPlatformAppOptions {
  /** Output directory; default $CDKTF_OUTDIR, else cdktf.out. */
  readonly outdir?: string;
  /** How config problems name the config ("platform.yaml"); default "the platform config". */
  readonly configName?: string;
  readonly stderr?: AppRunnerOutput;
}

/**
 * The entry point of an app built on the package, as `main.ts` is for the platform's own: builds the stacks and
 * synthesizes them atomically (modules/synth.ts), and on failure prints what went wrong once, without a stack
 * trace: a config problem as one line per issue with its path and fix, a policy finding as cdktf's validation
 * list (one line per finding with its waiver), anything else with whether the output directory holds the new or
 * the previous output. Returns the exit code and sets `process.exitCode`, so the app just ends.
 *
 *   import { runPlatformApp, Platform, loadConfigFile } from "cdktf-eks-platform";
 *   runPlatformApp((app) => { const platform = new Platform(app, { config: loadConfigFile("platform.yaml") }); ... });
 */
export function runPlatformApp(build: (app: App) => void, options: RunPlatformAppOptions = {}): 0 | 1 {
  const stderr = options.stderr ?? process.stderr;
  try {
    synthesizeAtomically(build, options.outdir);
    return 0;
  } catch (error) {
    stderr.write(describeAppFailure(error, options.configName ?? "the platform config"));
    process.exitCode = 1;
    return 1;
  }
}

/** The text the runner prints for a failed synth (no stack trace, each problem once). */
export function describeAppFailure(error: unknown, configName: string): string {
  if (error instanceof PlatformConfigError) return describeConfigFailure(error, configName);
  return describeSynthFailure(error);
}
