import { Testing } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { Platform } from "../../stacks/platform";
import { issuesOf, minimalEnvironment as env } from "../helpers/config";
import { MANAGED_CLOUD, managedEnvironment } from "../helpers/terraform-cloud-config";

/**
 * Terraform Cloud as code, the config side: every inconsistent combination of the cloud backend's workspace
 * settings is a config error with its path and fix, and the terraform-cloud stack's own backend.
 */

type Json = Record<string, any>;

describe("config errors", () => {
  const withBackend = (backend: Json, extra: Json = {}) => [
    managedEnvironment("dev", { backend: { ...MANAGED_CLOUD, ...backend }, ...extra }),
  ];
  const issues = (config: Json) =>
    issuesOf(() => validateConfig(config)).map((issue) => ({
      path: issue.path,
      message: issue.message,
      fix: issue.fix,
    }));

  it("agent without a pool, a pool without agent, and a malformed pool id", () => {
    expect(issues({ environments: withBackend({ executionMode: "agent" }) })).toContainEqual(
      expect.objectContaining({
        path: "environments[0].backend.agentPoolId",
        message: expect.stringContaining("required with executionMode: agent"),
      }),
    );
    expect(issues({ environments: withBackend({ agentPoolId: "apool-AbCd1234" }) })).toContainEqual(
      expect.objectContaining({
        path: "environments[0].backend.agentPoolId",
        message: "only applies with executionMode: agent",
      }),
    );
    expect(issues({ environments: withBackend({ executionMode: "agent", agentPoolId: "pool-1" }) })).toContainEqual(
      expect.objectContaining({
        path: "environments[0].backend.agentPoolId",
        message: expect.stringContaining("apool-"),
      }),
    );
  });

  it("settings without manageWorkspaces, unknown keys and unknown values", () => {
    expect(
      issues({
        environments: withBackend(
          { manageWorkspaces: false, executionMode: "agent", awsAuth: "none" },
          { assumeRoleArn: "arn:aws:iam::111111111111:role/deployer" },
        ),
      }).map((issue) => issue.path),
    ).toEqual(["environments[0].backend.executionMode", "environments[0].backend.awsAuth"]);
    expect(issues({ environments: withBackend({ manageWorkspace: true }) })).toContainEqual(
      expect.objectContaining({ path: "environments[0].backend.manageWorkspace" }),
    );
    expect(issues({ environments: withBackend({ executionMode: "local" }) })).toContainEqual(
      expect.objectContaining({ path: "environments[0].backend.executionMode" }),
    );
    expect(issues({ environments: withBackend({ awsAuth: "static" }) })).toContainEqual(
      expect.objectContaining({ path: "environments[0].backend.awsAuth" }),
    );
  });

  it("a private-only endpoint with hosted runners, naming agents or public CIDRs with their waiver", () => {
    const found = issues({ environments: withBackend({}, { cluster: { access: { terraformRoleArn: undefined } } }) });
    expect(found).toEqual([
      expect.objectContaining({
        path: "environments[0].backend.executionMode",
        message: expect.stringContaining("private-only cluster endpoint"),
      }),
    ]);
    expect(found[0].fix).toEqual(expect.stringContaining("executionMode: agent with backend.agentPoolId"));
    expect(found[0].fix).toEqual(expect.stringContaining("publicAccessCidrs"));
    expect(found[0].fix).toEqual(expect.stringContaining("EKS_PUBLIC_ENDPOINT"));
    expect(() =>
      validateConfig({
        environments: withBackend(
          { executionMode: "agent", agentPoolId: "apool-AbCd1234" },
          { cluster: { access: { terraformRoleArn: undefined } } },
        ),
      }),
    ).not.toThrow();
  });

  it("a Terraform role the runs would not be, and a principal that is a run role", () => {
    expect(
      issues({ environments: withBackend({}, { cluster: { endpoint: { publicAccessCidrs: ["203.0.113.0/24"] } } }) }),
    ).toEqual([expect.objectContaining({ path: "environments[0].cluster.access.terraformRoleArn" })]);
    expect(() =>
      validateConfig({
        environments: withBackend(
          { awsAuth: "none" },
          { cluster: { endpoint: { publicAccessCidrs: ["203.0.113.0/24"] } } },
        ),
      }),
    ).not.toThrow();
    const principal = { arn: "arn:aws:iam::111111111111:role/terraform-cloud/tfc-dev-network", level: "view" };
    expect(
      issues({
        environments: withBackend(
          {},
          {
            cluster: {
              endpoint: { publicAccessCidrs: ["203.0.113.0/24"] },
              access: { terraformRoleArn: undefined, principals: [principal] },
            },
          },
        ),
      }),
    ).toEqual([
      expect.objectContaining({
        path: "environments[0].cluster.access.principals[0].arn",
        message: expect.stringContaining("network workspace's run role"),
      }),
    ]);
  });

  it("two environments claiming one workspace", () => {
    const config = {
      environments: [
        ...withBackend({ workspacePrefix: "eks-" }),
        ...withBackend({ workspacePrefix: "" }, { name: "eks-dev", account: "444444444444" }),
      ],
    };
    expect(issues(config)).toContainEqual(
      expect.objectContaining({
        path: "environments[1].backend.workspacePrefix",
        message: expect.stringContaining("eks-dev-foundation"),
      }),
    );
  });

  it("the terraform-cloud stack's own backend", () => {
    expect(issues({ environments: [env()], terraformCloud: {} })).toEqual([
      expect.objectContaining({ path: "terraformCloud" }),
    ]);
    expect(
      issues({ environments: withBackend({}), terraformCloud: { backend: { type: "s3", bucket: "acme-tf-state" } } }),
    ).toEqual([expect.objectContaining({ path: "terraformCloud.backend.region" })]);
    expect(
      issues({
        environments: withBackend({}),
        terraformCloud: { backend: { type: "cloud", organization: "acme", manageWorkspaces: true } },
      }),
    ).toEqual([expect.objectContaining({ path: "terraformCloud.backend.manageWorkspaces" })]);
    expect(issues({ environments: withBackend({}), terraformCloud: { bakend: {} } })).toContainEqual(
      expect.objectContaining({ path: "terraformCloud.bakend" }),
    );
  });

  it("an S3 backend for the stack keys its state by the stack's name", () => {
    const app = Testing.app();
    const platform = new Platform(app, {
      config: validateConfig({
        environments: withBackend({}),
        terraformCloud: {
          backend: { type: "s3", bucket: "acme-tf-state", region: "eu-west-1", keyPrefix: "platform" },
        },
      }),
    });
    const json = JSON.parse(Testing.synth(platform.terraformCloud!));
    expect(json.terraform.backend.s3).toMatchObject({
      bucket: "acme-tf-state",
      key: "platform/terraform-cloud.tfstate",
      region: "eu-west-1",
      encrypt: true,
      use_lockfile: true,
    });
  });
});
