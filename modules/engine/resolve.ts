import type { ConfigIssue } from "../errors";
import type { EnvironmentConfig } from "../config/schema";
import type { KubernetesVersion } from "../versions";
import { toConfigIssues } from "../config/zod-issues";
import { layerOrder } from "../layers";
import { NODE_AGENTS, NODE_CAPACITY, type Capability } from "./capabilities";
import { valueLocksOf, valuesIssues } from "./values-checks";
import {
  dependencyTarget,
  deliveryOf,
  type AddonDefinition,
  type Delivery,
  type DeliveryKind,
  type EksAddonDelivery,
  type IdentityMode,
  type Layer,
  type Values,
} from "./types";

/**
 * Resolution: from config to a plan of add-ons, with no constructs involved. Every rule about enabling,
 * delivery, versions, identity, values and dependencies lives here, so all problems are known (and reported
 * together) before anything is built, and the inventory can be printed without synthesizing.
 */

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

export function resolveAddons(
  environment: EnvironmentConfig,
  catalog: ReadonlyArray<AddonDefinition>,
  pathPrefix = "addons",
): AddonPlan {
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const kubernetes = environment.cluster.kubernetesVersion as KubernetesVersion;
  const overrides = environment.addons as Record<string, EnvironmentConfig["addons"][string]>;
  const addons: ResolvedAddon[] = [];

  for (const definition of catalog) {
    const override = overrides[definition.name] ?? {};
    const at = (field?: string) => `${pathPrefix}.${definition.name}${field ? `.${field}` : ""}`;
    const layerOn = environment.layers[definition.layer];
    const enabled = layerOn && (override.enabled ?? true);

    const kinds = definition.deliveries.map((d) => d.kind);
    const kind = override.delivery ?? definition.defaultDelivery;
    const delivery = deliveryOf(definition, kind);
    if (!delivery) {
      issues.push({
        path: at("delivery"),
        message: `${definition.name} cannot be delivered as ${kind}`,
        value: kind,
        allowed: kinds.join(", "),
      });
      continue;
    }

    let version = delivery.pins.find((pin) => pin.kubernetes.includes(kubernetes))?.version;
    let versionUnverified = false;
    let supportedKubernetes = delivery.pins.find((pin) => pin.version === version)?.kubernetes ?? [];
    const workingVersions = delivery.pins
      .filter((pin) => pin.kubernetes.includes(kubernetes))
      .map((pin) => pin.version);
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

    let identity: IdentityMode = "none";
    if (definition.identity && (definition.identity.neededWhen?.(environment) ?? true)) {
      identity = override.identity ?? (definition.runsOn === "fargate" ? "irsa" : "pod-identity");
      if (identity === "pod-identity" && definition.runsOn === "fargate" && enabled) {
        issues.push({
          path: at("identity"),
          message: `${definition.name} runs on Fargate, where EKS Pod Identity is not supported`,
          value: identity,
          allowed: "irsa",
        });
      }
    } else if (override.identity && enabled) {
      issues.push({
        path: at("identity"),
        message: `${definition.name} needs no AWS identity`,
        value: override.identity,
        fix: "remove it",
      });
    }

    if (override.migrateFrom && enabled) {
      const sensible = override.migrateFrom !== kind && kinds.includes(override.migrateFrom) && kind !== "manifests";
      if (!sensible)
        issues.push({
          path: at("migrateFrom"),
          message: `cannot migrate ${definition.name} from ${override.migrateFrom} to ${kind}`,
          value: override.migrateFrom,
          allowed:
            kinds.filter((k) => k !== kind && k !== "manifests").join(", ") || "nothing: the add-on has one delivery",
          fix: "set migrateFrom to the delivery the add-on is installed with today, and delivery to the new one",
        });
    }

    const eksDelivery = override.migrateFrom === "eks-addon" ? deliveryOf(definition, "eks-addon") : undefined;
    const installedWith =
      eksDelivery?.kind === "eks-addon"
        ? {
            delivery: eksDelivery,
            version: eksDelivery.pins.find((pin) => pin.kubernetes.includes(kubernetes))?.version ?? version ?? "",
          }
        : undefined;

    const userValues = override.values ?? {};
    if (enabled && override.values) {
      const result = delivery.valuesSchema?.safeParse(userValues, { reportInput: true });
      const schemaIssues =
        result && !result.success && delivery.valuesSchema
          ? toConfigIssues(result.error.issues, delivery.valuesSchema, [], userValues).map((issue) => ({
              ...issue,
              path: `${at("values")}${issue.path === "<root>" ? "" : `.${issue.path}`}`,
            }))
          : [];
      // Locked paths, replica counts, percentages, quantities (values-checks.ts); one issue per path at most.
      const reported = new Set(schemaIssues.map((issue) => issue.path));
      issues.push(
        ...schemaIssues,
        ...valuesIssues(userValues, valueLocksOf(definition, delivery), at("values")).filter(
          (issue) => !reported.has(issue.path),
        ),
      );
    }

    addons.push({
      name: definition.name,
      description: definition.description,
      layer: definition.layer,
      enabled,
      delivery,
      version: version ?? "",
      versionUnverified,
      supportedKubernetes,
      identity,
      namespace: definition.namespace,
      serviceAccount: definition.serviceAccount,
      dependsOn: (definition.dependsOn ?? [])
        .map(dependencyTarget)
        .map(({ addon, ready }) => ({ name: addon.name, ready })),
      migrateFrom: override.migrateFrom,
      installedWith,
      userValues,
      definition,
    });
  }

  issues.push(...dependencyIssues(addons, catalog, pathPrefix));
  if (
    addons.some((a) => a.enabled && a.identity === "pod-identity") &&
    !addons.find((a) => a.name === "eks-pod-identity-agent")?.enabled
  ) {
    const users = addons.filter((a) => a.enabled && a.identity === "pod-identity").map((a) => a.name);
    issues.push({
      path: `${pathPrefix}.eks-pod-identity-agent.enabled`,
      message: `EKS Pod Identity needs the eks-pod-identity-agent add-on, used by ${users.join(", ")}`,
      value: false,
      fix: "enable eks-pod-identity-agent, or set identity: irsa on those add-ons",
    });
  }
  return { addons, warnings, issues };
}

