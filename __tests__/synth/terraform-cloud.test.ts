import { Testing } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { evaluatePolicy } from "../../modules/policy";
import { runRoleArn } from "../../modules/terraform-cloud/settings";
import { Platform } from "../../stacks/platform";
import { buildReport } from "../../tools/report/model";
import { renderMarkdown, renderText } from "../../tools/report/render";
import { referenceFromData, validateStacks } from "../../tools/validate";
import { LAYERS, LATER, resourceOf, synthesized, tfc } from "../helpers/terraform-cloud-app";
import { MANAGED_CLUSTER, managedEnvironment, terraformCloudEnvironments } from "../helpers/terraform-cloud-config";

/**
 * Terraform Cloud as code: two environments in two accounts manage their workspaces (dev: hosted runners, its run
 * roles build the platform; prod: agents, its run roles assume the environment's role), one does not. One app
 * synth (the `terraform-cloud-managed` fixture); the terraform-cloud stack, its workspaces, the foundations' access
 * entries and the report. The AWS dynamic credentials: terraform-cloud-credentials.test.ts; config errors:
 * terraform-cloud-config.test.ts.
 */

type Json = Record<string, any>;

const environments = terraformCloudEnvironments();
const { stack } = synthesized;

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
