import type { App } from "cdktf";
import type { AddonPlan } from "../modules/engine/resolve";
import type { EnvironmentConfig, PlatformConfig } from "../modules/config/schema";
import type { AddonDefinition } from "../modules/engine/types";
import type { Layer } from "../modules/layers";
import { loadConfigFile, planOf, planPlatform, type PlatformPlan } from "../modules/plan";
import { LayerStack } from "./layer-stack";

/** The stacks of one environment, by layer; a layer switched off is `undefined`. */
export type EnvironmentStacks = {
  readonly environment: EnvironmentConfig;
  readonly addonPlan: AddonPlan;
  /** The environment's stacks in apply order. */
  readonly stacks: ReadonlyArray<LayerStack>;
} & { readonly [L in Layer]?: LayerStack };

export interface PlatformProps {
  /**
   * A validated config (`loadConfigFile`, `validateConfig`: it carries its plan), or raw data to validate.
   * Ignored when `plan` is given.
   */
  readonly config?: PlatformConfig | unknown;
  /** A plan from `planPlatform`, when the caller made one already (the report and the app share it). */
  readonly plan?: PlatformPlan;
  /** The add-ons to plan raw config with; default the platform's catalog. A validated config keeps its own. */
  readonly catalog?: ReadonlyArray<AddonDefinition>;
  /** Called before each environment is built, for progress output when there are many. */
  readonly onEnvironment?: (environment: EnvironmentConfig, index: number, total: number) => void;
}

/**
 * Every environment's layered stacks, added to a cdktf `App`. The config is planned (validated and resolved,
 * all problems at once) before the first construct is created. Teams compose it in their own app:
 *   const app = new App(); new Platform(app, { config: loadConfigFile("platform.yaml") }); app.synth();
 */
export class Platform {
  readonly plan: PlatformPlan;
  readonly environments: ReadonlyArray<EnvironmentStacks>;

  static fromFile(app: App, path: string, options: Omit<PlatformProps, "config" | "plan"> = {}): Platform {
    return new Platform(app, { ...options, config: loadConfigFile(path, { catalog: options.catalog }) });
  }

  constructor(app: App, props: PlatformProps) {
    this.plan = props.plan ?? planOf(props.config) ?? planPlatform(props.config, { catalog: props.catalog });
    const total = this.plan.environments.length;
    this.environments = this.plan.environments.map(({ environment, addons: addonPlan, layers }, index) => {
      props.onEnvironment?.(environment, index, total);
      const built = new Map<Layer, LayerStack>();
      for (const layer of layers) built.set(layer, new LayerStack(app, { environment, addonPlan, layer, earlier: built }));
      return { environment, addonPlan, stacks: [...built.values()], ...Object.fromEntries(built) };
    });
  }
}
