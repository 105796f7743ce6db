import type { App } from "cdktf";
import { ADDONS } from "../modules/addons/catalog";
import { resolveAddons, type AddonPlan } from "../modules/engine/resolve";
import { isValidatedConfig, loadConfigFile, validateConfig } from "../modules/config/load";
import type { EnvironmentConfig, PlatformConfig } from "../modules/config/schema";
import { enabledLayers, type Layer } from "../modules/layers";
import { LayerStack } from "./layer-stack";

/** The stacks of one environment, by layer; a layer switched off is `undefined`. */
export type EnvironmentStacks = {
  readonly environment: EnvironmentConfig;
  readonly addonPlan: AddonPlan;
  /** The environment's stacks in apply order. */
  readonly stacks: ReadonlyArray<LayerStack>;
} & { readonly [L in Layer]?: LayerStack };

export interface PlatformProps {
  /** A validated config (`loadConfigFile`, `validateConfig`), or raw data to validate. */
  readonly config: PlatformConfig | unknown;
  /** Called before each environment is built, for progress output when there are many. */
  readonly onEnvironment?: (environment: EnvironmentConfig, index: number, total: number) => void;
}

/**
 * Every environment's four layered stacks, added to a cdktf `App`. Config is validated (all problems at once)
 * before the first construct is created. Teams compose it in their own app:
 *   const app = new App(); new Platform(app, { config: loadConfigFile("platform.yaml") }); app.synth();
 */
export class Platform {
  readonly environments: ReadonlyArray<EnvironmentStacks>;

  static fromFile(app: App, path: string, options: Omit<PlatformProps, "config"> = {}): Platform {
    return new Platform(app, { ...options, config: loadConfigFile(path) });
  }

  constructor(app: App, props: PlatformProps) {
    const config = isValidatedConfig(props.config) ? props.config : validateConfig(props.config);
    const total = config.environments.length;
    this.environments = config.environments.map((environment, index) => {
      props.onEnvironment?.(environment, index, total);
      const addonPlan = resolveAddons(environment, ADDONS);
      const built = new Map<Layer, LayerStack>();
      for (const layer of enabledLayers(environment.layers)) {
        built.set(layer, new LayerStack(app, { environment, addonPlan, layer, earlier: built }));
      }
      return { environment, addonPlan, stacks: [...built.values()], ...Object.fromEntries(built) };
    });
  }
}
