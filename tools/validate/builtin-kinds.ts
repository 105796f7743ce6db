/**
 * Kinds the Kubernetes API server serves itself (Kubernetes 1.29+), by apiVersion. Objects of these kinds
 * are checked for apiVersion/kind/metadata only: their full schemas are the provider's typed resources' job.
 * A kind under a built-in group but not listed (e.g. `policy/v1beta1` PodDisruptionBudget, removed in 1.25)
 * is reported: the API server would reject it.
 */
const SERVED: Readonly<Record<string, string>> = {
  v1: "Binding ConfigMap Endpoints Event LimitRange Namespace Node PersistentVolume PersistentVolumeClaim Pod PodTemplate ReplicationController ResourceQuota Secret Service ServiceAccount",
  "apps/v1": "ControllerRevision DaemonSet Deployment ReplicaSet StatefulSet",
  "batch/v1": "CronJob Job",
  "autoscaling/v1": "HorizontalPodAutoscaler",
  "autoscaling/v2": "HorizontalPodAutoscaler",
  "policy/v1": "PodDisruptionBudget",
  "networking.k8s.io/v1": "Ingress IngressClass NetworkPolicy",
  "rbac.authorization.k8s.io/v1": "ClusterRole ClusterRoleBinding Role RoleBinding",
  "storage.k8s.io/v1": "CSIDriver CSINode CSIStorageCapacity StorageClass VolumeAttachment",
  "scheduling.k8s.io/v1": "PriorityClass",
  "admissionregistration.k8s.io/v1":
    "MutatingWebhookConfiguration ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding ValidatingWebhookConfiguration",
  "apiextensions.k8s.io/v1": "CustomResourceDefinition",
  "apiregistration.k8s.io/v1": "APIService",
  "coordination.k8s.io/v1": "Lease",
  "discovery.k8s.io/v1": "EndpointSlice",
  "node.k8s.io/v1": "RuntimeClass",
  "certificates.k8s.io/v1": "CertificateSigningRequest",
  "flowcontrol.apiserver.k8s.io/v1": "FlowSchema PriorityLevelConfiguration",
  "events.k8s.io/v1": "Event",
};

const CLUSTER_SCOPED = new Set(
  (
    "Namespace Node PersistentVolume ClusterRole ClusterRoleBinding CSIDriver CSINode StorageClass VolumeAttachment PriorityClass " +
    "IngressClass MutatingWebhookConfiguration ValidatingWebhookConfiguration ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding " +
    "CustomResourceDefinition APIService RuntimeClass CertificateSigningRequest FlowSchema PriorityLevelConfiguration"
  ).split(" "),
);

const servedKinds = new Map(
  Object.entries(SERVED).map(([apiVersion, kinds]) => [apiVersion, new Set(kinds.split(" "))]),
);
const builtInGroups = new Set([...servedKinds.keys()].map((apiVersion) => groupOf(apiVersion)));

/** `apps/v1` -> `apps`; `v1` -> `` (the core group). */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "";
}

export function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.lastIndexOf("/") + 1);
}

export function isBuiltInGroup(group: string): boolean {
  return builtInGroups.has(group);
}

export type BuiltInLookup =
  { readonly served: true; readonly clusterScoped: boolean } | { readonly served: false; readonly servedAs: string[] };

export function lookupBuiltIn(apiVersion: string, kind: string): BuiltInLookup {
  if (servedKinds.get(apiVersion)?.has(kind)) return { served: true, clusterScoped: CLUSTER_SCOPED.has(kind) };
  const servedAs = [...servedKinds.entries()].filter(([, kinds]) => kinds.has(kind)).map(([version]) => version);
  return { served: false, servedAs };
}
