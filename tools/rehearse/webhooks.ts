import { asString, isObject, releaseValues } from "../../modules/terraform-json";
import { helmSwitchOn } from "../../modules/policy/values-documents";
import type { GraphNode } from "./graph";

/**
 * Charts (and EKS add-ons of the same name) that register admission webhooks with `failurePolicy: Fail`, and
 * which objects those webhooks intercept. Until the chart's webhook pods are ready, the API server refuses every
 * intercepted object ("failed calling webhook ... no endpoints available"), so anything creating such objects
 * must wait for the release (`wait: true` makes the release end when the pods are ready).
 * Keyed by chart name (`chart` of a helm_release, `addon_name` of an aws_eks_addon).
 */
export interface WebhookChart {
  /** API groups whose objects the webhooks intercept (`cert-manager.io`). */
  readonly groups: ReadonlyArray<string>;
  /** Kinds intercepted whatever their group (`Service`, `Ingress`). */
  readonly kinds: ReadonlyArray<string>;
  /**
   * Kinds intercepted while a chart switch is on: `{ kinds, value, chartDefault }`, read as the chart's `if` reads
   * it (helmSwitchOn, as the policy pack does).
   */
  readonly optional?: { readonly kinds: ReadonlyArray<string>; readonly value: string; readonly chartDefault: boolean };
  readonly source: string;
}

export const WEBHOOK_CHARTS: Readonly<Record<string, WebhookChart>> = {
  "cert-manager": {
    groups: ["cert-manager.io", "acme.cert-manager.io"],
    kinds: [],
    source:
      "cert-manager chart: cert-manager-webhook Validating/MutatingWebhookConfiguration on cert-manager.io and acme.cert-manager.io",
  },
  "aws-load-balancer-controller": {
    groups: ["elbv2.k8s.aws"],
    kinds: ["Ingress"],
    optional: { kinds: ["Service"], value: "enableServiceMutatorWebhook", chartDefault: true },
    source:
      "aws-load-balancer-controller chart: vingress (Ingress), TargetGroupBinding and IngressClassParams webhooks; mservice.elbv2.k8s.aws mutates every Service unless enableServiceMutatorWebhook=false; the Pod readiness-gate webhook only acts in namespaces labelled elbv2.k8s.aws/pod-readiness-gate-inject (not modeled)",
  },
  "external-secrets": {
    groups: ["external-secrets.io", "generators.external-secrets.io"],
    kinds: [],
    source: "external-secrets chart: webhook validating ExternalSecret, SecretStore and ClusterSecretStore",
  },
  karpenter: {
    groups: ["karpenter.sh", "karpenter.k8s.aws"],
    kinds: [],
    source:
      "karpenter chart: validation/defaulting (and, in v1.0, conversion) webhooks for NodePool, NodeClaim and EC2NodeClass when webhook.enabled",
  },
};

/** The chart (or add-on) name of a block: `chart` of a helm_release, `addon_name` of an aws_eks_addon. */
export function chartOf(node: GraphNode): string | undefined {
  if (node.type === "helm_release") return asString(node.body.chart);
  if (node.type === "aws_eks_addon") return asString(node.body.addon_name);
  return undefined;
}

/** The values Helm computes for a helm_release (modules/terraform-json/helm-values.ts), interpolations kept as strings. */
function valuesOf(node: GraphNode): Record<string, unknown> {
  return releaseValues(node).values;
}

/** The webhook chart a node installs, with the kinds and groups its webhooks intercept given its values. */
export function webhookOf(node: GraphNode): { chart: string; groups: string[]; kinds: string[] } | undefined {
  const chart = chartOf(node);
  const entry = chart ? WEBHOOK_CHARTS[chart] : undefined;
  if (!chart || !entry) return undefined;
  const kinds = [...entry.kinds];
  if (entry.optional && helmSwitchOn(valuesOf(node), entry.optional.value, entry.optional.chartDefault))
    kinds.push(...entry.optional.kinds);
  return { chart, groups: [...entry.groups], kinds };
}

export interface ObjectKind {
  readonly group: string;
  readonly kind: string;
}

/** What a remote chart or an EKS add-on creates, as far as webhooks go: workloads and their Services. */
const WORKLOAD_OBJECTS: ReadonlyArray<ObjectKind> = [
  { group: "apps", kind: "Deployment" },
  { group: "", kind: "Service" },
  { group: "", kind: "Pod" },
];

const pascal = (snake: string): string =>
  snake
    .split("_")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

/**
 * The Kubernetes objects a block creates: a kubernetes_<kind>[_v1] resource its kind; kubernetes_manifest its
 * manifest; a helm_release of a chart with an `objects` value (the platform's manifests chart) those objects; a
 * CRD-only chart (`*-crd`) CustomResourceDefinitions; any other chart or EKS add-on its workloads.
 */
export function objectsCreatedBy(node: GraphNode): ObjectKind[] {
  if (node.type === "kubernetes_manifest") {
    const manifest = isObject(node.body.manifest) ? node.body.manifest : {};
    const apiVersion = asString(manifest.apiVersion) ?? "";
    return [{ group: apiVersion.includes("/") ? apiVersion.split("/")[0] : "", kind: asString(manifest.kind) ?? "" }];
  }
  if (node.type.startsWith("kubernetes_")) {
    const kind = pascal(node.type.slice("kubernetes_".length).replace(/_v\d+$/, ""));
    return kind === "Deployment" || kind === "StatefulSet" || kind === "DaemonSet" || kind === "Job"
      ? [
          { group: "apps", kind },
          { group: "", kind: "Pod" },
        ]
      : [{ group: "", kind }];
  }
  if (node.type === "helm_release") {
    const objects = valuesOf(node).objects;
    if (Array.isArray(objects))
      return objects.filter(isObject).map((object) => {
        const apiVersion = asString(object.apiVersion) ?? "";
        return { group: apiVersion.includes("/") ? apiVersion.split("/")[0] : "", kind: asString(object.kind) ?? "" };
      });
    if (chartOf(node)?.endsWith("-crd")) return [{ group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" }];
    return [...WORKLOAD_OBJECTS];
  }
  if (node.type === "aws_eks_addon") return [...WORKLOAD_OBJECTS];
  return [];
}

/** The objects of `node` that a webhook of `hook` intercepts. */
export function interceptedObjects(hook: { groups: string[]; kinds: string[] }, node: GraphNode): ObjectKind[] {
  return objectsCreatedBy(node).filter(
    (object) => hook.groups.includes(object.group) || hook.kinds.includes(object.kind),
  );
}
