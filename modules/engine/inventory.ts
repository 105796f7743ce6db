import type { AddonPlan } from "./resolve";
import type { DeliveryKind, IdentityMode, Layer } from "./types";

/**
 * The machine-readable add-on inventory of one environment: what is installed where, at which pinned version,
 * with which AWS identity. Plain JSON (no definitions, functions or tokens), so a report, a CI check or
 * `JSON.stringify` can use it without synthesizing anything.
 */
export interface InventoryEntry {
  readonly name: string;
  readonly layer: Layer;
  /** False when switched off in config or when its layer is off. */
  readonly enabled: boolean;
  readonly delivery: DeliveryKind;
  /** Pinned version: EKS add-on version, chart version, or the manifests' app version. */
  readonly version: string;
  /** True for an acknowledged override outside the versions this release has verified. */
  readonly versionUnverified: boolean;
  /** Kubernetes versions the version is known to support (empty when unverified). */
  readonly supportedKubernetes: ReadonlyArray<string>;
  readonly identity: IdentityMode;
  readonly namespace: string;
  /** The service account the AWS identity is bound to, when there is one. */
  readonly serviceAccount: string | null;
  /** Add-ons installed first; `ready` ones must also serve their webhooks first. */
  readonly dependsOn: ReadonlyArray<{ readonly name: string; readonly ready: boolean }>;
  /** The delivery being migrated away from, while a migration is in progress. */
  readonly migrateFrom: DeliveryKind | null;
}

/** Every add-on of the plan, in catalog order, enabled or not. */
export function inventory(plan: AddonPlan): InventoryEntry[] {
  return plan.addons.map((addon) => ({
    name: addon.name,
    layer: addon.layer,
    enabled: addon.enabled,
    delivery: addon.delivery.kind,
    version: addon.version,
    versionUnverified: addon.versionUnverified,
    supportedKubernetes: [...addon.supportedKubernetes],
    identity: addon.identity,
    namespace: addon.namespace,
    serviceAccount: addon.serviceAccount ?? (addon.identity === "none" ? null : addon.name),
    dependsOn: addon.dependsOn.map(({ name, ready }) => ({ name, ready })),
    migrateFrom: addon.migrateFrom ?? null,
  }));
}
