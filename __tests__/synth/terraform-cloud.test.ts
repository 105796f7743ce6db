import { Testing } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { evaluatePolicy } from "../../modules/policy";
import { runRoleArn } from "../../modules/terraform-cloud/settings";
import { Platform } from "../../stacks/platform";
import { buildReport } from "../../tools/report/model";
import { renderMarkdown, renderText } from "../../tools/report/render";
import { referenceFromData, validateStacks } from "../../tools/validate";
import { minimalEnvironment as env } from "../helpers/config";
import { synthesizeAppOnce } from "../helpers/synth";
import { MANAGED_CLOUD, MANAGED_CLUSTER, managedEnvironment } from "../helpers/terraform-cloud-config";

/**
 * Terraform Cloud as code: two environments in two accounts manage their workspaces (dev: hosted runners, its run
 * roles build the platform; prod: agents, its run roles assume the environment's role), one does not. One app
 * synth; the terraform-cloud stack, the foundations' access entries and the report (config errors:
 * terraform-cloud-config.test.ts).
 */

type Json = Record<string, any>;
const LAYERS = ["foundation", "network", "storage", "operators"] as const;
const LATER = LAYERS.slice(1);

const environments = [
  managedEnvironment("dev"),
  managedEnvironment("prod", {
    account: "222222222222",
    region: "us-east-1",
    assumeRoleArn: "arn:aws:iam::222222222222:role/deploy",
    externalId: "ext-4711",
    backend: { ...MANAGED_CLOUD, executionMode: "agent", agentPoolId: "apool-AbCd1234" },
    cluster: { name: "prod-main", access: { terraformRoleArn: undefined } },
  }),
  env({ name: "lab", account: "333333333333" }),
];

const synthesized = synthesizeAppOnce((app) => new Platform(app, { config: validateConfig({ environments }) }));
const { stack } = synthesized;
const tfc = () => stack("terraform-cloud");
const resourceOf = (type: string, name: string): Json => {
  const body = tfc().resource?.[type]?.[name];
  if (!body) throw new Error(`terraform-cloud has no ${type}.${name}`);
  return body;
};

describe("the terraform-cloud stack", () => {
  it("exists once, and the managed environments' stacks are applied after it", () => {
    expect(synthesized.manifest.stacks["terraform-cloud"].dependencies).toEqual([]);
    for (const name of ["dev", "prod"])
      for (const layer of LAYERS)
        expect(synthesized.manifest.stacks[`${name}-${layer}`].dependencies).toContain("terraform-cloud");
    for (const layer of LAYERS)
      expect(synthesized.manifest.stacks[`lab-${layer}`].dependencies).not.toContain("terraform-cloud");
  });

  it("keeps its own state locally by default", () => {
    expect(tfc().terraform.backend).toEqual({ local: { path: "../../../terraform.terraform-cloud.tfstate" } });
  });

  it("passes the policy pack, and the validator skips its tfe resources instead of failing them", () => {
    expect(
      evaluatePolicy({
        stack: "terraform-cloud",
        json: tfc(),
        environment: validateConfig({ environments }).environments[0],
      }).findings,
    ).toEqual([]);
    const findings = validateStacks([{ name: "terraform-cloud", json: tfc() }], referenceFromData({}), {
      checks: ["provider-schema"],
    });
    expect(findings.filter((finding) => finding.severity === "error")).toEqual([]);
    expect(findings).toContainEqual(
      expect.objectContaining({ stack: "terraform-cloud", address: "provider.tfe", severity: "skipped" }),
    );
  });
});

