import { validateConfig } from "../../modules/plan";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Issue 25 fix 2: the identity Terraform's Kubernetes and Helm providers call the cluster as gets the cluster-admin
 * access entry, so it must be one fixed role. Read from whoever runs Terraform, it changed with the operator (a
 * second operator's plan replaced the entry and every Helm refresh got 401) and could equal a configured principal
 * (EKS refuses two entries for one principal: 409).
 */

const withoutRole = (overrides: Record<string, unknown> = {}) =>
  minimalEnvironment({ cluster: { access: undefined }, ...overrides });

describe("the providers' cluster identity is a fixed role", () => {
  it("refuses a config that names no role (no terraformRoleArn, no assumeRoleArn, no dynamic credentials)", () => {
    expect(issuesOf(() => validateConfig({ environments: [withoutRole()] }))).toEqual([
      expect.objectContaining({
        path: "environments[0].cluster.access.terraformRoleArn",
        message: expect.stringContaining("whoever runs Terraform"),
        fix: expect.stringContaining("terraformRoleArn"),
      }),
    ]);
  });

  it("accepts assumeRoleArn, terraformRoleArn, or a foundation-less environment", () => {
    expect(() =>
      validateConfig({ environments: [withoutRole({ assumeRoleArn: "arn:aws:iam::111111111111:role/deployer" })] }),
    ).not.toThrow();
    expect(() => validateConfig({ environments: [minimalEnvironment()] })).not.toThrow();
    expect(() =>
      validateConfig({
        environments: [
          withoutRole({ layers: { foundation: false, network: false, storage: false, operators: false } }),
        ],
      }),
    ).not.toThrow();
  });

  it("refuses the role as a configured principal too (one access entry per principal)", () => {
    const role = "arn:aws:iam::111111111111:role/platform-terraform";
    const found = issuesOf(() =>
      validateConfig({
        environments: [
          minimalEnvironment({
            cluster: { access: { terraformRoleArn: role, principals: [{ arn: role, level: "view" }] } },
          }),
        ],
      }),
    );
    expect(found).toEqual([expect.objectContaining({ path: "environments[0].cluster.access.principals[0].arn" })]);
  });
});
