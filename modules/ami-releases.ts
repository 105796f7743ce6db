/**
 * EKS-optimized Amazon Linux 2023 AMI releases (the `al2023@<release>` alias Karpenter resolves) and the Kubernetes
 * minors each ships a standard x86_64/arm64 AMI for. From the amazon-eks-ami changelog
 * (https://github.com/awslabs/amazon-eks-ami/blob/main/CHANGELOG.md, as parsed on 2026-07-23).
 *
 * Not the whole changelog: the releases this platform pins, and the ones on either side of each supported minor's
 * first release (so a check can say "v20260107 has no 1.35, v20260114 is the first that does"). A release that is
 * not listed is judged by its date against these (see `checkAmiAlias`). CI compares every entry with the parsed
 * changelog: `npm run pins -- --check-ami-table ../shared/reference/eks-ami-releases-al2023.json`.
 */
export const AL2023_AMI_RELEASES: Readonly<Record<string, ReadonlyArray<string>>> = {
  v20241213: ["1.24", "1.25", "1.26", "1.27", "1.28", "1.29", "1.30", "1.31"],
  v20241225: ["1.24", "1.25", "1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32"], // first with 1.32
  v20250514: ["1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32"],
  v20250519: ["1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33"], // first with 1.33
  v20250904: ["1.28", "1.29", "1.30", "1.31", "1.32", "1.33"],
  v20250915: ["1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34"], // first with 1.34
  v20251112: ["1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34"], // the default of the previous release: no 1.35
  v20260107: ["1.29", "1.30", "1.31", "1.32", "1.33", "1.34"],
  v20260114: ["1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"], // first with 1.35
  v20260505: ["1.30", "1.31", "1.32", "1.33", "1.34", "1.35"],
  v20260610: ["1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36"], // first with 1.36
  v20260714: ["1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36"], // newest in the changelog parsed
};

/**
 * The AMI release Karpenter nodes use by default, per Kubernetes minor: pinned, never `@latest`. One release for
 * every minor today (the newest one the table knows ships them all); per minor so that a minor this release
 * supports can stay on an older AMI, or a new minor can get the first release that ships it. versions.ts checks
 * at compile time that every supported minor has one (this file imports nothing of versions.ts: no import cycle).
 */
export const DEFAULT_AL2023_RELEASE = {
  "1.32": "v20260714",
  "1.33": "v20260714",
  "1.34": "v20260714",
  "1.35": "v20260714",
  "1.36": "v20260714",
} as const;

/** The pinned default `al2023@vYYYYMMDD` alias for a Kubernetes minor. */
export function amiAliasFor(kubernetesVersion: string): string {
  const release = (DEFAULT_AL2023_RELEASE as Readonly<Record<string, string>>)[kubernetesVersion];
  if (!release) throw new Error(`no default AMI release is pinned for Kubernetes ${kubernetesVersion}`);
  return `al2023@${release}`;
}

/** What is known about an AMI alias for a Kubernetes version. */
export interface AmiAliasCheck {
  /** `ships`: a listed release that ships the version; `unverified`: accepted, but nothing here confirms it; `refused`: it cannot work, or is not pinned. */
  readonly status: "ships" | "unverified" | "refused";
  readonly message?: string;
}

const RELEASE_TAG = /^v\d{8}$/;
const sortedReleases = (): string[] => Object.keys(AL2023_AMI_RELEASES).sort();

/** Listed releases that ship a minor, oldest first. */
export function releasesShipping(kubernetesVersion: string): string[] {
  return sortedReleases().filter((release) => AL2023_AMI_RELEASES[release].includes(kubernetesVersion));
}

function shippingSummary(kubernetesVersion: string): string {
  const shipping = releasesShipping(kubernetesVersion);
  if (shipping.length === 0) return `no AL2023 release this platform knows ships Kubernetes ${kubernetesVersion}`;
  const first = shipping[0];
  const newest = shipping[shipping.length - 1];
  return first === newest
    ? `${first} ships it`
    : `${first} is the first release that ships it (known releases: ${shipping.join(", ")}; newest ${newest})`;
}

/** Checks a Karpenter `amiSelectorTerms` alias against the Kubernetes minor the nodes join. */
export function checkAmiAlias(alias: string, kubernetesVersion: string): AmiAliasCheck {
  const at = alias.indexOf("@");
  const family = at < 0 ? alias : alias.slice(0, at);
  const release = at < 0 ? "" : alias.slice(at + 1);
  if (release === "latest") {
    return {
      status: "refused",
      message: `${alias} is not pinned: @latest picks up whatever AMI AWS publishes next, so two plans a week apart differ; pin a release, e.g. ${amiAliasOrNothing(kubernetesVersion)}`,
    };
  }
  if (family === "bottlerocket") {
    return {
      status: "unverified",
      message: `${alias}: Bottlerocket releases are not in this platform's AMI table; check that the release ships Kubernetes ${kubernetesVersion}`,
    };
  }
  if (family !== "al2023") {
    return {
      status: "refused",
      message: `${alias}: this platform knows al2023@<release> and bottlerocket@<release> aliases`,
    };
  }
  if (!RELEASE_TAG.test(release)) {
    return {
      status: "refused",
      message: `${alias}: an AL2023 release is a vYYYYMMDD tag, e.g. ${amiAliasOrNothing(kubernetesVersion)}`,
    };
  }
  const minors = AL2023_AMI_RELEASES[release];
  if (minors) {
    return minors.includes(kubernetesVersion)
      ? { status: "ships" }
      : {
          status: "refused",
          message: `${alias} ships no Kubernetes ${kubernetesVersion} AMI (it ships ${minors.join(", ")}); ${shippingSummary(kubernetesVersion)}`,
        };
  }
  const shipping = releasesShipping(kubernetesVersion);
  if (shipping.length > 0 && release < shipping[0]) {
    return {
      status: "refused",
      message: `${alias} predates Kubernetes ${kubernetesVersion} AMIs: ${shippingSummary(kubernetesVersion)}`,
    };
  }
  const known = shipping.length > 0 ? `; ${shippingSummary(kubernetesVersion)}` : "";
  return {
    status: "unverified",
    message: `${alias} is not in this platform's AMI table, so whether it ships Kubernetes ${kubernetesVersion} is unverified${known}`,
  };
}

/**
 * A problem with an AMI alias for a Kubernetes version, or undefined when the alias is usable: a listed al2023
 * release that ships the version, or one this table cannot judge (a Bottlerocket release, an unlisted al2023
 * release dated after the first that ships the version; `checkAmiAlias` says "unverified" for those). The message
 * names the releases that do ship the version.
 */
export function amiAliasIssue(alias: string, kubernetesVersion: string): string | undefined {
  const check = checkAmiAlias(alias, kubernetesVersion);
  return check.status === "refused" ? check.message : undefined;
}

function amiAliasOrNothing(kubernetesVersion: string): string {
  const release = (DEFAULT_AL2023_RELEASE as Record<string, string | undefined>)[kubernetesVersion];
  if (release) return `al2023@${release}`;
  const shipping = releasesShipping(kubernetesVersion);
  return shipping.length ? `al2023@${shipping[shipping.length - 1]}` : "al2023@vYYYYMMDD";
}
