import { enforcedLevel, namespacePodSecurity, type NamespacePodSecurity } from "./pod-security";
import type { AddonPlan, ResolvedAddon } from "./addon-plan";
import type { DeliveryKind, IdentityMode, Layer, PodSecurityLevel } from "./types";

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
  /**
   * Pod Security: the strictest level the add-on's pods meet (declared in its folder), and the level its namespace
   * enforces (the weakest declared there; kube-system is privileged and unlabeled).
   */
  readonly podSecurity: {
    readonly pods: PodSecurityLevel;
    readonly namespace: PodSecurityLevel;
    readonly labeled: boolean;
  };
  /** The service account the AWS identity is bound to, when there is one. */
  readonly serviceAccount: string | null;
  /** Add-ons installed first; `ready` ones must also serve their webhooks first. */
  readonly dependsOn: ReadonlyArray<{ readonly name: string; readonly ready: boolean }>;
  /** The delivery being migrated away from, while a migration is in progress. */
  readonly migrateFrom: DeliveryKind | null;
}

/** Every add-on of the plan, in catalog order, enabled or not. */
export function inventory(plan: AddonPlan): InventoryEntry[] {
  const namespaces = namespacePodSecurity(
    plan.addons
      .filter((addon) => addon.enabled)
      .map((addon) => ({ ...addon, podSecurity: addon.definition.podSecurity })),
  );
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
    podSecurity: podSecurityOf(addon, namespaces),
    serviceAccount: addon.serviceAccount ?? (addon.identity === "none" ? null : addon.name),
    dependsOn: addon.dependsOn.map(({ name, ready }) => ({ name, ready })),
    migrateFrom: addon.migrateFrom ?? null,
  }));
}

/** A disabled add-on's namespace is shown as it would be with the add-on on. */
function podSecurityOf(
  addon: ResolvedAddon,
  namespaces: Map<string, NamespacePodSecurity>,
): InventoryEntry["podSecurity"] {
  const own = { name: addon.name, namespace: addon.namespace, podSecurity: addon.definition.podSecurity };
  const { level, labeled } = enforcedLevel(addon.namespace, addon.enabled ? namespaces : namespacePodSecurity([own]));
  return { pods: own.podSecurity.level, namespace: level, labeled };
}
