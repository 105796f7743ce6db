import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  AL2023_AMI_RELEASES,
  amiAliasFor,
  amiAliasIssue,
  checkAmiAlias,
  releasesShipping,
} from "../../modules/ami-releases";
import {
  DEFAULT_KARPENTER_AMI_ALIAS,
  DEFAULT_KUBERNETES_VERSION,
  KUBERNETES_VERSIONS,
  PINS,
  SUPPORTED_KUBERNETES_VERSIONS,
  UNVERIFIED,
  defaultAmiAlias,
  kubernetesRange,
  type VersionPin,
} from "../../modules/versions";
import { parseVersionsFile } from "../../tools/pins/versions-file";

const deliveries = Object.entries(PINS).flatMap(([addon, byKind]) =>
  Object.entries(byKind as Record<string, ReadonlyArray<VersionPin>>).map(([kind, pins]) => ({ addon, kind, pins })),
);
const eksAddonPins = (addon: string) =>
  (PINS as Record<string, { eksAddon?: ReadonlyArray<VersionPin> }>)[addon].eksAddon ?? [];
/**
 * The add-ons with EKS add-on pins, in PINS order: what `npm run pins` checks. Derived, never listed here; that
 * every EKS add-on delivery of the catalog is among them is checked in __tests__/synth/engine-catalog.test.ts.
 */
const EKS_ADDONS = Object.keys(PINS).filter((addon) => eksAddonPins(addon).length > 0);

