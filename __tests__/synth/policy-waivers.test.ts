import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { validateConfig } from "../../modules/plan";
import type { EnvironmentConfig } from "../../modules/config/schema";
import { PlatformConfigError } from "../../modules/errors";
import { evaluatePolicy, formatFinding, policyEvaluationOf, unusedWaivers, waiverExpired } from "../../modules/policy";
import { synthesizeAtomically } from "../../modules/synth";
import { Platform, type EnvironmentStacks } from "../../stacks/platform";

/**
 * Waivers: one silences exactly the finding of its rule on its resource, an expired one does not, an unknown
 * rule is a config error; and the pack runs as part of synth (validation), failing it before anything is written.
 */

type Json = Record<string, any>;

const baseEnvironment = {
  account: "111111111111",
  region: "eu-west-1",
  vpc: {
    id: "vpc-0a1b2c3d4e5f60718",
    privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
    publicSubnetIds: [],
  },
  dns: { domain: "dev.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" },
  layers: { network: false, storage: false, operators: false },
};
/** 0.0.0.0/0 passes the config check once acknowledged; the policy pack still wants a waiver. */
const openCluster = (name: string) => ({
  ...baseEnvironment,
  name,
  cluster: {
    endpoint: { publicAccessCidrs: ["0.0.0.0/0"], acknowledgeOpenToInternet: true },
    access: { terraformRoleArn: "arn:aws:iam::111111111111:role/platform-terraform" },
  },
});
const OPEN_WAIVER = {
  rule: "EKS_PUBLIC_ENDPOINT",
  resource: "aws_eks_cluster.cluster",
  reason: "CI runners outside the VPC until the VPN lands",
};

let unwaived: EnvironmentStacks;
let waived: EnvironmentStacks;
let foundation: Json;
const NOW = new Date("2026-06-15T12:00:00Z");

beforeAll(() => {
  const config = validateConfig({
    environments: [openCluster("open"), { ...openCluster("waived"), policy: { waivers: [OPEN_WAIVER] } }],
  });
  const platform = new Platform(Testing.app(), { config });
  [unwaived, waived] = platform.environments;
  foundation = JSON.parse(Testing.synth(waived.foundation!));
  // A second and third finding on other resources, so a waiver can be shown to silence only its own.
  foundation.resource.aws_kms_key.cluster.enable_key_rotation = false;
  delete foundation.resource.aws_cloudwatch_log_group.cluster.retention_in_days;
});

const withWaivers = (waivers: EnvironmentConfig["policy"]["waivers"]): EnvironmentConfig => ({
  ...waived.environment,
  policy: { waivers },
});
const evaluate = (waivers: EnvironmentConfig["policy"]["waivers"]) =>
  evaluatePolicy({ stack: "waived-foundation", json: foundation, environment: withWaivers(waivers), now: NOW });
const keys = (findings: ReadonlyArray<{ rule: string; address: string }>) =>
  findings.map((finding) => `${finding.rule} ${finding.address}`).sort();

const ALL = [
  "EKS_PUBLIC_ENDPOINT aws_eks_cluster.cluster",
  "KMS_ROTATION aws_kms_key.cluster",
  "LOGS_RETENTION aws_cloudwatch_log_group.cluster",
];

