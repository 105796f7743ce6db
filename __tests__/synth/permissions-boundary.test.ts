import { join } from "node:path";
import { Testing } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Platform, defineConfig, type EnvironmentEntryInput } from "../../index";
import { loadConfigFile } from "../../modules/plan";
import { minimalEnvironment as env, readSynthesizedApp } from "../helpers/config";
import { fixtureStacks, type FixtureConfig } from "../helpers/fixtures";

/**
 * Issue 23 item 4: the organization's permissions boundary (`iam.permissionsBoundaryArn`) on every role the
 * platform creates. The roles are read from the synthesized stacks (every `aws_iam_role` of every stack), never
 * listed by hand; the environment a role belongs to is its stack's, or, in the terraform-cloud stack, the one
 * of its AWS provider's account.
 */

type Json = Record<string, any>;

const ROOT = join(__dirname, "..", "..");
const configured = (name: FixtureConfig) =>
  loadConfigFile(join(ROOT, "config", `${name}.yaml`)).environments.map((environment) => ({
    name: environment.name,
    account: environment.account,
    boundary: environment.iam.permissionsBoundaryArn,
  }));

interface RoleOf {
  readonly stack: string;
  readonly address: string;
  readonly body: Json;
}

function rolesOf(stacks: Map<string, Json>): RoleOf[] {
  return [...stacks].flatMap(([stack, json]) =>
    Object.entries<Json>(json.resource?.aws_iam_role ?? {}).map(([name, body]) => ({
      stack,
      address: `aws_iam_role.${name}`,
      body,
    })),
  );
}

/** The environment whose roles a stack's role is: `<env>-...`, or by the account of a terraform-cloud provider alias. */
function environmentOf(role: RoleOf, environments: ReturnType<typeof configured>) {
  if (role.stack !== "terraform-cloud") return environments.find((e) => role.stack.startsWith(`${e.name}-`));
  const account = /^aws\.account_(\d{12})$/.exec(role.body.provider ?? "")?.[1];
  const matching = environments.filter((e) => e.account === account);
  if (matching.length !== 1) throw new Error(`${role.address}: ${matching.length} environments in account ${account}`);
  return matching[0];
}

describe("config/all-options.yaml: every environment configures its organization's boundary", () => {
  const environments = configured("all-options");
  const stacks = fixtureStacks("all-options");
  const roles = rolesOf(stacks);

  it("configures one per environment, each of its own account", () => {
    expect(environments.length).toBeGreaterThan(1);
    for (const environment of environments)
      expect(environment.boundary).toMatch(new RegExp(`^arn:aws:iam::${environment.account}:policy/`));
  });

  it("sets it on EVERY aws_iam_role of every stack, the terraform-cloud stack's run roles included", () => {
    expect(new Set(roles.map((role) => role.stack))).toEqual(
      new Set([...stacks].filter(([, json]) => json.resource?.aws_iam_role).map(([name]) => name)),
    );
    expect(roles.some((role) => role.stack === "terraform-cloud")).toBe(true);
    const wrong = roles
      .map((role) => [
        role.stack,
        role.address,
        role.body.permissions_boundary,
        environmentOf(role, environments)?.boundary,
      ])
      .filter(([, , actual, expected]) => expected === undefined || actual !== expected);
    expect(wrong).toEqual([]);
  });

  it("leaves the service-linked roles without one (IAM refuses a boundary there)", () => {
    const linked = [...stacks.values()].flatMap((json) =>
      Object.values<Json>(json.resource?.aws_iam_service_linked_role ?? {}),
    );
    expect(linked.length).toBeGreaterThan(0);
    for (const role of linked) expect(role.permissions_boundary).toBeUndefined();
  });

  it("replaces the platform's run boundary: the run policy and each layer's IAM grant pin the organization's", () => {
    const tfc = stacks.get("terraform-cloud")!;
    const prod = environments.find((environment) => environment.name === "prod")!;
    const policies = tfc.resource.aws_iam_policy as Record<string, Json>;
    expect(Object.keys(policies).filter((address) => address.endsWith("_boundary"))).toEqual([]);
    const statements = (address: string): Json[] => JSON.parse(policies[address].policy).Statement;
    const byId = Object.fromEntries(statements("prod_run").map((statement) => [statement.Sid, statement]));
    expect(byId.NoRoleWithoutTheBoundary.Condition).toEqual({
      StringNotEquals: { "iam:PermissionsBoundary": prod.boundary },
    });
    expect(byId.KeepBoundaries).toMatchObject({ Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary" });
    expect(byId.ProtectTerraformCloudIdentities.Resource).toContain(prod.boundary);
    const layerGrants = Object.keys(policies).filter((address) => /^prod_\w+_iam$/.test(address));
    expect(layerGrants.length).toBeGreaterThan(0);
    for (const address of layerGrants) {
      const carry = statements(address).find((statement) => statement.Sid === "LayerRolesCarryTheBoundary");
      expect([address, carry?.Condition.StringEquals]).toEqual([address, { "iam:PermissionsBoundary": prod.boundary }]);
    }
  });
});

describe("config/example.yaml: no boundary configured", () => {
  it("configures none, and no role carries one", () => {
    expect(configured("example").map((environment) => environment.boundary)).toEqual([undefined]);
    const roles = rolesOf(fixtureStacks("example"));
    expect(roles.length).toBeGreaterThan(5);
    expect(roles.filter((role) => role.body.permissions_boundary !== undefined)).toEqual([]);
  });
});

describe("team stacks", () => {
  const ORGANIZATION = "arn:aws:iam::111111111111:policy/org/permissions-boundary";
  const foundationOnly = { layers: { network: false, storage: false, operators: false } };
  const environments = [
    env({ name: "dev", iam: { permissionsBoundaryArn: ORGANIZATION }, ...foundationOnly }),
    // Terraform Cloud runs build prod's layers (the platform's boundary there); no organization boundary.
    env({
      name: "prod",
      account: "222222222222",
      backend: { type: "cloud", organization: "acme", workspacePrefix: "eks-", manageWorkspaces: true },
      cluster: { endpoint: { publicAccessCidrs: ["203.0.113.0/24"] }, access: { terraformRoleArn: undefined } },
      ...foundationOnly,
    }),
  ] as ReadonlyArray<EnvironmentEntryInput>;
  let stacks: Map<string, Json>;

  beforeAll(() => {
    const app = Testing.app();
    const platform = new Platform(app, { config: defineConfig({ environments }), environments: ["dev", "prod"] });
    for (const environment of platform.environments)
      environment.addStack("jobs", (stack) => {
        new IamRole(stack, "worker", {
          name: `${stack.environment.name}-jobs-worker`,
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
          }),
        });
      });
    app.synth();
    ({ stacks } = readSynthesizedApp(app.outdir));
  }, 120_000);

  const boundaryOf = (stack: string) =>
    Object.values<Json>(stacks.get(stack)?.resource?.aws_iam_role ?? {}).map((role) => role.permissions_boundary);

  it("a team's own role carries the organization's boundary", () => {
    expect(boundaryOf("dev-team-jobs")).toEqual([ORGANIZATION]);
  });

  it("without one, a team's role gets none, while the platform's layers carry the platform's own run boundary", () => {
    expect(boundaryOf("prod-team-jobs")).toEqual([undefined]);
    const layer = boundaryOf("prod-foundation");
    expect(layer.length).toBeGreaterThan(2);
    expect(new Set(layer)).toEqual(new Set(["arn:aws:iam::222222222222:policy/terraform-cloud/tfc-prod-boundary"]));
  });
});
