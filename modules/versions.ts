/**
 * Every pinned version in the platform, in one place, with the Kubernetes versions each pin supports.
 * Nothing here is looked up at synth time and nothing says "latest": a plan made today and one made next month
 * install the same bits. To move a pin, change it here; the compatibility check and the report follow.
 *
 * EKS add-on pins come from `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>`;
 * chart pins from the chart's release notes and compatibility matrix.
 */

/** EKS Kubernetes versions this release of the platform supports, newest last, with their EKS support calendar. */
export const KUBERNETES_VERSIONS = {
  "1.32": { endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23" },
  "1.33": { endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" },
  "1.34": { endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
  "1.35": { endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" },
} as const;

export type KubernetesVersion = keyof typeof KUBERNETES_VERSIONS;
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_VERSIONS) as KubernetesVersion[];
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = "1.35";

/** One pinned version and the Kubernetes versions it is known to work with. */
export interface VersionPin {
  readonly version: string;
  readonly kubernetes: ReadonlyArray<KubernetesVersion>;
}

/** Kubernetes versions from `first` to `last`, inclusive, as far as this release knows them. */
export function kubernetesRange(first: KubernetesVersion, last: KubernetesVersion): KubernetesVersion[] {
  const from = SUPPORTED_KUBERNETES_VERSIONS.indexOf(first);
  const to = SUPPORTED_KUBERNETES_VERSIONS.indexOf(last);
  return SUPPORTED_KUBERNETES_VERSIONS.slice(from, to + 1);
}

const all = kubernetesRange("1.32", "1.35");

/** Pins per add-on and delivery. Newest first: the engine takes the first pin that supports the cluster. */
export const PINS = {
  "vpc-cni": { eksAddon: [{ version: "v1.20.4-eksbuild.2", kubernetes: all }] },
  coredns: {
    eksAddon: [
      { version: "v1.13.1-eksbuild.1", kubernetes: ["1.35"] },
      { version: "v1.12.4-eksbuild.1", kubernetes: ["1.34"] },
      { version: "v1.12.1-eksbuild.2", kubernetes: ["1.33"] },
      { version: "v1.11.4-eksbuild.24", kubernetes: ["1.32"] },
    ],
  },
  "kube-proxy": {
    eksAddon: [
      { version: "v1.35.0-eksbuild.2", kubernetes: ["1.35"] },
      { version: "v1.34.1-eksbuild.2", kubernetes: ["1.34"] },
      { version: "v1.33.5-eksbuild.2", kubernetes: ["1.33"] },
      { version: "v1.32.9-eksbuild.2", kubernetes: ["1.32"] },
    ],
  },
  "eks-pod-identity-agent": { eksAddon: [{ version: "v1.3.9-eksbuild.3", kubernetes: all }] },
  karpenter: { helm: [{ version: "1.14.1", kubernetes: all }] },
  "metrics-server": {
    eksAddon: [{ version: "v0.8.0-eksbuild.2", kubernetes: all }],
    helm: [{ version: "3.13.0", kubernetes: all }],
  },
  reloader: { helm: [{ version: "2.2.16", kubernetes: all }] },
  "cert-manager": {
    eksAddon: [{ version: "v1.19.1-eksbuild.1", kubernetes: all }],
    helm: [{ version: "v1.21.1", kubernetes: all }],
  },
  "aws-load-balancer-controller": { helm: [{ version: "3.5.0", kubernetes: all }] },
  "external-dns": {
    eksAddon: [{ version: "v0.19.0-eksbuild.2", kubernetes: all }],
    helm: [{ version: "1.21.1", kubernetes: all }],
  },
  "echo-server": { manifests: [{ version: "0.9.2", kubernetes: all }] },
  "aws-efs-csi-driver": {
    eksAddon: [{ version: "v2.1.13-eksbuild.1", kubernetes: all }],
    helm: [{ version: "3.3.0", kubernetes: all }],
  },
  "external-secrets": { helm: [{ version: "2.9.0", kubernetes: all }] },
} as const satisfies Record<string, Partial<Record<"eksAddon" | "helm" | "manifests", ReadonlyArray<VersionPin>>>>;

/** Container images the platform runs outside any chart (pinned by tag; digests where the registry is ours). */
export const IMAGES = {
  echoServer: "ealen/echo-server:0.9.2",
} as const;

/** Bottlerocket/AL2023 AMI alias Karpenter nodes use by default: pinned, never `@latest`. */
export const DEFAULT_KARPENTER_AMI_ALIAS = "al2023@v20251112";
