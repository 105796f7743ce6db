import { amiAliasFor, DEFAULT_AL2023_RELEASE } from "./ami-releases";

/**
 * Every pinned version in the platform, in one place, with the Kubernetes versions each pin supports.
 * Nothing here is looked up at synth time and nothing says "latest": a plan made today and one made next month
 * install the same bits. To move a pin, change it here; the compatibility check and the report follow.
 *
 * EKS add-on pins: one entry per build, covering each Kubernetes minor EKS lists that build for (a minor is in
 * exactly one entry; minors that share a build share the entry). `npm run pins` checks them against
 * `aws eks describe-addon-versions --output json` and `npm run pins -- --write` moves them to the newest build EKS
 * lists per minor. Chart pins come from the chart's release notes and compatibility matrix.
 *
 * Every pin names its `source`; "unverified" means nothing this release could check confirms it: the pin is kept
 * because the platform shipped it, and `npm run pins` (EKS add-ons) or the upstream matrix is the way to confirm it.
 */

/**
 * EKS Kubernetes versions this release of the platform supports, newest last, with their EKS support calendar.
 * Standard support is 14 months from the EKS release, extended support 12 months more (dates are UTC days).
 * Source: Amazon EKS User Guide, "Amazon EKS Kubernetes release calendar",
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar
 * 1.32-1.34: the table in awsdocs/amazon-eks-user-guide latest/ug/versioning/kubernetes-versions.adoc. 1.35 and 1.36:
 * that page's rows as quoted elsewhere (1.35: EKS release 2026-01-27; 1.36: as of 2026-08-06, EKS release 2026-06-02),
 * not read from the page itself; both match the 14 + 12 month rule. Re-check with `aws eks describe-cluster-versions`.
 */
