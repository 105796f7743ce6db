/**
 * The output of `aws eks describe-addon-versions --output json`, validated, merged and indexed by add-on, build and
 * Kubernetes version. Only the fields the pin check reads are typed; everything else in the response is ignored.
 */

export interface AddonCompatibility {
  readonly clusterVersion: string;
  readonly platformVersions?: ReadonlyArray<string>;
  readonly defaultVersion?: boolean;
}

export interface AddonVersionInfo {
  readonly addonVersion: string;
  readonly compatibilities: ReadonlyArray<AddonCompatibility>;
}

export interface AddonInfo {
  readonly addonName: string;
  readonly addonVersions: ReadonlyArray<AddonVersionInfo>;
}

export interface DescribeAddonVersions {
  readonly addons: ReadonlyArray<AddonInfo>;
}

/** A file (or CLI output) that is not describe-addon-versions output: the CLI exits 2 with this message. */
export class AddonVersionsInputError extends Error {}

export const EXPECTED_INPUT =
  'the output of `aws eks describe-addon-versions --output json` (an object with an "addons" array)';

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Parses and validates one response; `origin` names the file (or command) in error messages. */
export function parseAddonVersions(text: string, origin: string): DescribeAddonVersions {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AddonVersionsInputError(
      `${origin} is not JSON (${error instanceof Error ? error.message : String(error)}): expected ${EXPECTED_INPUT}`,
    );
  }
  const fail = (path: string, what: string, value: unknown): never => {
    throw new AddonVersionsInputError(
      `${origin}: ${path} is ${typeName(value)}, expected ${what}; is this ${EXPECTED_INPUT}?`,
    );
  };
  if (typeof data !== "object" || data === null || Array.isArray(data)) fail("the document", "an object", data);
  const addons = (data as { addons?: unknown }).addons;
  if (addons === undefined)
    throw new AddonVersionsInputError(`${origin} has no "addons" array: expected ${EXPECTED_INPUT}`);
  if (!Array.isArray(addons)) fail("addons", "an array", addons);
  return {
    addons: (addons as unknown[]).map((addon, a): AddonInfo => {
      const at = `addons[${a}]`;
      if (typeof addon !== "object" || addon === null || Array.isArray(addon)) fail(at, "an object", addon);
      const { addonName, addonVersions } = addon as { addonName?: unknown; addonVersions?: unknown };
      if (typeof addonName !== "string") fail(`${at}.addonName`, "a string", addonName);
      if (!Array.isArray(addonVersions)) fail(`${at}.addonVersions`, "an array", addonVersions);
      return {
        addonName: addonName as string,
        addonVersions: (addonVersions as unknown[]).map((version, v): AddonVersionInfo => {
          const vat = `${at}.addonVersions[${v}]`;
          if (typeof version !== "object" || version === null || Array.isArray(version))
            fail(vat, "an object", version);
          const { addonVersion, compatibilities } = version as { addonVersion?: unknown; compatibilities?: unknown };
          if (typeof addonVersion !== "string") fail(`${vat}.addonVersion`, "a string", addonVersion);
          if (compatibilities !== undefined && !Array.isArray(compatibilities))
            fail(`${vat}.compatibilities`, "an array", compatibilities);
          return {
            addonVersion: addonVersion as string,
            compatibilities: ((compatibilities ?? []) as unknown[]).map((compatibility, c): AddonCompatibility => {
              const cat = `${vat}.compatibilities[${c}]`;
              if (typeof compatibility !== "object" || compatibility === null || Array.isArray(compatibility))
                fail(cat, "an object", compatibility);
              const { clusterVersion, defaultVersion } = compatibility as {
                clusterVersion?: unknown;
                defaultVersion?: unknown;
              };
              if (typeof clusterVersion !== "string") fail(`${cat}.clusterVersion`, "a string", clusterVersion);
              if (defaultVersion !== undefined && typeof defaultVersion !== "boolean")
                fail(`${cat}.defaultVersion`, "a boolean", defaultVersion);
              return {
                clusterVersion: clusterVersion as string,
                defaultVersion: defaultVersion as boolean | undefined,
              };
            }),
          };
        }),
      };
    }),
  };
}

/**
 * add-on name -> build -> Kubernetes versions EKS lists it as compatible with. Several responses (one per
 * `--kubernetes-version`, or per add-on) merge into one: the union of everything they list.
 */
export type AddonCompatibilityIndex = ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;

export function indexAddonVersions(responses: ReadonlyArray<DescribeAddonVersions>): AddonCompatibilityIndex {
  const index = new Map<string, Map<string, Set<string>>>();
  for (const response of responses) {
    for (const addon of response.addons) {
      const builds = index.get(addon.addonName) ?? new Map<string, Set<string>>();
      index.set(addon.addonName, builds);
      for (const version of addon.addonVersions) {
        const clusters = builds.get(version.addonVersion) ?? new Set<string>();
        builds.set(version.addonVersion, clusters);
        for (const compatibility of version.compatibilities) clusters.add(compatibility.clusterVersion);
      }
    }
  }
  return index;
}

/** Numbers in a build string, e.g. v1.20.4-eksbuild.2 -> [1, 20, 4, 2]. */
function versionNumbers(version: string): number[] {
  return (version.match(/\d+/g) ?? []).map(Number);
}

/** Orders EKS add-on builds: v1.20.4-eksbuild.10 after v1.20.4-eksbuild.9, v1.21.0-eksbuild.1 after both. */
export function compareAddonVersions(a: string, b: string): number {
  const left = versionNumbers(a);
  const right = versionNumbers(b);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? -1) - (right[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds EKS lists for an add-on on a Kubernetes version, newest first. */
export function compatibleBuilds(
  index: AddonCompatibilityIndex,
  addonName: string,
  kubernetesVersion: string,
): string[] {
  const builds = index.get(addonName);
  if (!builds) return [];
  return [...builds]
    .filter(([, clusters]) => clusters.has(kubernetesVersion))
    .map(([build]) => build)
    .sort((a, b) => compareAddonVersions(b, a));
}
