import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runPinsCommand, type PinsCommandIo } from "../../tools/pins";
import { parseVersionsFile } from "../../tools/pins/versions-file";
import { PINS } from "../../modules/versions";

/** For the `npm run pins` tests (pins.test.ts, pins-write.test.ts): the fixtures, the command run in-process. */

// Fixtures in the shape of `aws eks describe-addon-versions --output json`; the compatibilities are made up for the tests,
// not a record of what EKS lists:
//   vpc-cni-coredns.json  vpc-cni: the pinned v1.20.4-eksbuild.2 is listed for 1.32-1.35 but not 1.36 (v1.22.4-eksbuild.3
//                         is, for all); coredns: every pinned build listed for its minors, and each also for the minor below
//   kube-proxy-1.36.json  one response as `--kubernetes-version 1.36 --addon-name kube-proxy` returns it (merged with the first)
//   describe-cluster.json, wrong-types.json, truncated.json   not describe-addon-versions output
const FIXTURES = join(__dirname, "..", "fixtures", "addon-versions");
export const fixture = (name: string) => join(FIXTURES, name);
export const VERSIONS_TS = join(__dirname, "..", "..", "modules", "versions.ts");
/** Every add-on with EKS add-on pins, in PINS order (what the tool checks): derived, so a new add-on changes nothing here. */
export const EKS_ADDONS = Object.entries(PINS)
  .filter(([, byKind]) => "eksAddon" in byKind)
  .map(([addon]) => addon);
/** The add-ons the vpc-cni-coredns.json and kube-proxy-1.36.json fixtures answer for. */
export const IN_FIXTURES = ["vpc-cni", "coredns", "kube-proxy"];

/** `npm run pins` with `argv`, in-process, at a fixed date; what it printed, and stdout's lines. */
export function runPins(argv: string[], overrides: Partial<PinsCommandIo> = {}) {
  let stdout = "";
  let stderr = "";
  const code = runPinsCommand(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    now: new Date("2026-12-01T00:00:00Z"),
    ...overrides,
  });
  return { code, stdout, stderr, lines: stdout.trim().split("\n") };
}

/** A describe-addon-versions response listing exactly the pinned builds of a versions file for the minors they claim. */
export function responseMatching(path: string): string {
  const file = parseVersionsFile(readFileSync(path, "utf8"), path);
  return JSON.stringify({
    addons: file.blocks.map((block) => ({
      addonName: block.addon,
      type: "networking",
      addonVersions: block.pins.map((pin) => ({
        addonVersion: pin.version,
        architecture: ["amd64", "arm64"],
        compatibilities: pin.kubernetes.map((clusterVersion) => ({
          clusterVersion,
          platformVersions: ["*"],
          defaultVersion: true,
        })),
        requiresConfiguration: false,
      })),
    })),
  });
}