// The pin tool (tools/pins) reads and rewrites these lines (one version per line): not reformatted.
// prettier-ignore
export const KUBERNETES_VERSIONS = {
  "1.32": { eksRelease: "2025-01-23", endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23" },
  "1.33": { eksRelease: "2025-05-29", endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" },
  "1.34": { eksRelease: "2025-10-02", endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
  "1.35": { eksRelease: "2026-01-27", endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" },
  "1.36": { eksRelease: "2026-06-02", endOfStandardSupport: "2027-08-02", endOfExtendedSupport: "2028-08-02" },
} as const;

export type KubernetesVersion = keyof typeof KUBERNETES_VERSIONS;
export const SUPPORTED_KUBERNETES_VERSIONS = Object.keys(KUBERNETES_VERSIONS) as KubernetesVersion[];

/**
 * 1.35, not 1.36: the default is the newest minor whose default-delivery pins are all either confirmed by a source
 * below or were shipped and synthesized by this release on that minor. On 1.36 only CoreDNS, kube-proxy (EKS
 * tables), Karpenter, cert-manager and External Secrets (upstream matrices) are confirmed; vpc-cni,
 * eks-pod-identity-agent, metrics-server and aws-efs-csi-driver builds and the ALB controller, external-dns and
 * Reloader charts would be claimed on 1.36 for the first time without a source. 1.35 is in standard support until
 * 2027-03-27. Move the default once `npm run pins` passes on real describe-addon-versions output for 1.36.
 */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = "1.35";

/** One pinned version and the Kubernetes versions it is known to work with. */
export interface VersionPin {
  readonly version: string;
  readonly kubernetes: ReadonlyArray<KubernetesVersion>;
  /** Where the claim comes from (a document, or `aws eks describe-addon-versions`); "unverified" when nothing confirms it. */
  readonly source?: string;
  /** Versions in `kubernetes` that `source` does not cover: kept so clusters on them still resolve, but unverified. */
  readonly unverified?: ReadonlyArray<KubernetesVersion>;
  /**
   * For a delivery that names its container image itself (manifests): the digest (`sha256:` and 64 hex digits) of
   * the image the version's tag points to. The image is pulled by it, so a re-pushed tag cannot change what runs;
   * a version without one cannot be installed (resolve.ts refuses it).
   */
  readonly digest?: string;
  /** Where `digest` comes from, like `source`: "unverified" when nothing this release could check confirms it. */
  readonly digestSource?: string;
}

/** A pin's `source` when nothing this release could check confirms it. */
export const UNVERIFIED = "unverified";

/** Kubernetes versions from `first` to `last`, inclusive, as far as this release knows them. */
export function kubernetesRange(first: KubernetesVersion, last: KubernetesVersion): KubernetesVersion[] {
  const from = SUPPORTED_KUBERNETES_VERSIONS.indexOf(first);
  const to = SUPPORTED_KUBERNETES_VERSIONS.indexOf(last);
  return SUPPORTED_KUBERNETES_VERSIONS.slice(from, to + 1);
}

const all = kubernetesRange("1.32", "1.36");

/**
 * Pins per add-on and delivery. Newest first: the engine takes the first pin that supports the cluster.
 *
 * EKS add-on sources: the Amazon EKS User Guide's "latest version of the Amazon EKS add-on type for each Kubernetes
 * version" tables (managing-coredns, managing-kube-proxy; as indexed in the ja_jp edition of the guide, the first
 * to list 1.36). No such table for vpc-cni lists 1.34 or later, and none exists for the other add-ons: those pins are
 * the builds this release shipped, "unverified" per Kubernetes version until `npm run pins` confirms them.
 */
// The pin tool (tools/pins) reads and rewrites these lines (one pin per line): not reformatted.
// prettier-ignore
export const PINS = {
  "vpc-cni": {
    eksAddon: [
      { version: "v1.20.4-eksbuild.2", kubernetes: ["1.32", "1.33", "1.34", "1.35", "1.36"], source: "unverified" }, // no EKS table lists 1.34+; a 1.36 cluster has been seen on v1.22.4-eksbuild.3 (VPC CNI moves one minor at a time)
    ],
  },
  coredns: {
    eksAddon: [
      { version: "v1.14.3-eksbuild.3", kubernetes: ["1.35", "1.36"], source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html#coredns-versions" },
      { version: "v1.13.2-eksbuild.11", kubernetes: ["1.34"], source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html#coredns-versions" },
      { version: "v1.12.4-eksbuild.18", kubernetes: ["1.33"], source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html#coredns-versions" },
      { version: "v1.11.4-eksbuild.40", kubernetes: ["1.32"], source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html#coredns-versions" },
    ],
  },
  "kube-proxy": {
    eksAddon: [
      { version: "v1.36.0-eksbuild.14", kubernetes: ["1.36"], source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html#kube-proxy-versions" },
      { version: "v1.35.3-eksbuild.13", kubernetes: ["1.35"], source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html#kube-proxy-versions" },
      { version: "v1.34.6-eksbuild.13", kubernetes: ["1.34"], source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html#kube-proxy-versions" },
      { version: "v1.33.10-eksbuild.13", kubernetes: ["1.33"], source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html#kube-proxy-versions" },
      { version: "v1.32.13-eksbuild.16", kubernetes: ["1.32"], source: "https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html#kube-proxy-versions" },
    ],
  },
  "eks-pod-identity-agent": {
    eksAddon: [
      { version: "v1.3.9-eksbuild.3", kubernetes: ["1.32", "1.33", "1.34", "1.35", "1.36"], source: "unverified" }, // no per-version listing found; 1.36 clusters have been seen on v1.3.10-eksbuild.3
    ],
  },
  // Karpenter v1.14 compatibility matrix: 1.30 (>= 0.37) through 1.36 (>= 1.13),
  // aws/karpenter-provider-aws website/content/en/v1.14/upgrading/compatibility.md (docs for v1.14.1).
  karpenter: { helm: [{ version: "1.14.1", kubernetes: all, source: "https://karpenter.sh/v1.14/upgrading/compatibility/" }] },
  "metrics-server": {
    eksAddon: [
      { version: "v0.8.0-eksbuild.2", kubernetes: ["1.32", "1.33", "1.34", "1.35", "1.36"], source: "unverified" }, // no per-version listing found
    ],
    helm: [{ version: "3.13.0", kubernetes: all, source: UNVERIFIED }],
  },
  reloader: { helm: [{ version: "2.2.16", kubernetes: all, source: UNVERIFIED }] },
  "cert-manager": {
    eksAddon: [
      { version: "v1.19.1-eksbuild.1", kubernetes: ["1.32", "1.33", "1.34", "1.35", "1.36"], source: "unverified" }, // no per-version listing found; upstream supports cert-manager 1.19 on 1.31-1.35 only
    ],
    // cert-manager "Supported Releases": 1.21 supports (and is tested on) Kubernetes 1.33 -> 1.36; 1.32 is not supported.
    helm: [{ version: "v1.21.1", kubernetes: kubernetesRange("1.33", "1.36"), source: "https://cert-manager.io/docs/releases/" }],
  },
  "aws-load-balancer-controller": { helm: [{ version: "3.5.0", kubernetes: all, source: UNVERIFIED }] },
  "external-dns": {
    eksAddon: [
      { version: "v0.19.0-eksbuild.2", kubernetes: ["1.32", "1.33", "1.34", "1.35", "1.36"], source: "unverified" }, // no per-version listing found
    ],
    helm: [{ version: "1.21.1", kubernetes: all, source: UNVERIFIED }],
  },
  // The digest is unverified: this release could not reach Docker Hub. It is the one public manifests pin 0.9.2 by
  // (opendatahub-io/odh-model-controller's e2e tests); another file claims sha256:74afa5ff...c25cc8a2 for the same
  // tag. Confirm with `docker buildx imagetools inspect ealen/echo-server:0.9.2` (the index digest, multi-arch).
  "echo-server": { manifests: [{ version: "0.9.2", kubernetes: all, source: "own manifests: apps/v1, v1 and networking.k8s.io/v1 objects only", digest: "sha256:006b92e1d6682442e29d1d0d73c34a61166d42f8a5bf1ea10c318f07ad4790e2", digestSource: UNVERIFIED }] },
  "aws-efs-csi-driver": {
    eksAddon: [
      { version: "v2.1.13-eksbuild.1", kubernetes: ["1.32", "1.33", "1.34", "1.35", "1.36"], source: "unverified" }, // no per-version listing found
    ],
    helm: [{ version: "3.3.0", kubernetes: all, source: UNVERIFIED }],
  },
  // Chart 2.64.0 ships driver v1.64.0 (kubernetes-sigs/aws-ebs-csi-driver CHANGELOG); the EKS add-on build of
  // v1.64.0 is the one this release ships, not yet checked against describe-addon-versions.
  "aws-ebs-csi-driver": {
    eksAddon: [
      { version: "v1.64.0-eksbuild.1", kubernetes: ["1.32", "1.33", "1.34", "1.35", "1.36"], source: "unverified" }, // no per-version listing found
    ],
    helm: [{ version: "2.64.0", kubernetes: all, source: UNVERIFIED }],
  },
  // External Secrets "Stability and Support" (docs/introduction/stability-support.md): ESO 2.9 is tested on
  // Kubernetes 1.36 only. 1.32-1.35 are kept (narrowing would leave clusters on them, the default among them,
  // without External Secrets) but unverified.
  "external-secrets": {
    helm: [{ version: "2.9.0", kubernetes: all, source: "https://external-secrets.io/latest/introduction/stability-support/", unverified: kubernetesRange("1.32", "1.35") }],
  },
} as const satisfies Record<string, Partial<Record<"eksAddon" | "helm" | "manifests", ReadonlyArray<VersionPin>>>>;

/**
 * The Bottlerocket/AL2023 AMI alias Karpenter nodes use by default on a Kubernetes minor: pinned, never `@latest`,
 * and a release that ships that minor (modules/ami-releases.ts has the table and `amiAliasIssue`).
 */
export function defaultAmiAlias(version: KubernetesVersion): string {
  return amiAliasFor(version);
}

/** The default AMI alias for DEFAULT_KUBERNETES_VERSION (al2023@v20260714, which ships every supported minor). */
export const DEFAULT_KARPENTER_AMI_ALIAS: string = defaultAmiAlias(DEFAULT_KUBERNETES_VERSION);

/** Compile-time check: every supported Kubernetes minor has a pinned default AMI release (modules/ami-releases.ts). */
export const DEFAULT_AMI_RELEASES: Readonly<Record<KubernetesVersion, string>> = DEFAULT_AL2023_RELEASE;