describe("workspaces", () => {
  it.each(["dev", "prod"].flatMap((name) => LAYERS.map((layer) => [`${name}-${layer}`] as const)))(
    "%s has the workspace its cloud block names, in its project, tagged",
    (name) => {
      const block = stack(name).terraform.cloud;
      const workspace = resourceOf("tfe_workspace", name.replace("-", "_"));
      expect(workspace).toMatchObject({
        name: block.workspaces.name,
        organization: block.organization,
        project_id: "${data.tfe_project.acme_platform.id}",
        force_delete: false,
        provider: "tfe.app_terraform_io",
      });
      expect(block.workspaces.project).toBe("platform");
      expect(workspace.tag_names).toEqual([
        `environment:${name.split("-")[0]}`,
        `layer:${name.split("-")[1]}`,
        "managed-by:cdktf-eks-platform",
      ]);
    },
  );

  it("looks the project up by name, and leaves the unmanaged environment alone", () => {
    expect(tfc().data.tfe_project.acme_platform).toMatchObject({ name: "platform", organization: "acme" });
    expect(Object.keys(tfc().resource.tfe_workspace).sort()).toEqual(
      ["dev", "prod"].flatMap((name) => LAYERS.map((layer) => `${name}_${layer}`)).sort(),
    );
  });

  it("runs dev on hosted runners and prod on its agent pool", () => {
    for (const layer of LAYERS) {
      expect(resourceOf("tfe_workspace_settings", `dev_${layer}`)).toMatchObject({
        execution_mode: "remote",
        workspace_id: `\${tfe_workspace.dev_${layer}.id}`,
      });
      expect(resourceOf("tfe_workspace_settings", `dev_${layer}`).agent_pool_id).toBeUndefined();
      expect(resourceOf("tfe_workspace_settings", `prod_${layer}`)).toMatchObject({
        execution_mode: "agent",
        agent_pool_id: "apool-AbCd1234",
      });
    }
  });

  it.each(["dev", "prod"])("%s shares the foundation's state with its later layers only, nothing globally", (name) => {
    expect(resourceOf("tfe_workspace_settings", `${name}_foundation`)).toMatchObject({
      global_remote_state: false,
      remote_state_consumer_ids: LATER.map((layer) => `\${tfe_workspace.${name}_${layer}.id}`),
    });
    for (const layer of LATER)
      expect(resourceOf("tfe_workspace_settings", `${name}_${layer}`)).toMatchObject({
        global_remote_state: false,
        remote_state_consumer_ids: [],
      });
  });

  it.each(["dev", "prod"])("%s triggers its later layers' runs from the foundation", (name) => {
    const triggers = Object.entries<Json>(tfc().resource.tfe_run_trigger).filter(([address]) =>
      address.startsWith(`${name}_`),
    );
    const expected = LATER.map((layer) => [
      `${name}_${layer}_from_${name}_foundation`,
      `\${tfe_workspace.${name}_${layer}.id}`,
      `\${tfe_workspace.${name}_foundation.id}`,
    ]);
    expect(triggers.map(([address, body]) => [address, body.workspace_id, body.sourceable_id]).sort()).toEqual(
      expected.sort(),
    );
  });
});

