import { join } from "node:path";
import { PlatformConfigError } from "../../modules/errors";
import { describeAppFailure, runPlatformApp } from "../../modules/app-runner";
import { loadConfigFile } from "../../modules/plan";
import { evaluatePolicy } from "../../modules/policy";
import { podIdentityTrustFor } from "../../modules/iam/trust";
import { policyJson } from "../../modules/iam/policy";
import { fixtureStacks } from "../helpers/fixtures";

/**
 * Issue 22 item 7: the policy pack speaks to team code. A trust written through a data source cannot be read, so
 * it gets one finding that says so and how to write it (not a false "does not trust" finding); the helpers the
 * messages name build trusts the pack accepts; an app built on the package prints a failure once, without a
 * stack trace.
 */

const ROOT = join(__dirname, "..", "..");
const environment = loadConfigFile(join(ROOT, "config", "example.yaml")).environments[0];
const findings = (json: Record<string, any>) =>
  evaluatePolicy({ stack: "dev-operators", json, environment, now: new Date("2026-12-01T00:00:00Z") }).findings;

describe("a team's IAM through the pack", () => {
  const operators = () => structuredClone(fixtureStacks("example").get("dev-operators")!);

  it("a trust from a data source: one finding saying it cannot be checked and how to write it", () => {
    const json = operators();
    json.resource.aws_iam_role.external_secrets.assume_role_policy = "${data.aws_iam_policy_document.trust.json}";
    expect(findings(json).map((finding) => [finding.rule, finding.address, finding.problem])).toEqual([
      [
        "IAM_POLICY_LITERAL_JSON",
        "aws_iam_role.external_secrets",
        expect.stringMatching(/trust policy is not literal JSON, so it cannot be checked: write it as JSON/),
      ],
    ]);
  });

  it("podIdentityTrustFor and policyJson (exported) write a trust the pack accepts", () => {
    const json = operators();
    json.resource.aws_iam_role.external_secrets.assume_role_policy = policyJson(
      podIdentityTrustFor({ account: "111111111111", region: "eu-west-1", clusterName: "dev" }),
    );
    expect(findings(json)).toEqual([]);
  });
});

describe("runPlatformApp: what an app built on the package prints", () => {
  const captured = () => {
    let text = "";
    return { stderr: { write: (chunk: string) => (text += chunk) }, text: () => text };
  };
  afterEach(() => void (process.exitCode = undefined));

  it("a config problem: one line per issue with its path and fix, exit code 1, no stack trace", () => {
    const out = captured();
    const code = runPlatformApp(
      () => {
        throw new PlatformConfigError([{ path: "environments[0].account", message: "must be 12 digits", fix: "x" }]);
      },
      { outdir: join(ROOT, "cdktf.out.never"), configName: "team.yaml", stderr: out.stderr },
    );
    expect(code).toBe(1);
    expect(process.exitCode).toBe(1);
    expect(out.text()).toBe(
      "1 problem in team.yaml:\n  environments[0].account: must be 12 digits (fix: x)\nNothing was synthesized.\n",
    );
  });

  it("anything else: the message once, and whether the output was replaced", () => {
    const text = describeAppFailure(new Error("Validation failed with the following errors:\n  [x] finding"), "t");
    expect(text).toBe(
      "synth failed: Validation failed with the following errors:\n  [x] finding\nNothing was synthesized.\n",
    );
    expect(text).not.toMatch(/^\s+at /m);
  });
});