function dependencyIssues(
  addons: ReadonlyArray<ResolvedAddon>,
  catalog: ReadonlyArray<AddonDefinition>,
  pathPrefix: string,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const byName = new Map(addons.map((addon) => [addon.name, addon]));
  for (const addon of addons) {
    for (const dependency of addon.definition.dependsOn ?? []) {
      const { addon: target } = dependencyTarget(dependency);
      const resolved = byName.get(target.name);
      if (!resolved || !catalog.includes(target)) {
        issues.push({
          path: `${pathPrefix}.${addon.name}`,
          message: `${addon.name} depends on ${target.name}, which is not a known add-on`,
          allowed: catalog.map((a) => a.name).join(", "),
          fix: `register ${target.name} in modules/addons/catalog.ts`,
        });
        continue;
      }
      if (layerOrder(resolved.layer) > layerOrder(addon.layer)) {
        issues.push({
          path: `${pathPrefix}.${addon.name}`,
          message: `${addon.name} (${addon.layer}) depends on ${target.name} (${resolved.layer}), a later layer`,
          fix: "move one of them so the dependency is in the same or an earlier layer",
        });
      }
      if (addon.enabled && !resolved.enabled) {
        issues.push({
          path: `${pathPrefix}.${target.name}.enabled`,
          message: `${addon.name} depends on ${target.name}, which is disabled (or its layer is off)`,
          value: false,
          fix: `enable ${target.name} or disable ${addon.name}`,
        });
      }
    }
  }
  const cycle = findCycle(catalog);
  if (cycle)
    issues.push({
      path: `${pathPrefix}.${cycle[0]}`,
      message: `add-on dependencies form a cycle: ${cycle.join(" -> ")}`,
      fix: "remove one of the dependencies",
    });
  return issues;
}

/** The first dependency cycle among the definitions, as names, or undefined. */
export function findCycle(catalog: ReadonlyArray<AddonDefinition>): string[] | undefined {
  const state = new Map<AddonDefinition, "visiting" | "done">();
  const stack: AddonDefinition[] = [];
  const visit = (addon: AddonDefinition): string[] | undefined => {
    if (state.get(addon) === "done") return undefined;
    if (state.get(addon) === "visiting") return [...stack.slice(stack.indexOf(addon)), addon].map((a) => a.name);
    state.set(addon, "visiting");
    stack.push(addon);
    for (const dependency of addon.dependsOn ?? []) {
      const found = visit(dependencyTarget(dependency).addon);
      if (found) return found;
    }
    stack.pop();
    state.set(addon, "done");
    return undefined;
  };
  for (const addon of catalog) {
    const found = visit(addon);
    if (found) return found;
  }
  return undefined;
}

/** What an add-on waits for: the capabilities it declares, plus node capacity when it runs on EC2 nodes. */
export function needsOf(definition: AddonDefinition): ReadonlyArray<Capability<unknown>> {
  const declared = definition.needs ?? [];
  return definition.runsOn === "nodes" && !declared.includes(NODE_CAPACITY) ? [...declared, NODE_CAPACITY] : declared;
}

/** What an add-on provides: the capabilities it declares, plus node agents when it runs on every node. */
export function providesOf(definition: AddonDefinition): ReadonlyArray<Capability<unknown>> {
  const declared = definition.provides ?? [];
  return definition.runsOn === "every-node" && !declared.includes(NODE_AGENTS) ? [...declared, NODE_AGENTS] : declared;
}

/** Enabled add-ons of a layer: dependencies first, and the providers of a capability before those that need it. */
export function addonsOfLayer(plan: AddonPlan, layer: Layer): ResolvedAddon[] {
  const inLayer = plan.addons.filter((addon) => addon.enabled && addon.layer === layer);
  const ordered: ResolvedAddon[] = [];
  const visiting = new Set<ResolvedAddon>();
  const place = (addon: ResolvedAddon) => {
    if (ordered.includes(addon) || visiting.has(addon)) return;
    visiting.add(addon);
    for (const dependency of addon.dependsOn) {
      const target = inLayer.find((candidate) => candidate.name === dependency.name);
      if (target) place(target);
    }
    for (const capability of needsOf(addon.definition)) {
      inLayer
        .filter((candidate) => candidate !== addon && providesOf(candidate.definition).includes(capability))
        .forEach(place);
    }
    ordered.push(addon);
  };
  inLayer.forEach(place);
  return ordered;
}
