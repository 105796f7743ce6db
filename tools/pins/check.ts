import { compatibleBuilds, type AddonCompatibilityIndex } from "./addon-versions";
import { UNVERIFIED } from "../../index";
import type { FilePin } from "./versions-file";

/** The EKS add-on pins of one add-on, as the check sees them. */
export interface AddonPins {
  readonly addon: string;
  readonly pins: ReadonlyArray<FilePin>;
}

export type Mismatch =
  | { readonly kind: "missing-addon"; readonly addon: string }
  | {
      readonly kind: "not-compatible";
      readonly addon: string;
      readonly version: string;
      readonly kubernetes: string;
      readonly newest?: string;
    }
  | { readonly kind: "no-pin"; readonly addon: string; readonly kubernetes: string; readonly newest?: string };

/**
 * Every way the pins disagree with what EKS lists: an add-on absent from the input, a pin claiming a Kubernetes
 * version EKS does not list the build for, a supported Kubernetes version no pin covers.
 */
export function checkPins(
  pins: ReadonlyArray<AddonPins>,
  index: AddonCompatibilityIndex,
  kubernetesVersions: ReadonlyArray<string>,
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const { addon, pins: addonPins } of pins) {
    if (!index.has(addon)) {
      mismatches.push({ kind: "missing-addon", addon });
      continue;
    }
    const builds = index.get(addon)!;
    for (const pin of addonPins) {
      for (const kubernetes of pin.kubernetes) {
        if (builds.get(pin.version)?.has(kubernetes)) continue;
        mismatches.push({
          kind: "not-compatible",
          addon,
          version: pin.version,
          kubernetes,
          newest: compatibleBuilds(index, addon, kubernetes)[0],
        });
      }
    }
    for (const kubernetes of kubernetesVersions) {
      if (addonPins.some((pin) => pin.kubernetes.includes(kubernetes))) continue;
      mismatches.push({ kind: "no-pin", addon, kubernetes, newest: compatibleBuilds(index, addon, kubernetes)[0] });
    }
  }
  return mismatches;
}

export function formatMismatch(mismatch: Mismatch): string {
  switch (mismatch.kind) {
    case "missing-addon":
      return `${mismatch.addon}: not in the describe-addon-versions input (add its output, e.g. \`aws eks describe-addon-versions --addon-name ${mismatch.addon} --output json\`)`;
    case "not-compatible": {
      const newest = mismatch.newest
        ? `newest compatible: ${mismatch.newest}`
        : `the input lists no ${mismatch.addon} build for Kubernetes ${mismatch.kubernetes}`;
      return `${mismatch.addon} ${mismatch.version}: not listed as compatible with Kubernetes ${mismatch.kubernetes}; ${newest}`;
    }
    case "no-pin":
      return `${mismatch.addon}: no pin for Kubernetes ${mismatch.kubernetes}; ${mismatch.newest ? `newest compatible: ${mismatch.newest}` : `the input lists no ${mismatch.addon} build for it`}`;
  }
}

/**
 * New pins for an add-on: per Kubernetes version, the newest build EKS lists; versions sharing a build share a pin,
 * newest build first. A version EKS lists nothing for keeps the pin it had (undefined when nothing changes).
 */
export function proposePins(
  addon: AddonPins,
  index: AddonCompatibilityIndex,
  kubernetesVersions: ReadonlyArray<string>,
  source: string,
): FilePin[] | undefined {
  if (!index.has(addon.addon)) return undefined;
  const byBuild = new Map<string, { kubernetes: string[]; source?: string }>();
  for (const kubernetes of kubernetesVersions) {
    const newest = compatibleBuilds(index, addon.addon, kubernetes)[0];
    const kept = addon.pins.find((pin) => pin.kubernetes.includes(kubernetes));
    const version = newest ?? kept?.version;
    if (version === undefined) continue;
    const entry = byBuild.get(version) ?? { kubernetes: [], source: newest ? source : kept?.source };
    if (newest) entry.source = source;
    entry.kubernetes.push(kubernetes);
    byBuild.set(version, entry);
  }
  const order = new Map(kubernetesVersions.map((version, position) => [version, position]));
  const proposed = [...byBuild]
    .map(([version, entry]) => ({ version, kubernetes: entry.kubernetes, source: entry.source }))
    .sort(
      (a, b) =>
        Math.max(...b.kubernetes.map((k) => order.get(k)!)) - Math.max(...a.kubernetes.map((k) => order.get(k)!)),
    );
  const same =
    proposed.length === addon.pins.length &&
    proposed.every(
      (pin, i) => pin.version === addon.pins[i].version && pin.kubernetes.join() === addon.pins[i].kubernetes.join(),
    );
  // Same pins, already sourced: nothing to write. Same pins still marked unverified: the input confirms them, record that.
  return same && addon.pins.every((pin) => pin.source !== undefined && pin.source !== UNVERIFIED)
    ? undefined
    : proposed;
}
