import type { EnvironmentInput, TerraformCloudInput } from "./schema";

/**
 * The type of a whole config file as written, for configs built in TypeScript: field names and value types are
 * checked by the compiler (a misspelt key is a type error), and validation still runs (`validateConfig`,
 * `new Platform(app, { config })`): account ids, regions, cross-field rules and the add-on catalog are only
 * known at run time.
 *
 * Every field of an environment entry is optional in the type because `defaults` may supply it; whether each
 * merged environment has what it needs is what validation reports, with the config path.
 */
export type ConfigInput<T> =
  T extends ReadonlyArray<infer E>
    ? ReadonlyArray<E>
    : T extends object
      ? { readonly [K in keyof T]?: ConfigInput<T[K]> }
      : T;

/** One entry of `environments`, as written (before `defaults` are merged under it). */
export type EnvironmentEntryInput = ConfigInput<EnvironmentInput>;

export interface PlatformConfigInput {
  /** Any environment field; deep-merged under every environment (the environment wins; lists are replaced). */
  readonly defaults?: EnvironmentEntryInput;
  readonly environments: ReadonlyArray<EnvironmentEntryInput>;
  /** The terraform-cloud stack's settings (its own backend), when an environment has `manageWorkspaces: true`. */
  readonly terraformCloud?: ConfigInput<TerraformCloudInput>;
}

/** Identity, for an inline config with the type checked where it is written: `defineConfig({ environments: [...] })`. */
export function defineConfig(config: PlatformConfigInput): PlatformConfigInput {
  return config;
}
