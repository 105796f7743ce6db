import type { ConfigIssue } from "../errors";
import type { EnvironmentConfig } from "../config/schema";
import type { KubernetesVersion } from "../versions";
import type { AddonDefinition, Delivery, DeliveryKind } from "./types";

/** One add-on's inputs to version resolution: its definition, chosen delivery, the environment's override. */
export interface VersionInput {
  readonly definition: AddonDefinition;
  readonly delivery: Delivery;
  readonly kind: DeliveryKind;
  readonly override: EnvironmentConfig["addons"][string];
  readonly kubernetes: KubernetesVersion;
  readonly enabled: boolean;
  /** The config path of one of the add-on's fields (`addons.<name>.<field>`). */
  readonly at: (field?: string) => string;
}

export interface VersionChoice {
  /** Undefined when no pin supports the cluster's Kubernetes version and none is set (an issue says so). */
  readonly version: string | undefined;
  /** The pin is outside what this release has verified (an acknowledged override). */
  readonly versionUnverified: boolean;
  /** Kubernetes versions the chosen version is known to support. */
  readonly supportedKubernetes: ReadonlyArray<KubernetesVersion>;
  readonly issues: ReadonlyArray<ConfigIssue>;
  readonly warnings: ReadonlyArray<string>;
}

/**
 * The version an add-on is installed at: the newest pin of its delivery that supports the cluster's Kubernetes
 * version, or the environment's override, which must be a pin that supports it, or an acknowledged unknown
 * version (never for an add-on whose image is pulled by the pin's digest). Issues only for an enabled add-on.
 */
export function resolveVersion(input: VersionInput): VersionChoice {
  const { definition, delivery, kind, override, kubernetes, enabled, at } = input;
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  let version = delivery.pins.find((pin) => pin.kubernetes.includes(kubernetes))?.version;
  let versionUnverified = false;
  let supportedKubernetes = delivery.pins.find((pin) => pin.version === version)?.kubernetes ?? [];
  const workingVersions = delivery.pins.filter((pin) => pin.kubernetes.includes(kubernetes)).map((pin) => pin.version);
  if (override.version) {
    const pin = delivery.pins.find((candidate) => candidate.version === override.version);
    if (pin && !pin.kubernetes.includes(kubernetes)) {
      if (enabled)
        issues.push({
          path: at("version"),
          message: `${definition.name} ${override.version} does not support Kubernetes ${kubernetes} (it supports ${pin.kubernetes.join(", ")})`,
          value: override.version,
          allowed: workingVersions.join(", ") || "none of the pinned versions",
        });
    } else if (!pin && delivery.pins.some((candidate) => candidate.digest)) {
      // Its image is pulled by the pin's digest: a version without a pin has none, and acknowledging cannot add one.
      if (enabled)
        issues.push({
          path: at("version"),
          message: `${definition.name} runs its image by digest, and this release knows no digest for ${override.version}`,
          value: override.version,
          allowed: delivery.pins.map((p) => p.version).join(", "),
          fix: `use a pinned version, or add a pin with the image's digest to PINS["${definition.name}"] in modules/versions.ts`,
        });
    } else if (!pin && !override.acknowledgeUnknownVersion) {
      if (enabled)
        issues.push({
          path: at("version"),
          message: `${override.version} is not a version this release has verified for ${definition.name} (${kind})`,
          value: override.version,
          allowed: delivery.pins.map((p) => p.version).join(", "),
          fix: `set ${at("acknowledgeUnknownVersion")}: true to use it anyway`,
        });
    } else if (!pin) {
      versionUnverified = true;
      supportedKubernetes = [];
      warnings.push(
        `${definition.name} ${override.version} (${kind}) is not verified against Kubernetes ${kubernetes}: acknowledged in ${at("acknowledgeUnknownVersion")}`,
      );
    } else {
      supportedKubernetes = pin.kubernetes;
    }
    version = override.version;
  } else if (!version && enabled) {
    const anyKubernetes = [...new Set(delivery.pins.flatMap((pin) => pin.kubernetes))];
    issues.push({
      path: `cluster.kubernetesVersion`,
      message: `no pinned ${definition.name} (${kind}) version supports Kubernetes ${kubernetes}`,
      value: kubernetes,
      allowed: anyKubernetes.join(", "),
      fix: `pick a supported Kubernetes version or set ${at("version")}`,
    });
  }
  return { version, versionUnverified, supportedKubernetes, issues, warnings };
}
