import type { AddonName } from "./addons/catalog";
import type { EnvironmentEntryInputFor, PlatformConfigInputFor } from "./config/input";

/**
 * The typed config of the platform's catalog: `addons.<name>` takes the catalog's add-on names as literal types
 * (derived from `ADDONS`, so registering an add-on adds its name), `cluster.kubernetesVersion` the supported
 * versions. Here, not in modules/config, because the config does not import the catalog (add-ons read the config).
 */

/** One entry of `environments`, as written (before `defaults` are merged under it). */
export type EnvironmentEntryInput = EnvironmentEntryInputFor<AddonName>;

/** A whole config file, as written. */
export type PlatformConfigInput = PlatformConfigInputFor<AddonName>;

/** Identity, for an inline config with the type checked where it is written: `defineConfig({ environments: [...] })`. */
export function defineConfig(config: PlatformConfigInput): PlatformConfigInput {
  return config;
}
