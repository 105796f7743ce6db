import type { ConfigIssue } from "../errors";
import type { KubernetesVersion } from "../versions";
import type { AddonDefinition, Delivery, DeliveryKind, EksAddonDelivery, IdentityMode, Layer, Values } from "./types";

/** What resolution (resolve.ts) makes of the config: one resolved add-on per definition, warnings and issues. */

export interface ResolvedAddon {
  readonly name: string;
  readonly description: string;
  readonly layer: Layer;
  readonly enabled: boolean;
  readonly delivery: Delivery;
  readonly version: string;
  /** The pin is outside what this release has verified (an acknowledged override). */
  readonly versionUnverified: boolean;
  /** Kubernetes versions the chosen version is known to support. */
  readonly supportedKubernetes: ReadonlyArray<KubernetesVersion>;
  readonly identity: IdentityMode;
  readonly namespace: string;
  readonly serviceAccount?: string;
  readonly dependsOn: ReadonlyArray<{ readonly name: string; readonly ready: boolean }>;
  readonly migrateFrom?: DeliveryKind;
  /** While migrating EKS -> Helm (phase 1): the EKS add-on delivery and version it stays installed with. */
  readonly installedWith?: { readonly delivery: EksAddonDelivery; readonly version: string };
  /** The environment's value overrides (merged over the add-on's defaults at render time). */
  readonly userValues: Values;
  readonly definition: AddonDefinition;
}

export interface AddonPlan {
  readonly addons: ReadonlyArray<ResolvedAddon>;
  readonly warnings: ReadonlyArray<string>;
  readonly issues: ReadonlyArray<ConfigIssue>;
}
