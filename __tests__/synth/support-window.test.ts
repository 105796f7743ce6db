import { Testing } from "cdktf";
import { buildReport } from "../../tools/report/model";
import { evaluatePolicy, Platform, validateConfig } from "../../index";
import { minimalEnvironment } from "../helpers/config";

/**
 * The EKS support window: EXTENDED by default (the AWS default); STANDARD is refused by the policy pack from 30
 * days before its version's end of standard support, because EKS then upgrades the cluster by itself and the
 * next plan tries a downgrade. The report says so too. Dates are fixed: the rule reads "today" from its input.
 */

type Json = Record<string, any>;
const config = validateConfig({
  environments: [
    minimalEnvironment({ name: "ext", cluster: { kubernetesVersion: "1.34" } }),
    minimalEnvironment({
      name: "std",
      account: "222222222222",
      cluster: { kubernetesVersion: "1.34", supportType: "STANDARD" },
    }),
  ],
});
let foundation: Record<string, Json>;

beforeAll(() => {
  const platform = new Platform(Testing.app(), { config });
  foundation = Object.fromEntries(
    platform.environments.map((environment) => [
      environment.environment.name,
      JSON.parse(Testing.synth(environment.foundation!)),
    ]),
  );
});

const findings = (name: string, now: string) =>
  evaluatePolicy({
    stack: `${name}-foundation`,
    json: foundation[name],
    environment: config.environments.find((environment) => environment.name === name)!,
    now: new Date(now),
  }).findings.filter((finding) => finding.rule === "EKS_SUPPORT_WINDOW");

it("defaults to EXTENDED support, written on the cluster", () => {
  expect(foundation.ext.resource.aws_eks_cluster.cluster.upgrade_policy).toEqual({ support_type: "EXTENDED" });
  expect(foundation.std.resource.aws_eks_cluster.cluster.upgrade_policy).toEqual({ support_type: "STANDARD" });
});

it.each([
  ["2026-10-01", 0],
  ["2026-11-01", 0],
  ["2026-11-02", 1],
  ["2026-12-01", 1],
  ["2027-01-15", 1],
])("STANDARD on 1.34 (standard support ends 2026-12-02) on %s: %i finding(s)", (now, count) => {
  expect(findings("std", now)).toHaveLength(count);
  expect(findings("ext", now)).toHaveLength(0);
});

it("says why, with the date and the days left", () => {
  expect(findings("std", "2026-12-01")[0]).toMatchObject({
    address: "aws_eks_cluster.cluster",
    problem: expect.stringContaining("ends on 2026-12-02 (in 1 day)"),
  });
});

it("is a warning in the report", () => {
  const report = buildReport(config, { now: new Date("2026-12-01T12:00:00Z") });
  const std = report.environments.find((environment) => environment.name === "std")!;
  expect(std.warnings).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        severity: "warning",
        subject: "supportType STANDARD",
        message: expect.stringContaining("EKS_SUPPORT_WINDOW"),
      }),
    ]),
  );
  expect(
    report.environments
      .find((environment) => environment.name === "ext")!
      .warnings.some((warning) => warning.subject === "supportType STANDARD"),
  ).toBe(false);
});
