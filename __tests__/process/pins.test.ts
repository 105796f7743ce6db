import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runPinsCommand, type PinsCommandIo, type SpawnResult } from "../../tools/pins";
import {
  compareAddonVersions,
  indexAddonVersions,
  parseAddonVersions,
  compatibleBuilds,
} from "../../tools/pins/addon-versions";
import { checkAmiTable } from "../../tools/pins/ami-table";
import { checkPins, proposePins } from "../../tools/pins/check";
import { diffLines, parseVersionsFile } from "../../tools/pins/versions-file";
import { PINS } from "../../modules/versions";

// Fixtures in the shape of `aws eks describe-addon-versions --output json`; the compatibilities are made up for the tests,
// not a record of what EKS lists:
//   vpc-cni-coredns.json  vpc-cni: the pinned v1.20.4-eksbuild.2 is listed for 1.32-1.35 but not 1.36 (v1.22.4-eksbuild.3
//                         is, for all); coredns: every pinned build listed for its minors, and each also for the minor below
//   kube-proxy-1.36.json  one response as `--kubernetes-version 1.36 --addon-name kube-proxy` returns it (merged with the first)
//   describe-cluster.json, wrong-types.json, truncated.json   not describe-addon-versions output
const FIXTURES = join(__dirname, "..", "fixtures", "addon-versions");
const fixture = (name: string) => join(FIXTURES, name);
const VERSIONS_TS = join(__dirname, "..", "..", "modules", "versions.ts");
/** Every add-on with EKS add-on pins, in PINS order (what the tool checks): derived, so a new add-on changes nothing here. */
const EKS_ADDONS = Object.entries(PINS)
  .filter(([, byKind]) => "eksAddon" in byKind)
  .map(([addon]) => addon);
/** The add-ons the vpc-cni-coredns.json and kube-proxy-1.36.json fixtures answer for. */
const IN_FIXTURES = ["vpc-cni", "coredns", "kube-proxy"];

