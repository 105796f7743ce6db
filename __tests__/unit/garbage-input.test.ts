import { formatIssue } from "../../modules/errors";
import { validateConfig } from "../../modules/plan";
import { issuesOf, minimalEnvironment } from "../helpers/config";
import { ROLE, type Case } from "../helpers/garbage-cases/case";
import { GARBAGE_NAME_CASES } from "../helpers/garbage-cases/names";
import { GARBAGE_TEXT_CASES } from "../helpers/garbage-cases/text";

/**
 * Issue 24 item 9: input that used to be accepted as garbage, and failed at apply or never: invisible Unicode
 * (zero-width, bidi overrides, line separators, byte-order marks) in tags, labels and waiver reasons; an
 * `externalId` or `sessionName` STS refuses; names Terraform Cloud or Kubernetes refuse; 100 KB strings in any
 * free-text field. Each is refused at its exact config path, with a message saying what is allowed.
 */

const CASES: ReadonlyArray<Case> = [...GARBAGE_TEXT_CASES, ...GARBAGE_NAME_CASES];

describe("garbage is refused at its path, saying what is allowed", () => {
  it("covers at least the 27 kinds of garbage of the issue", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(27);
  });

  it.each(CASES)("%s", (_what, overrides, path, value, says) => {
    const issues = issuesOf(() => validateConfig({ environments: [minimalEnvironment(overrides)] }));
    const found = issues.filter((issue) => issue.path === `environments[0].${path}`);
    expect(found).toEqual([expect.objectContaining({ message: expect.stringMatching(says), value })]);
  });

  it("shows invisible characters in paths and values as escapes, so the reader sees where they are", () => {
    const [issue] = issuesOf(() =>
      validateConfig({ environments: [minimalEnvironment({ tags: { team: "plat\u200bform" } })] }),
    );
    expect(formatIssue(issue)).toContain('got "plat\\u200bform"');
    const [keyIssue] = issuesOf(() =>
      validateConfig({ environments: [minimalEnvironment({ tags: { "te\u202eam": "x" } })] }),
    );
    expect(formatIssue(keyIssue)).toMatch(/^environments\[0\]\.tags\["te\\u202eam"\]: /);
  });

  it("still accepts what the services accept", () => {
    expect(() =>
      validateConfig({
        environments: [
          minimalEnvironment({
            assumeRoleArn: ROLE,
            externalId: "a+b=c,d.e@f:g/h-i_j",
            sessionName: "ci+run=1,x.y@z-w_v",
            tags: { "cost-center": "1234 / shared: yes", Ünïcode: "Zürich – ★" },
            backend: {
              type: "cloud",
              organization: "Acme_Corp-1",
              project: "Platform Team_2",
              workspacePrefix: "eks-",
            },
            cluster: {
              access: {
                principals: [{ arn: "arn:aws:iam::111111111111:role/ops", level: "view", namespaces: ["1-team"] }],
              },
            },
            karpenter: {
              nodePools: [
                {
                  name: "gpu",
                  taints: [{ key: "nvidia.com/gpu", value: "", effect: "NoSchedule" }],
                  labels: { "example.com/team.name": "Team_1.a-b", plain: "" },
                },
              ],
            },
          }),
        ],
      }),
    ).not.toThrow();
  });
});