describe("AWS dynamic credentials", () => {
  it("has one IAM OIDC provider per account, for the host name and audience aws.workload.identity", () => {
    expect(tfc().resource.aws_iam_openid_connect_provider).toEqual({
      oidc_app_terraform_io_111111111111: expect.objectContaining({
        url: "https://app.terraform.io",
        client_id_list: ["aws.workload.identity"],
        provider: "aws.account_111111111111",
      }),
      oidc_app_terraform_io_222222222222: expect.objectContaining({
        url: "https://app.terraform.io",
        client_id_list: ["aws.workload.identity"],
        provider: "aws.account_222222222222",
      }),
    });
  });

  it("locks each account's AWS provider to it, assuming the environment's role where it has one", () => {
    const [dev, prod] = tfc().provider.aws;
    expect(dev).toMatchObject({
      alias: "account_111111111111",
      allowed_account_ids: ["111111111111"],
      region: "eu-west-1",
    });
    expect(dev.assume_role).toBeUndefined();
    expect(prod).toMatchObject({
      alias: "account_222222222222",
      allowed_account_ids: ["222222222222"],
      assume_role: [
        {
          role_arn: "arn:aws:iam::222222222222:role/deploy",
          external_id: "ext-4711",
          session_name: "cdktf-terraform-cloud",
        },
      ],
    });
  });

  it("gives dev-foundation's apply role a trust for exactly that workspace's applies, and its plan role for its plans", () => {
    const trust = (subject: string) => ({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "TerraformCloudWorkspace",
          Effect: "Allow",
          Principal: { Federated: "${aws_iam_openid_connect_provider.oidc_app_terraform_io_111111111111.arn}" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "app.terraform.io:aud": "aws.workload.identity",
              "app.terraform.io:sub": `organization:acme:project:platform:workspace:eks-dev-foundation:run_phase:${subject}`,
            },
          },
        },
      ],
    });
    const apply = resourceOf("aws_iam_role", "dev_foundation");
    expect(apply).toMatchObject({
      name: "tfc-dev-foundation",
      path: "/terraform-cloud/",
      provider: "aws.account_111111111111",
    });
    expect(JSON.parse(apply.assume_role_policy)).toEqual(trust("apply"));
    const plan = resourceOf("aws_iam_role", "dev_foundation_plan");
    expect(plan).toMatchObject({ name: "tfc-dev-foundation-plan", path: "/terraform-cloud/" });
    expect(JSON.parse(plan.assume_role_policy)).toEqual(trust("plan"));
  });

  it.each(["dev", "prod"].flatMap((name) => LAYERS.map((layer) => [name, layer] as const)))(
    "%s %s: a plan role and an apply role, trusted by their own workspace and run phase only",
    (name, layer) => {
      const cluster = name === "prod" ? "prod-main" : "dev";
      for (const [address, role, phase] of [
        [`${name}_${layer}`, `tfc-${cluster}-${layer}`, "apply"],
        [`${name}_${layer}_plan`, `tfc-${cluster}-${layer}-plan`, "plan"],
      ]) {
        const body = resourceOf("aws_iam_role", address);
        expect(body.name).toBe(role);
        const statement = JSON.parse(body.assume_role_policy).Statement[0];
        expect(statement.Condition.StringEquals["app.terraform.io:sub"]).toBe(
          `organization:acme:project:platform:workspace:eks-${name}-${layer}:run_phase:${phase}`,
        );
        expect(statement.Condition.StringLike).toBeUndefined();
        expect(statement.Principal.Federated).toBe(
          `\${aws_iam_openid_connect_provider.oidc_app_terraform_io_${name === "prod" ? "222222222222" : "111111111111"}.arn}`,
        );
      }
    },
  );

  it.each(["dev", "prod"].flatMap((name) => LAYERS.map((layer) => [name, layer] as const)))(
    "%s %s: the workspace's plans use its plan role, its applies its apply role",
    (name, layer) => {
      const variables = tfc().resource.tfe_variable;
      const workspace = `\${tfe_workspace.${name}_${layer}.id}`;
      expect(variables[`${name}_${layer}_aws_provider_auth`]).toMatchObject({
        key: "TFC_AWS_PROVIDER_AUTH",
        value: "true",
        category: "env",
        workspace_id: workspace,
      });
      expect(variables[`${name}_${layer}_aws_plan_role_arn`]).toMatchObject({
        key: "TFC_AWS_PLAN_ROLE_ARN",
        value: `\${aws_iam_role.${name}_${layer}_plan.arn}`,
        category: "env",
        workspace_id: workspace,
      });
      expect(variables[`${name}_${layer}_aws_apply_role_arn`]).toMatchObject({
        key: "TFC_AWS_APPLY_ROLE_ARN",
        value: `\${aws_iam_role.${name}_${layer}.arn}`,
        category: "env",
        workspace_id: workspace,
      });
      // Both phases named: HCP Terraform needs no TFC_AWS_RUN_ROLE_ARN.
      expect(Object.values<Json>(variables).filter((variable) => variable.key === "TFC_AWS_RUN_ROLE_ARN")).toEqual([]);
    },
  );
});

