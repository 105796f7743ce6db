/**
 * Pod Security Admission (PSA) for the platform's namespaces: plain data and arithmetic, no cdktf. Each add-on
 * declares the strictest Pod Security Standard its pods meet at its pin (`podSecurity` in its folder); the
 * namespace it is installed in enforces the weakest level of the add-ons in it, and warns and audits at
 * `restricted`, so anything below restricted shows up in `kubectl` warnings and the audit log.
 * `kube-system` is shared with the node agents (VPC CNI, kube-proxy, the Pod Identity agent, the EFS CSI node
 * plugin: host network, privileged containers, host paths) and is left unlabeled: privileged, as EKS runs it.
 */

export const POD_SECURITY_LEVELS = ["privileged", "baseline", "restricted"] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/**
 * What an add-on declares in its folder: the strictest level its pods meet at its pin, decided from the chart's
 * (or EKS add-on's) pod spec with the values the platform sets. Anything below `restricted` says why.
 */
export type PodSecurity =
  | { readonly level: "restricted"; readonly reason?: string }
  | { readonly level: "baseline" | "privileged"; readonly reason: string };

/** The namespace the platform never labels: node agents live there, and it stays privileged. */
export const SHARED_SYSTEM_NAMESPACE = "kube-system";

/** The label keys Pod Security Admission reads on a namespace. */
export const POD_SECURITY_LABEL = {
  enforce: "pod-security.kubernetes.io/enforce",
  warn: "pod-security.kubernetes.io/warn",
  audit: "pod-security.kubernetes.io/audit",
} as const;

/**
 * The annotation that records, on a namespace the platform labels, what each add-on in it declares
 * (`cert-manager=restricted`): `kubectl describe namespace` shows why it enforces what it does, and the policy
 * pack (POD_SECURITY_NAMESPACES) checks the labels against it.
 */
export const POD_SECURITY_DECLARED = "cdktf-eks-platform/pod-security";

/** Position in strictness: privileged 0 < baseline 1 < restricted 2. */
export function strictness(level: PodSecurityLevel): number {
  return POD_SECURITY_LEVELS.indexOf(level);
}

/** The weaker of the levels (what every one of them still admits); `restricted` for none. */
export function weakestLevel(levels: Iterable<PodSecurityLevel>): PodSecurityLevel {
  let weakest: PodSecurityLevel = "restricted";
  for (const level of levels) if (strictness(level) < strictness(weakest)) weakest = level;
  return weakest;
}

export function isPodSecurityLevel(value: unknown): value is PodSecurityLevel {
  return typeof value === "string" && (POD_SECURITY_LEVELS as ReadonlyArray<string>).includes(value);
}

/** The labels of a namespace that enforces `enforce`: warn and audit always at restricted. */
export function podSecurityLabels(enforce: PodSecurityLevel): Record<string, string> {
  return {
    [POD_SECURITY_LABEL.enforce]: enforce,
    [POD_SECURITY_LABEL.warn]: "restricted",
    [POD_SECURITY_LABEL.audit]: "restricted",
  };
}

/** What namespace levels are computed from: an add-on, its namespace and its declared level. */
export interface NamespacedPods {
  readonly name: string;
  readonly namespace: string;
  readonly podSecurity: PodSecurity;
}

/** One namespace the platform labels: the level it enforces and what its add-ons declare. */
export interface NamespacePodSecurity {
  readonly enforce: PodSecurityLevel;
  readonly declared: ReadonlyMap<string, PodSecurityLevel>;
}

/**
 * Every namespace the platform labels (all but kube-system), from the add-ons installed in it: it enforces the
 * weakest level any of them declares, so every add-on's pods are admitted and none is weakened further.
 */
export function namespacePodSecurity(addons: Iterable<NamespacedPods>): Map<string, NamespacePodSecurity> {
  const declared = new Map<string, Map<string, PodSecurityLevel>>();
  for (const addon of addons) {
    if (addon.namespace === SHARED_SYSTEM_NAMESPACE) continue;
    const inNamespace = declared.get(addon.namespace) ?? new Map<string, PodSecurityLevel>();
    inNamespace.set(addon.name, addon.podSecurity.level);
    declared.set(addon.namespace, inNamespace);
  }
  return new Map(
    [...declared].map(([namespace, levels]) => [
      namespace,
      { enforce: weakestLevel(levels.values()), declared: levels },
    ]),
  );
}

/** A labeled namespace's metadata: the Pod Security labels and the annotation recording the declarations. */
export function namespaceMetadata(security: NamespacePodSecurity): {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
} {
  const declared = [...security.declared].map(([addon, level]) => `${addon}=${level}`).join(",");
  return { labels: podSecurityLabels(security.enforce), annotations: { [POD_SECURITY_DECLARED]: declared } };
}

/** The level a namespace enforces, as the report shows it: kube-system is privileged, unlabeled. */
export function enforcedLevel(
  namespace: string,
  namespaces: ReadonlyMap<string, NamespacePodSecurity>,
): { readonly level: PodSecurityLevel; readonly labeled: boolean } {
  const security = namespaces.get(namespace);
  return security === undefined ? { level: "privileged", labeled: false } : { level: security.enforce, labeled: true };
}