describe("waivers", () => {
  it("without waivers, every violation is a finding", () => {
    expect(keys(evaluate([]).findings)).toEqual(ALL);
  });

  it("a waiver silences exactly the finding of its rule on its resource, and is reported as in use", () => {
    const result = evaluate([
      { rule: "KMS_ROTATION", resource: "aws_kms_key.cluster", reason: "rotation handled by the key owner's process" },
    ]);
    expect(keys(result.findings)).toEqual(ALL.filter((key) => !key.startsWith("KMS_ROTATION")));
    expect(
      result.waived.map((applied) => [applied.finding.rule, applied.finding.address, applied.waiver.reason]),
    ).toEqual([["KMS_ROTATION", "aws_kms_key.cluster", "rotation handled by the key owner's process"]]);
  });

  it.each([
    ["another resource", { rule: "KMS_ROTATION", resource: "aws_kms_key.efs", reason: "a different key entirely" }],
    [
      "a resource that only contains the address",
      { rule: "KMS_ROTATION", resource: "aws_kms_key.cluster_old", reason: "not the same address at all" },
    ],
    [
      "another rule on the same resource",
      { rule: "KMS_KEY_POLICY", resource: "aws_kms_key.cluster", reason: "right resource, wrong rule" },
    ],
  ])("a waiver for %s silences nothing", (_, waiver) => {
    const result = evaluate([waiver]);
    expect(keys(result.findings)).toEqual(ALL);
    expect(result.waived).toEqual([]);
    expect(unusedWaivers(withWaivers([waiver]), [result])).toEqual([waiver]);
  });

  it("a waiver without a resource covers its rule everywhere in the environment", () => {
    expect(
      keys(evaluate([{ rule: "LOGS_RETENTION", reason: "logs are exported to the SIEM and expire there" }]).findings),
    ).toEqual(ALL.filter((key) => !key.startsWith("LOGS_RETENTION")));
  });

  it("an expired waiver no longer applies, and the finding says so", () => {
    const result = evaluate([{ ...OPEN_WAIVER, expires: "2026-06-14" }]);
    expect(keys(result.findings)).toEqual(ALL);
    const open = result.findings.find((finding) => finding.rule === "EKS_PUBLIC_ENDPOINT")!;
    expect(formatFinding(open)).toContain(`the waiver "${OPEN_WAIVER.reason}" expired on 2026-06-14`);
  });

  it("a waiver applies through its expiry day", () => {
    expect(waiverExpired({ ...OPEN_WAIVER, expires: "2026-06-15" }, NOW)).toBe(false);
    expect(waiverExpired({ ...OPEN_WAIVER, expires: "2026-06-14" }, NOW)).toBe(true);
    expect(keys(evaluate([{ ...OPEN_WAIVER, expires: "2026-06-15" }]).findings)).toEqual(
      ALL.filter((key) => !key.startsWith("EKS_PUBLIC_ENDPOINT")),
    );
  });

  it("formats one line per finding with the fix and the waiver to add", () => {
    const open = evaluate([]).findings.find((finding) => finding.rule === "EKS_PUBLIC_ENDPOINT")!;
    expect(formatFinding(open)).toBe(
      "waived-foundation aws_eks_cluster.cluster: [EKS_PUBLIC_ENDPOINT] the public API endpoint is open to 0.0.0.0/0 " +
        "(fix: list specific CIDRs in cluster.endpoint.publicAccessCidrs, or leave it empty to keep the public endpoint off; " +
        "waive with policy.waivers: - rule: EKS_PUBLIC_ENDPOINT, resource: aws_eks_cluster.cluster, reason: ...)",
    );
  });
});

describe("waiver config", () => {
  const configWith = (rule: string) => ({
    environments: [{ ...openCluster("dev"), policy: { waivers: [{ rule, reason: "because the test says so" }] } }],
  });

  it("accepts a waiver for a rule of the pack", () => {
    expect(() => validateConfig(configWith("EKS_PUBLIC_ENDPOINT"))).not.toThrow();
  });

  it("rejects a waiver for an unknown rule, suggesting the closest one", () => {
    let error: unknown;
    try {
      validateConfig(configWith("EKS_PUBLIC_ENDPIONT"));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PlatformConfigError);
    expect((error as PlatformConfigError).issues).toEqual([
      expect.objectContaining({
        path: "environments[0].policy.waivers[0].rule",
        message: "unknown policy rule",
        value: "EKS_PUBLIC_ENDPIONT",
        fix: "did you mean EKS_PUBLIC_ENDPOINT?",
      }),
    ]);
  });
});

describe("at synth", () => {
  it("a violation fails the stack's validation with one line per finding", () => {
    expect(() => Testing.synth(unwaived.foundation!, true)).toThrow(
      /open-foundation aws_eks_cluster\.cluster: \[EKS_PUBLIC_ENDPOINT\] the public API endpoint is open to 0\.0\.0\.0\/0 \(fix: .*waive with policy\.waivers: - rule: EKS_PUBLIC_ENDPOINT, resource: aws_eks_cluster\.cluster, reason: \.\.\.\)/,
    );
  });

  it("a waived violation synthesizes, and the waiver is listed as in use", () => {
    const validated = Testing.synth(waived.foundation!, true);
    expect(validated).toEqual(Testing.synth(waived.foundation!));
    expect(policyEvaluationOf(waived.foundation!)?.waived.map((applied) => applied.waiver)).toEqual([OPEN_WAIVER]);
  });

  it("a violation leaves no output behind", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "policy-synth-")), "out");
    try {
      expect(() =>
        synthesizeAtomically(
          (app) => new Platform(app, { config: validateConfig({ environments: [openCluster("open")] }) }),
          outdir,
        ),
      ).toThrow(/\[EKS_PUBLIC_ENDPOINT\]/);
      expect(existsSync(outdir)).toBe(false);
    } finally {
      rmSync(join(outdir, ".."), { recursive: true, force: true });
    }
  });
});
