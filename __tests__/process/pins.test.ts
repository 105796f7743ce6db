import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SpawnResult } from "../../tools/pins";
import {
  compareAddonVersions,
  indexAddonVersions,
  parseAddonVersions,
  compatibleBuilds,
} from "../../tools/pins/addon-versions";
import { checkAmiTable } from "../../tools/pins/ami-table";
import { checkPins, proposePins } from "../../tools/pins/check";
import { diffLines } from "../../tools/pins/versions-file";
import { EKS_ADDONS, fixture, IN_FIXTURES, responseMatching, runPins, VERSIONS_TS } from "../helpers/pins";

/**
 * `npm run pins` checking the EKS add-on pins against describe-addon-versions output (files, or the AWS CLI), the
 * pieces it is built from, and the installed package's `platform pins`. Rewriting the pins: pins-write.test.ts.
 */

let dir: string;
let copy: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pins-test-"));
  copy = join(dir, "versions.ts");
  copyFileSync(VERSIONS_TS, copy);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run pins: checking", () => {
  it("reports each incompatible pin with the newest compatible build, and each add-on missing from the input", () => {
    const { code, lines, stderr } = runPins([
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
    const { code, lines } = runPins(["--addon-versions", input, "--versions-file", copy]);
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
    expect(runPins(["--addon-versions", input]).code).toBe(0);
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
    const { code, stderr, stdout } = runPins(["--addon-versions", fixture(name), "--versions-file", copy]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
  });

  it("exits 2 on an unreadable input file and on unknown arguments", () => {
    expect(runPins(["--addon-versions", join(dir, "nope.json"), "--versions-file", copy])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("cannot read"),
    });
    expect(runPins(["--frobnicate"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown argument --frobnicate"),
    });
    expect(runPins(["--check-ami-table", "x.json", "--write"])).toMatchObject({ code: 2 });
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
    const { code, lines } = runPins(["--versions-file", copy], { spawn });
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
    const { code, stderr } = runPins(["--versions-file", copy], { spawn });
    expect(code).toBe(2);
    expect(stderr).toContain("the AWS CLI (`aws`) is not installed or not on PATH");
    expect(stderr).toContain("--addon-versions <file>");
  });

  it("passes on the CLI's own error", () => {
    const spawn = (): SpawnResult => ({ status: 255, stdout: "", stderr: "You must specify a region.\n" });
    expect(runPins(["--versions-file", copy], { spawn })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("failed (exit 255): You must specify a region."),
    });
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
    expect(runPins(["--check-ami-table", fixture("describe-cluster.json")])).toMatchObject({
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
