import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseVersionsFile } from "../../tools/pins/versions-file";
import { fixture, responseMatching, runPins, VERSIONS_TS } from "../helpers/pins";

/**
 * `npm run pins -- --write`: each pin moved to the newest compatible build, only pin lines rewritten, unverified
 * pins recorded as confirmed. Checking without writing: pins.test.ts.
 */

let dir: string;
let copy: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pins-test-"));
  copy = join(dir, "versions.ts");
  copyFileSync(VERSIONS_TS, copy);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run pins -- --write", () => {
  it("moves each pin to the newest compatible build per minor, rewriting only pin lines, and prints a diff", () => {
    const before = readFileSync(copy, "utf8");
    const { code, stdout } = runPins([
      "--addon-versions",
      fixture("vpc-cni-coredns.json"),
      "--addon-versions",
      fixture("kube-proxy-1.36.json"),
      "--versions-file",
      copy,
      "--write",
    ]);
    const after = readFileSync(copy, "utf8");
    const source = "aws eks describe-addon-versions (2026-12-01)";

    const pins = Object.fromEntries(parseVersionsFile(after, copy).blocks.map((block) => [block.addon, block.pins]));
    expect(pins["vpc-cni"]).toEqual([
      { version: "v1.22.4-eksbuild.3", kubernetes: ["1.32", "1.33", "1.34", "1.35", "1.36"], source },
    ]);
    // minors sharing the newest build share one pin; newest first
    expect(pins.coredns).toEqual([
      { version: "v1.14.3-eksbuild.3", kubernetes: ["1.35", "1.36"], source },
      { version: "v1.13.2-eksbuild.11", kubernetes: ["1.33", "1.34"], source },
      { version: "v1.12.4-eksbuild.18", kubernetes: ["1.32"], source }, // the fixture lists it for 1.32 too
    ]);
    // kube-proxy: 1.36 moved; the minors the input says nothing about keep their pins and sources
    expect(pins["kube-proxy"][0]).toEqual({ version: "v1.36.0-eksbuild.21", kubernetes: ["1.36"], source });
    expect(pins["kube-proxy"].slice(1).map((pin) => pin.version)).toEqual([
      "v1.35.3-eksbuild.13",
      "v1.34.6-eksbuild.13",
      "v1.33.10-eksbuild.13",
      "v1.32.13-eksbuild.16",
    ]);
    expect(pins["kube-proxy"][1].source).toContain("managing-kube-proxy");
    // add-ons missing from the input are untouched
    expect(pins["cert-manager"]).toEqual(
      parseVersionsFile(before, copy).blocks.find((block) => block.addon === "cert-manager")!.pins,
    );

    // only pin lines changed: every other line is kept, comments included
    const isPinLine = (line: string) => /^\s*\{ version: "/.test(line);
    expect(after.split("\n").filter((line) => !isPinLine(line))).toEqual(
      before.split("\n").filter((line) => !isPinLine(line)),
    );

    expect(stdout).toContain(`--- ${copy}`);
    expect(stdout).toContain(
      `-      { version: "v1.20.4-eksbuild.2", kubernetes: ["1.32", "1.33", "1.34", "1.35", "1.36"], source: "unverified" },`,
    );
    expect(stdout).toContain(
      `+      { version: "v1.22.4-eksbuild.3", kubernetes: ["1.32", "1.33", "1.34", "1.35", "1.36"], source: "${source}" },`,
    );
    expect(stdout).toMatch(/@@ -\d+ \+\d+ @@ "vpc-cni": \{/);
    expect(stdout).toContain("pins: rewrote the eksAddon pins of vpc-cni, coredns, kube-proxy in");
    // what is left: the add-ons the input lacks, and kube-proxy's minors it says nothing about
    expect(code).toBe(1);
    expect(stdout).not.toContain("vpc-cni v1.");

    // a second run with the same input has nothing to do
    const again = runPins([
      "--addon-versions",
      fixture("vpc-cni-coredns.json"),
      "--addon-versions",
      fixture("kube-proxy-1.36.json"),
      "--versions-file",
      copy,
      "--write",
    ]);
    expect(again.stdout).toContain("already has the newest compatible builds");
    expect(readFileSync(copy, "utf8")).toBe(after);
  });

  it("records that the input confirms pins marked unverified, then passes", () => {
    const input = join(dir, "matching.json");
    writeFileSync(input, responseMatching(copy));
    const { code } = runPins(["--addon-versions", input, "--versions-file", copy, "--write"]);
    expect(code).toBe(0);
    const file = parseVersionsFile(readFileSync(copy, "utf8"), copy);
    expect(file.blocks.flatMap((block) => block.pins).filter((pin) => pin.source === "unverified")).toEqual([]);
    expect(runPins(["--addon-versions", input, "--versions-file", copy]).lines).toHaveLength(1);
  });
});
