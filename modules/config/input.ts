import type { AddonOverrideInput, EnvironmentInput, TerraformCloudInput } from "./schema";

/**
 * The type of a whole config file as written, for configs built in TypeScript: field names and value types are
 * checked by the compiler (a misspelt key is a type error, `cluster.kubernetesVersion` is one of the supported
 * versions), and validation still runs (`validateConfig`, `new Platform(app, { config })`): account ids, regions
 * and cross-field rules are only known at run time.
 *
 * Every field of an environment entry is optional in the type because `defaults` may supply it; whether each
 * merged environment has what it needs is what validation reports, with the config path.
 *
 * The config does not know the add-on catalog: these types take its add-on names (`A`) as a parameter, and
 * modules/config-input.ts binds them to the platform's catalog (`PlatformConfigInput`, `defineConfig`).
 */
export type ConfigInput<T> =
  T extends ReadonlyArray<infer E>
    ? ReadonlyArray<E>
    : T extends object
      ? { readonly [K in keyof T]?: ConfigInput<T[K]> }
      : T;

/** One entry of `environments`, as written (before `defaults` are merged under it), for add-on names `A`. */
export type EnvironmentEntryInputFor<A extends string> = {
  readonly [K in Exclude<keyof EnvironmentInput, "addons">]?: ConfigInput<EnvironmentInput[K]>;
} & {
  /** Per add-on overrides, keyed by the catalog's add-on names. */
  readonly addons?: { readonly [K in A]?: ConfigInput<AddonOverrideInput> };
};

/** A whole config file, as written, for add-on names `A`. */
export interface PlatformConfigInputFor<A extends string> {
  /** Any environment field; deep-merged under every environment (the environment wins; lists are replaced). */
  readonly defaults?: EnvironmentEntryInputFor<A>;
  readonly environments: ReadonlyArray<EnvironmentEntryInputFor<A>>;
  /** The terraform-cloud stack's settings (its own backend), when an environment has `manageWorkspaces: true`. */
  readonly terraformCloud?: ConfigInput<TerraformCloudInput>;
}