describe("the run roles in the cluster", () => {
  it("dev-foundation's admin access entry is the foundation run role's computed ARN, and each later layer's run role has its own", () => {
    const foundation = stack("dev-foundation");
    expect(foundation.resource.aws_eks_access_entry.terraform.principal_arn).toBe(
      "arn:aws:iam::111111111111:role/terraform-cloud/tfc-dev-foundation",
    );
    expect(runRoleArn(validateConfig({ environments }).environments[0], "foundation")).toBe(
      "arn:aws:iam::111111111111:role/terraform-cloud/tfc-dev-foundation",
    );
    for (const layer of LATER) {
      expect(foundation.resource.aws_eks_access_entry[`terraform_${layer}`]).toMatchObject({
        principal_arn: `arn:aws:iam::111111111111:role/terraform-cloud/tfc-dev-${layer}`,
        type: "STANDARD",
      });
      expect(foundation.resource.aws_eks_access_policy_association[`terraform_${layer}`]).toMatchObject({
        policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        access_scope: { type: "cluster" },
      });
    }
    // Plans read what the Kubernetes and Helm providers manage, Helm's release Secrets included (AdminView has
    // them, View does not), and write nothing.
    for (const layer of LAYERS) {
      expect(foundation.resource.aws_eks_access_entry[`terraform_${layer}_plan`]).toMatchObject({
        principal_arn: `arn:aws:iam::111111111111:role/terraform-cloud/tfc-dev-${layer}-plan`,
        type: "STANDARD",
      });
      expect(foundation.resource.aws_eks_access_policy_association[`terraform_${layer}_plan`]).toMatchObject({
        policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
        access_scope: { type: "cluster" },
      });
    }
    // No plan-time lookup of the caller: the identity is known.
    expect(foundation.data?.aws_iam_session_context).toBeUndefined();
  });

  it("dev-foundation still passes ACCESS_FOR_PROVIDER_IDENTITY (and the rest of the pack)", () => {
    const environment = validateConfig({ environments }).environments[0];
    expect(evaluatePolicy({ stack: "dev-foundation", json: stack("dev-foundation"), environment }).findings).toEqual(
      [],
    );
  });

  it("naming the foundation's run role as terraformRoleArn changes nothing", () => {
    const named = managedEnvironment("dev", {
      cluster: {
        ...MANAGED_CLUSTER,
        access: { terraformRoleArn: "arn:aws:iam::111111111111:role/terraform-cloud/tfc-dev-foundation" },
      },
    });
    const app = Testing.app();
    const platform = new Platform(app, { config: validateConfig({ environments: [named] }) });
    const entries = JSON.parse(Testing.synth(platform.environments[0].foundation!)).resource.aws_eks_access_entry;
    expect(
      Object.keys(entries)
        .filter((name) => name.startsWith("terraform"))
        .sort(),
    ).toEqual(
      [
        "terraform",
        ...LATER.map((layer) => `terraform_${layer}`),
        ...LAYERS.map((layer) => `terraform_${layer}_plan`),
      ].sort(),
    );
  });

  it("prod keeps one entry, for the role every run assumes", () => {
    const entries = stack("prod-foundation").resource.aws_eks_access_entry;
    expect(entries.terraform.principal_arn).toBe("arn:aws:iam::222222222222:role/deploy");
    expect(Object.keys(entries).filter((name) => name.startsWith("terraform_"))).toEqual([]);
  });
});

describe("the report", () => {
  const report = () => buildReport(validateConfig({ environments }), { now: new Date("2026-01-15T00:00:00Z") });

  it("lists each managed environment's workspaces with execution, run role, triggers and state readers", () => {
    const [dev, prod, lab] = report().environments;
    expect(dev.workspaces[0]).toEqual({
      workspace: "eks-dev-foundation",
      stack: "dev-foundation",
      execution: "remote",
      runRole: "arn:aws:iam::111111111111:role/terraform-cloud/tfc-dev-foundation",
      triggeredBy: [],
      stateReadBy: ["eks-dev-network", "eks-dev-storage", "eks-dev-operators"],
    });
    expect(dev.workspaces.slice(1).map((row) => [row.workspace, row.triggeredBy, row.stateReadBy])).toEqual(
      LATER.map((layer) => [`eks-dev-${layer}`, ["eks-dev-foundation"], []]),
    );
    expect(prod.workspaces.map((row) => row.execution)).toEqual(LAYERS.map(() => "agent (apool-AbCd1234)"));
    expect(lab.workspaces).toEqual([]);
  });

  it("renders them in text and Markdown", () => {
    expect(renderText(report())).toContain("Terraform Cloud workspaces (terraform-cloud stack):");
    expect(renderMarkdown(report())).toMatch(
      /### Terraform Cloud workspaces[\s\S]*\| `eks-prod-network` \| `prod-network` \| agent \(apool-AbCd1234\) \| arn:aws:iam::222222222222:role\/terraform-cloud\/tfc-prod-main-network \| eks-prod-foundation \| - \|/,
    );
  });
});
