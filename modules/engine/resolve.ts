import type { ConfigIssue } from "../errors";
import type { EnvironmentConfig } from "../config/schema";
import type { KubernetesVersion } from "../versions";
import { toConfigIssues } from "../config/zod-issues";
import { valueLocksOf, valuesIssues } from "./values-checks";
import type { AddonPlan, ResolvedAddon } from "./addon-plan";
import { resolveVersion } from "./resolve-version";
import { dependencyIssues } from "./dependencies";
import { dependencyTarget, deliveryOf, type AddonDefinition, type IdentityMode } from "./types";

export type { AddonPlan, ResolvedAddon } from "./addon-plan";

/**
 * Resolution: from config to a plan of add-ons, with no constructs involved. Every rule about enabling,
 * delivery, versions (resolve-version.ts), identity, values and dependencies (dependencies.ts) is applied here, so
 * all problems are known (and reported together) before anything is built, and the inventory can be printed
 * without synthesizing. The order add-ons are installed in is install-order.ts.
 */

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

    const { version, versionUnverified, supportedKubernetes, ...chosen } = resolveVersion({
      definition,
      delivery,
      kind,
      override,
      kubernetes,
      enabled,
      at,
    });
    issues.push(...chosen.issues);
    warnings.push(...chosen.warnings);

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
