import { validateConfig } from "../../modules/plan";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Issue 23 item 4: `iam.permissionsBoundaryArn`, the organization's permissions boundary, is a customer managed
 * policy of the environment's account and of its region's partition; anything else is refused with the path,
 * the value and the fix. It may be given in `defaults`.
 */

const ACCOUNT = "111111111111";
const withBoundary = (arn: string, overrides: Record<string, unknown> = {}) =>
  minimalEnvironment({ ...overrides, iam: { permissionsBoundaryArn: arn } });
const issues = (...environments: Array<Record<string, unknown>>) => issuesOf(() => validateConfig({ environments }));

describe("iam.permissionsBoundaryArn", () => {
  it("accepts a policy of the environment's account, with a path, from the environment or from defaults", () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/org/boundaries/PlatformBoundary`;
    expect(validateConfig({ environments: [withBoundary(arn)] }).environments[0].iam.permissionsBoundaryArn).toBe(arn);
    const fromDefaults = validateConfig({
      defaults: { iam: { permissionsBoundaryArn: arn } },
      environments: [minimalEnvironment()],
    });
    expect(fromDefaults.environments[0].iam.permissionsBoundaryArn).toBe(arn);
    expect(validateConfig({ environments: [minimalEnvironment()] }).environments[0].iam.permissionsBoundaryArn).toBe(
      undefined,
    );
  });

  it.each([
    ["a role ARN", `arn:aws:iam::${ACCOUNT}:role/boundary`],
    ["an AWS managed policy", "arn:aws:iam::aws:policy/PowerUserAccess"],
    ["a policy name", "PlatformBoundary"],
    ["an SCP ARN", "arn:aws:organizations::111111111111:policy/o-a1b2c3d4e5/service_control_policy/p-a1b2c3d4"],
    ["an unknown partition", `arn:aws-iso:iam::${ACCOUNT}:policy/boundary`],
  ])("refuses %s: not a customer managed policy ARN", (_what, arn) => {
    const found = issues(withBoundary(arn));
    expect(found).toEqual([
      expect.objectContaining({
        path: "environments[0].iam.permissionsBoundaryArn",
        value: arn,
        message: expect.stringMatching(/customer managed IAM policy ARN .*:policy\/<path\/name>/),
      }),
    ]);
  });

  it("refuses a policy of another account, naming both accounts and the fix", () => {
    const arn = "arn:aws:iam::222222222222:policy/org-boundary";
    expect(issues(withBoundary(arn))).toEqual([
      {
        path: "environments[0].iam.permissionsBoundaryArn",
        message: expect.stringContaining(`account 222222222222, not the environment's account ${ACCOUNT}`),
        value: arn,
        allowed: `a policy ARN of account ${ACCOUNT}`,
        fix: expect.stringContaining(`account ${ACCOUNT}`),
      },
    ]);
  });

  it("refuses a policy of another partition than the region's", () => {
    const china = `arn:aws-cn:iam::${ACCOUNT}:policy/org-boundary`;
    expect(issues(withBoundary(china))).toEqual([
      expect.objectContaining({
        path: "environments[0].iam.permissionsBoundaryArn",
        message: "is in partition aws-cn, but region eu-west-1 is in partition aws",
        value: china,
        allowed: `arn:aws:iam::${ACCOUNT}:policy/<path/name>`,
      }),
    ]);
    const govCloud = withBoundary(`arn:aws:iam::${ACCOUNT}:policy/org-boundary`, { region: "us-gov-west-1" });
    expect(issues(govCloud).map((issue) => [issue.path, issue.message])).toContainEqual([
      "environments[0].iam.permissionsBoundaryArn",
      "is in partition aws, but region us-gov-west-1 is in partition aws-us-gov",
    ]);
  });

  it("refuses a default that fits one environment's account but not another's, at the default, naming that environment", () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/org-boundary`;
    const found = issuesOf(() =>
      validateConfig({
        defaults: { iam: { permissionsBoundaryArn: arn } },
        environments: [minimalEnvironment(), minimalEnvironment({ name: "prod", account: "222222222222" })],
      }),
    );
    expect(found.map((issue) => [issue.path, issue.message])).toEqual([
      [
        "defaults.iam.permissionsBoundaryArn",
        expect.stringMatching(/account 222222222222.*inherited by environments\[1\]/),
      ],
    ]);
  });

  it("refuses unknown keys in the iam section", () => {
    expect(issues(minimalEnvironment({ iam: { boundary: "x" } })).map((issue) => issue.path)).toEqual([
      expect.stringMatching(/^environments\[0\]\.iam/),
    ]);
  });
});
