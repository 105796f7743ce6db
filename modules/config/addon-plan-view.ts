import type { ConfigIssue } from "../errors";

/**
 * What the config's cross-field checks read of an environment's add-on plan. The engine's `AddonPlan` has it;
 * declared here in config's own terms because the engine imports config (its schema, its issue paths), so config
 * importing the engine back, even for a type, would tie the two folders in a circle.
 */
export interface AddonPlanView {
  readonly addons: ReadonlyArray<PlannedAddonView>;
  /** The plan's own problems (paths relative to the environment). */
  readonly issues: ReadonlyArray<ConfigIssue>;
}

export interface PlannedAddonView {
  readonly name: string;
  readonly enabled: boolean;
  /** `pod-identity`, `irsa` or `none`. */
  readonly identity: string;
  /** Whether the add-on declares an AWS identity at all. */
  readonly definition: { readonly identity?: object };
}