describe("Kubernetes versions", () => {
  it("knows 1.32 through 1.36, newest last, with 1.35 the default", () => {
    expect(SUPPORTED_KUBERNETES_VERSIONS).toEqual(["1.32", "1.33", "1.34", "1.35", "1.36"]);
    expect(kubernetesRange("1.33", "1.36")).toEqual(["1.33", "1.34", "1.35", "1.36"]);
    expect(DEFAULT_KUBERNETES_VERSION).toBe("1.35");
  });

  it("has EKS's calendar: standard support 14 months from the EKS release, extended 12 more", () => {
    const addMonths = (date: string, months: number) => {
      const d = new Date(`${date}T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() + months);
      return d.toISOString().slice(0, 10);
    };
    for (const calendar of Object.values(KUBERNETES_VERSIONS)) {
      expect(calendar.endOfStandardSupport).toBe(addMonths(calendar.eksRelease, 14));
      expect(calendar.endOfExtendedSupport).toBe(addMonths(calendar.endOfStandardSupport, 12));
    }
    expect(KUBERNETES_VERSIONS["1.34"].endOfStandardSupport).toBe("2026-12-02");
    expect(KUBERNETES_VERSIONS["1.36"]).toEqual({
      eksRelease: "2026-06-02",
      endOfStandardSupport: "2027-08-02",
      endOfExtendedSupport: "2028-08-02",
    });
  });
});

describe("pins", () => {
  it.each(EKS_ADDONS)("%s has exactly one EKS add-on pin per Kubernetes version this release knows", (addon) => {
    const pins = eksAddonPins(addon);
    for (const version of SUPPORTED_KUBERNETES_VERSIONS)
      expect(pins.filter((pin) => pin.kubernetes.includes(version))).toHaveLength(1);
  });

  it.each(deliveries.map((d) => [`${d.addon} ${d.kind}`, d] as const))(
    "%s: versions are unique, sourced, and unverified versions are claimed ones",
    (_, { pins }) => {
      expect(new Set(pins.map((pin) => pin.version)).size).toBe(pins.length);
      for (const pin of pins) {
        expect(pin.source).toEqual(expect.any(String));
        expect(pin.kubernetes.length).toBeGreaterThan(0);
        for (const version of pin.unverified ?? []) expect(pin.kubernetes).toContain(version);
        if (
          pin.source !== UNVERIFIED &&
          !pin.source!.startsWith("aws eks describe-addon-versions") &&
          !pin.source!.startsWith("own manifests")
        )
          expect(pin.source).toMatch(/^https:\/\//);
      }
    },
  );

  it("the default Kubernetes version resolves every add-on's every delivery", () => {
    for (const { addon, kind, pins } of deliveries)
      expect([addon, kind, pins.some((pin) => pin.kubernetes.includes(DEFAULT_KUBERNETES_VERSION))]).toEqual([
        addon,
        kind,
        true,
      ]);
  });

  it("narrows chart envelopes to what upstream states", () => {
    expect(PINS.karpenter.helm[0].kubernetes).toEqual(SUPPORTED_KUBERNETES_VERSIONS); // Karpenter 1.14: 1.30-1.36
    expect(PINS["cert-manager"].helm[0].kubernetes).toEqual(["1.33", "1.34", "1.35", "1.36"]); // cert-manager 1.21: 1.33-1.36
    expect(PINS["external-secrets"].helm[0].unverified).toEqual(["1.32", "1.33", "1.34", "1.35"]); // ESO 2.9: tested on 1.36
  });

  it("the pin tool reads modules/versions.ts exactly as the platform imports it", () => {
    const path = join(__dirname, "..", "..", "modules", "versions.ts");
    const file = parseVersionsFile(readFileSync(path, "utf8"), path);
    expect(file.kubernetesVersions).toEqual(SUPPORTED_KUBERNETES_VERSIONS);
    expect(file.blocks.map((block) => [block.addon, block.pins])).toEqual(
      EKS_ADDONS.map((addon) => [
        addon,
        eksAddonPins(addon).map((pin) => ({
          version: pin.version,
          kubernetes: [...pin.kubernetes],
          source: pin.source,
        })),
      ]),
    );
  });
});

describe("the pin tool reads every pin or says which it cannot", () => {
  const path = join(__dirname, "..", "..", "modules", "versions.ts");
  const text = readFileSync(path, "utf8");
  const firstList = /^( *)eksAddon: \[\n( *\{ version: [^\n]*)\n *\],?$/m;

  it("refuses an eksAddon list written on one line (it was skipped, so its pins went unchecked)", () => {
    const match = firstList.exec(text)!;
    const oneLine = text.replace(match[0], `${match[1]}eksAddon: [${match[2].trim()}],`);
    const line = oneLine.slice(0, oneLine.indexOf(`${match[1]}eksAddon: [{`)).split("\n").length;
    expect(() => parseVersionsFile(oneLine, "copy.ts")).toThrow(`copy.ts:${line}: `);
    expect(() => parseVersionsFile(oneLine, "copy.ts")).toThrow(/one pin per line/);
  });

  it("refuses a pin spread over several lines (as a formatter would write it)", () => {
    const match = firstList.exec(text)!;
    const spread = text.replace(match[2], match[2].replace(/, /g, ",\n" + match[1] + "    "));
    expect(() => parseVersionsFile(spread, "copy.ts")).toThrow(/copy\.ts:\d+: not a pin line the tool can read/);
  });
});

describe("AMI aliases", () => {
  it.each(SUPPORTED_KUBERNETES_VERSIONS)(
    "Kubernetes %s has a pinned default al2023 alias whose release ships it",
    (version) => {
      const alias = amiAliasFor(version);
      expect(alias).toMatch(/^al2023@v\d{8}$/);
      expect(defaultAmiAlias(version)).toBe(alias);
      expect(AL2023_AMI_RELEASES[alias.slice("al2023@".length)]).toContain(version);
      expect(checkAmiAlias(alias, version)).toEqual({ status: "ships" });
      expect(amiAliasIssue(alias, version)).toBeUndefined();
    },
  );

  it("the default alias is the default version's, and never @latest", () => {
    expect(DEFAULT_KARPENTER_AMI_ALIAS).toBe(amiAliasFor(DEFAULT_KUBERNETES_VERSION));
    expect(DEFAULT_KARPENTER_AMI_ALIAS).not.toMatch(/latest/);
  });

  it("refuses al2023@v20251112 for 1.35, naming v20260114, the first release that ships it", () => {
    expect(amiAliasIssue("al2023@v20251112", "1.34")).toBeUndefined();
    const issue = amiAliasIssue("al2023@v20251112", "1.35");
    expect(issue).toContain("al2023@v20251112 ships no Kubernetes 1.35 AMI");
    expect(issue).toContain("v20260114 is the first release that ships it");
    expect(amiAliasIssue("al2023@v20260107", "1.35")).toContain("v20260114");
    expect(amiAliasIssue("al2023@v20260114", "1.35")).toBeUndefined();
  });

  it("1.36 needs v20260610 or later", () => {
    expect(amiAliasIssue("al2023@v20260505", "1.36")).toContain("v20260610 is the first release that ships it");
    expect(amiAliasIssue("al2023@v20260610", "1.36")).toBeUndefined();
    expect(releasesShipping("1.36")[0]).toBe("v20260610");
    // not in the table: judged by its date
    expect(amiAliasIssue("al2023@v20260601", "1.36")).toContain("predates Kubernetes 1.36 AMIs");
    expect(checkAmiAlias("al2023@v20261120", "1.36")).toMatchObject({
      status: "unverified",
      message: expect.stringContaining("not in this platform's AMI table"),
    });
    expect(amiAliasIssue("al2023@v20261120", "1.36")).toBeUndefined();
  });

  it("refuses @latest with the reason, accepts Bottlerocket as unverified", () => {
    expect(amiAliasIssue("al2023@latest", "1.35")).toMatch(/not pinned: @latest .*al2023@v20260714/);
    expect(amiAliasIssue("bottlerocket@latest", "1.35")).toMatch(/not pinned/);
    expect(amiAliasIssue("bottlerocket@v1.54.0", "1.35")).toBeUndefined();
    expect(checkAmiAlias("bottlerocket@v1.54.0", "1.35")).toMatchObject({
      status: "unverified",
      message: expect.stringContaining("Bottlerocket releases are not in this platform's AMI table"),
    });
    expect(amiAliasIssue("al2023@20260714", "1.35")).toContain("vYYYYMMDD");
    expect(amiAliasIssue("windows2022@v20260714", "1.35")).toContain(
      "knows al2023@<release> and bottlerocket@<release>",
    );
  });
});