function run(argv: string[], overrides: Partial<PinsCommandIo> = {}) {
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

let dir: string;
let copy: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pins-test-"));
  copy = join(dir, "versions.ts");
  copyFileSync(VERSIONS_TS, copy);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A describe-addon-versions response listing exactly the pinned builds of a versions file for the minors they claim. */
function responseMatching(path: string): string {
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

describe("npm run pins: checking", () => {
  it("reports each incompatible pin with the newest compatible build, and each add-on missing from the input", () => {
    const { code, lines, stderr } = run([
      "--addon-versions",
      fixture("vpc-cni-coredns.json"),
      "--addon-versions",
      fixture("kube-proxy-1.36.json"),
      "--versions-file",
      copy,
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    // incompatible: the one vpc-cni build claimed for every minor is not listed for 1.36
    expect(lines).toContain(
      "vpc-cni v1.20.4-eksbuild.2: not listed as compatible with Kubernetes 1.36; newest compatible: v1.22.4-eksbuild.3",
    );
    expect(lines.filter((line) => line.startsWith("vpc-cni"))).toHaveLength(1);
    // compatible: every coredns pin is listed for the minors it claims
    expect(lines.filter((line) => line.startsWith("coredns"))).toEqual([]);
    // merged from the second file: kube-proxy's 1.36 pin holds; the other minors were not in that response
    expect(lines).not.toContainEqual(expect.stringContaining("kube-proxy v1.36.0-eksbuild.14"));
    expect(lines).toContain(
      "kube-proxy v1.35.3-eksbuild.13: not listed as compatible with Kubernetes 1.35; the input lists no kube-proxy build for Kubernetes 1.35",
    );
    // missing add-ons: every other EKS add-on
    const missing = EKS_ADDONS.filter((addon) => !IN_FIXTURES.includes(addon));
    expect(missing).toContain("eks-pod-identity-agent");
    for (const addon of missing) {
      expect(lines).toContain(
        `${addon}: not in the describe-addon-versions input (add its output, e.g. \`aws eks describe-addon-versions --addon-name ${addon} --output json\`)`,
      );
    }
    expect(lines.filter((line) => line.includes("not in the describe-addon-versions input"))).toHaveLength(
      missing.length,
    );
    expect(lines[lines.length - 1]).toMatch(
      new RegExp(`^pins: \\d+ mismatch\\(es\\) among ${EKS_ADDONS.length} EKS add-ons`),
    );
  });

  it("exits 0 with one summary line when EKS lists every pin for every Kubernetes version it claims", () => {
    const input = join(dir, "matching.json");
    writeFileSync(input, responseMatching(copy));
    const { code, lines } = run(["--addon-versions", input, "--versions-file", copy]);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^pins: all ${EKS_ADDONS.length} EKS add-ons \\(\\d+ pins, \\d+ Kubernetes versions claimed\\) are listed as compatible by .*matching\\.json; \\d+ pin\\(s\\) still marked unverified`,
      ),
    );
  });

  it("reads the platform's own versions file when no --versions-file is given", () => {
    const input = join(dir, "matching.json");
    writeFileSync(input, responseMatching(VERSIONS_TS));
    expect(run(["--addon-versions", input]).code).toBe(0);
  });

  it.each([
    [
      "truncated.json",
      /truncated\.json is not JSON \(.*\): expected the output of `aws eks describe-addon-versions --output json`/,
    ],
    [
      "describe-cluster.json",
      /describe-cluster\.json has no "addons" array: expected the output of `aws eks describe-addon-versions --output json`/,
    ],
    [
      "wrong-types.json",
      /wrong-types\.json: addons\[0\]\.addonVersions\[0\]\.compatibilities\[0\]\.clusterVersion is a number, expected a string/,
    ],
  ])("refuses %s with exit 2, naming the file and what was expected", (name, message) => {
    const { code, stderr, stdout } = run(["--addon-versions", fixture(name), "--versions-file", copy]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
  });

  it("exits 2 on an unreadable input file and on unknown arguments", () => {
    expect(run(["--addon-versions", join(dir, "nope.json"), "--versions-file", copy])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("cannot read"),
    });
    expect(run(["--frobnicate"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown argument --frobnicate"),
    });
    expect(run(["--check-ami-table", "x.json", "--write"])).toMatchObject({ code: 2 });
  });
});

describe("npm run pins: the AWS CLI", () => {
  it("runs describe-addon-versions once per EKS add-on when no file is given", () => {
    const calls: string[][] = [];
    const body = responseMatching(copy);
    const spawn = (command: string, args: ReadonlyArray<string>): SpawnResult => {
      calls.push([command, ...args]);
      return { status: 0, stdout: body, stderr: "" };
    };
    const { code, lines } = run(["--versions-file", copy], { spawn });
    expect(code).toBe(0);
    expect(calls).toEqual(
      EKS_ADDONS.map((addon) => ["aws", "eks", "describe-addon-versions", "--addon-name", addon, "--output", "json"]),
    );
    expect(lines[0]).toContain("listed as compatible by the AWS CLI");
  });

  it("says clearly when the AWS CLI is not installed", () => {
    const spawn = (): SpawnResult => ({
      status: null,
      stdout: "",
      stderr: "",
      error: Object.assign(new Error("spawnSync aws ENOENT"), { code: "ENOENT" }),
    });
    const { code, stderr } = run(["--versions-file", copy], { spawn });
    expect(code).toBe(2);
    expect(stderr).toContain("the AWS CLI (`aws`) is not installed or not on PATH");
    expect(stderr).toContain("--addon-versions <file>");
  });

  it("passes on the CLI's own error", () => {
    const spawn = (): SpawnResult => ({ status: 255, stdout: "", stderr: "You must specify a region.\n" });
    expect(run(["--versions-file", copy], { spawn })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("failed (exit 255): You must specify a region."),
    });
  });
});

describe("npm run pins -- --write", () => {
  it("moves each pin to the newest compatible build per minor, rewriting only pin lines, and prints a diff", () => {
    const before = readFileSync(copy, "utf8");
    const { code, stdout } = run([
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
    const again = run([
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
    const { code } = run(["--addon-versions", input, "--versions-file", copy, "--write"]);
    expect(code).toBe(0);
    const file = parseVersionsFile(readFileSync(copy, "utf8"), copy);
    expect(file.blocks.flatMap((block) => block.pins).filter((pin) => pin.source === "unverified")).toEqual([]);
    expect(run(["--addon-versions", input, "--versions-file", copy]).lines).toHaveLength(1);
  });
});

describe("pin tool pieces", () => {
  it("orders EKS builds numerically", () => {
    expect(
      ["v1.20.4-eksbuild.9", "v1.20.4-eksbuild.10", "v1.9.0-eksbuild.1", "v1.21.0-eksbuild.1"].sort(
        compareAddonVersions,
      ),
    ).toEqual(["v1.9.0-eksbuild.1", "v1.20.4-eksbuild.9", "v1.20.4-eksbuild.10", "v1.21.0-eksbuild.1"]);
  });

  it("merges responses: the union of builds and compatibilities", () => {
    const one = parseAddonVersions(
      JSON.stringify({
        addons: [
          {
            addonName: "x",
            addonVersions: [{ addonVersion: "v1.0.0-eksbuild.1", compatibilities: [{ clusterVersion: "1.35" }] }],
          },
        ],
      }),
      "one",
    );
    const two = parseAddonVersions(
      JSON.stringify({
        addons: [
          {
            addonName: "x",
            addonVersions: [
              { addonVersion: "v1.0.0-eksbuild.1", compatibilities: [{ clusterVersion: "1.36" }] },
              { addonVersion: "v1.1.0-eksbuild.1", compatibilities: [{ clusterVersion: "1.36" }] },
            ],
          },
        ],
      }),
      "two",
    );
    const index = indexAddonVersions([one, two]);
    expect(compatibleBuilds(index, "x", "1.36")).toEqual(["v1.1.0-eksbuild.1", "v1.0.0-eksbuild.1"]);
    expect(compatibleBuilds(index, "x", "1.35")).toEqual(["v1.0.0-eksbuild.1"]);
    expect(
      checkPins([{ addon: "x", pins: [{ version: "v1.0.0-eksbuild.1", kubernetes: ["1.35", "1.36"] }] }], index, [
        "1.35",
        "1.36",
      ]),
    ).toEqual([]);
    expect(
      checkPins([{ addon: "x", pins: [{ version: "v1.0.0-eksbuild.1", kubernetes: ["1.35"] }] }], index, [
        "1.35",
        "1.36",
      ]),
    ).toEqual([{ kind: "no-pin", addon: "x", kubernetes: "1.36", newest: "v1.1.0-eksbuild.1" }]);
    expect(proposePins({ addon: "x", pins: [] }, index, ["1.35", "1.36"], "s")).toEqual([
      { version: "v1.1.0-eksbuild.1", kubernetes: ["1.36"], source: "s" },
      { version: "v1.0.0-eksbuild.1", kubernetes: ["1.35"], source: "s" },
    ]);
  });

  it("diffs nothing when nothing changed", () => {
    expect(diffLines("a\nb", "a\nb", "f")).toBe("");
  });

  it("compares the AMI table with the parsed changelog", () => {
    const reference = { v20260114: ["1.34", "1.35"], v20260610: ["1.35", "1.36"] };
    expect(checkAmiTable({ v20260114: ["1.34", "1.35"] }, reference)).toEqual([]);
    expect(
      checkAmiTable({ v20260114: ["1.34", "1.35", "1.36"], v20260610: ["1.36"], v20990101: [] }, reference),
    ).toEqual([
      "v20260114: the table claims 1.36, which it does not ship (reference: 1.34, 1.35)",
      "v20260610: the table omits 1.35, which it ships (reference: 1.35, 1.36)",
      "v20990101: not in the reference changelog",
    ]);
  });

  it("exits 2 when the AMI reference is not the parsed changelog", () => {
    expect(run(["--check-ami-table", fixture("describe-cluster.json")])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('has no "releases" object'),
    });
  });
});

describe("platform pins (the installed package's command)", () => {
  it("runs the same check, with its exit code", () => {
    const result = spawnSync(
      process.execPath,
      ["scripts/app.js", "bin/platform.ts", "pins", "--addon-versions", fixture("truncated.json")],
      { cwd: join(__dirname, "..", ".."), encoding: "utf8" },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("truncated.json");
  });
});
