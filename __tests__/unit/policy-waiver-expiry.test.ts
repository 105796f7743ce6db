import { validateConfig } from "../../modules/plan";
import type { EnvironmentConfig } from "../../modules/config/schema";
import type { AddonPlan } from "../../modules/engine/resolve";
import { evaluatePolicy, waiverDaysLeft, waiverExpired } from "../../modules/policy/engine";
import { policyRule } from "../../modules/policy/registry";
import { environmentWarnings } from "../../tools/report/warnings";

/**
 * Waiver expiry has one definition (modules/policy/engine.ts): a waiver applies through the end of its `expires`
 * day, UTC, as docs/policy.md promises. Synth (the policy pack) and the report must agree on the boundary day.
 */

const WAIVER = {
  rule: "KMS_ROTATION",
  resource: "aws_kms_key.key",
  reason: "rotation is handled by the key owner's process",
  expires: "2026-06-15",
};

const environment: EnvironmentConfig = validateConfig({
  environments: [
    {
      name: "dev",
      account: "111111111111",
      region: "eu-west-1",
      vpc: {
        id: "vpc-0a1b2c3d4e5f60718",
        privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        publicSubnetIds: [],
      },
      dns: { domain: "dev.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" },
      cluster: { access: { terraformRoleArn: "arn:aws:iam::111111111111:role/platform-terraform" } },
      policy: { waivers: [WAIVER] },
    },
  ],
}).environments[0];

/** One violation of the waived rule, on the waived resource. */
const STACK = { resource: { aws_kms_key: { key: { enable_key_rotation: false } } } };

const waivedBySynth = (now: Date) => {
  const evaluation = evaluatePolicy({
    stack: "dev-foundation",
    json: STACK,
    environment,
    now,
    rules: [policyRule("KMS_ROTATION")!],
  });
  return evaluation.findings.length === 0 && evaluation.waived.length === 1;
};

const NO_ADDONS: AddonPlan = { addons: [], warnings: [], issues: [] };
const reportLine = (now: Date) =>
  environmentWarnings(environment, NO_ADDONS, { now }).find((warning) => warning.topic === "waiver")?.message ?? "";

describe("waiver expiry", () => {
  it.each([
    ["the day before, late", "2026-06-14T23:59:59.999Z", 1, false],
    ["the expiry day, first instant", "2026-06-15T00:00:00.000Z", 0, false],
    ["the expiry day, last instant", "2026-06-15T23:59:59.999Z", 0, false],
    ["the day after, first instant", "2026-06-16T00:00:00.000Z", -1, true],
  ])("%s (%s): %d day(s) left, expired %s", (_, at, days, expired) => {
    const now = new Date(at);
    expect(waiverDaysLeft(WAIVER, now)).toBe(days);
    expect(waiverExpired(WAIVER, now)).toBe(expired);
    expect(waivedBySynth(now)).toBe(!expired);
  });

  it("the report agrees with synth on the boundary day", () => {
    expect(reportLine(new Date("2026-06-14T12:00:00Z"))).toContain("expires in 1 day (2026-06-15)");
    expect(reportLine(new Date("2026-06-15T23:59:59Z"))).toContain("expires today (2026-06-15");
    expect(reportLine(new Date("2026-06-16T00:00:00Z"))).toContain("expired on 2026-06-15 and no longer applies");
  });

  it("a waiver without an end date never expires; an impossible date has expired", () => {
    expect(waiverDaysLeft({ expires: undefined }, new Date("2099-01-01T00:00:00Z"))).toBeUndefined();
    expect(waiverExpired({ expires: undefined }, new Date("2099-01-01T00:00:00Z"))).toBe(false);
    expect(waiverExpired({ expires: "2026-02-30" }, new Date("2026-01-01T00:00:00Z"))).toBe(true);
  });
});
