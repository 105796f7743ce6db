import { validateConfig } from "../../modules/plan";
import { buildReport } from "../../tools/report/model";
import { renderMarkdown, renderText } from "../../tools/report/render";
import { minimalEnvironment } from "../helpers/config";

/** The report lists the permissions boundary each environment's roles carry (issue 23 item 4). */

const ORGANIZATION = "arn:aws:iam::111111111111:policy/org/permissions-boundary";
const cloud = { type: "cloud", organization: "acme", workspacePrefix: "eks-", manageWorkspaces: true };
const report = buildReport(
  validateConfig({
    environments: [
      minimalEnvironment({ name: "dev", iam: { permissionsBoundaryArn: ORGANIZATION } }),
      minimalEnvironment({
        name: "prod",
        account: "222222222222",
        backend: cloud,
        cluster: { endpoint: { publicAccessCidrs: ["203.0.113.0/24"] }, access: { terraformRoleArn: undefined } },
      }),
      minimalEnvironment({ name: "lab", account: "333333333333" }),
    ],
  }),
  { now: new Date("2026-11-20T00:00:00Z") },
);
const byName = (name: string) => report.environments.find((environment) => environment.name === name)!;

describe("the report's permissions boundary", () => {
  it("names the organization's, the platform's own where Terraform Cloud runs build the platform, or none", () => {
    expect(byName("dev").permissionsBoundary).toMatch(new RegExp(`^${ORGANIZATION} \\(the organization's: every role`));
    expect(byName("prod").permissionsBoundary).toMatch(
      /^arn:aws:iam::222222222222:policy\/terraform-cloud\/tfc-prod-boundary \(the platform's own/,
    );
    expect(byName("lab").permissionsBoundary).toBe("none (iam.permissionsBoundaryArn not set)");
  });

  it("is in the text and the Markdown rendering", () => {
    expect(renderText(report)).toContain(`   permissions boundary: ${byName("dev").permissionsBoundary}`);
    expect(renderMarkdown(report)).toContain(`Permissions boundary: ${byName("prod").permissionsBoundary}`);
  });
});
