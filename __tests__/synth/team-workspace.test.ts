import { Testing } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { PlatformConfigError } from "../../modules/errors";
import { validateConfig } from "../../modules/plan";
import { evaluatePolicy } from "../../modules/policy";
import { referenceFromData, validateStacks } from "../../tools/validate";
import { Platform } from "../../stacks/platform";
import type { TeamStackOptions } from "../../stacks/team-stack";
import { minimalEnvironment as env } from "../helpers/config";
import { synthesizeAppOnce } from "../helpers/synth";
import { managedEnvironment } from "../helpers/terraform-cloud-config";

/**
 * A team stack in an environment whose workspaces the platform manages gets what a layer gets (issue 22 item 5):
 * in the terraform-cloud stack its workspace, the state of exactly the stacks it reads, run triggers from them,
 * a plan and an apply role with the team's declared permissions and the team guard rails; in the foundation the
 * EKS access entries of those roles. dev: dynamic credentials, the runs build; prod: the runs assume the
 * environment's role; lab: no managed workspaces.
 */

type Json = Record<string, any>;

const environments = [
  managedEnvironment("dev"),
  managedEnvironment("prod", { account: "222222222222", assumeRoleArn: "arn:aws:iam::222222222222:role/deploy" }),
  env({ name: "lab", account: "333333333333" }),
];

const BUCKET = "arn:aws:s3:::acme-payments-dev";
const options: TeamStackOptions = {
  after: ["network"],
  permissions: [
    { Sid: "Reports", Action: ["s3:PutObject", "s3:GetObject", "s3:ListBucket"], Resource: [BUCKET, `${BUCKET}/*`] },
    { Action: "sqs:*", Resource: "arn:aws:sqs:eu-west-1:111111111111:payments-*" },
  ],
  access: { level: "edit", namespaces: ["payments", "payments-jobs"] },
};

const synthesized = synthesizeAppOnce((app) => {
  const platform = new Platform(app, { config: validateConfig({ environments }) });
  for (const environment of platform.environments)
    environment.addStack(
      "payments",
      (team) => new ConfigMapV1(team, "settings", { metadata: { name: "payments", namespace: "payments" } }),
      options,
    );
});
const { stack } = synthesized;

const resourceOf = (stackName: string, type: string, name: string): Json => {
  const body = stack(stackName).resource?.[type]?.[name];
  if (!body) throw new Error(`${stackName} has no ${type}.${name}`);
  return body;
};
const tfc = (type: string, name: string) => resourceOf("terraform-cloud", type, name);
const policyOf = (name: string) => JSON.parse(tfc("aws_iam_policy", name).policy);
const attachedTo = (role: string): string[] =>
  Object.values(stack("terraform-cloud").resource.aws_iam_role_policy_attachment as Record<string, Json>)
    .filter((attachment) => attachment.role === `\${aws_iam_role.${role}.name}`)
    .map((attachment) => attachment.policy_arn)
    .sort();

describe("a team stack's workspace in the terraform-cloud stack", () => {
  it("is named as the team stack's cloud block names it, in the project, with its tags and execution mode", () => {
    expect(stack("dev-team-payments").terraform.cloud.workspaces).toEqual({
      name: "eks-dev-team-payments",
      project: "platform",
    });
    expect(tfc("tfe_workspace", "dev_team_payments")).toMatchObject({
      name: "eks-dev-team-payments",
      organization: "acme",
      project_id: "${data.tfe_project.acme_platform.id}",
      tag_names: ["environment:dev", "team:payments", "managed-by:cdktf-eks-platform"],
      force_delete: false,
    });
    expect(tfc("tfe_workspace_settings", "dev_team_payments")).toMatchObject({
      workspace_id: "${tfe_workspace.dev_team_payments.id}",
      execution_mode: "remote",
      global_remote_state: false,
      remote_state_consumer_ids: [],
    });
  });

  it("reads the state of exactly the foundation and its `after` layers, and their applies trigger its runs", () => {
    const team = "${tfe_workspace.dev_team_payments.id}";
    const readers = (layer: string) => tfc("tfe_workspace_settings", `dev_${layer}`).remote_state_consumer_ids;
    expect(readers("foundation")).toContain(team);
    expect(readers("network")).toContain(team);
    expect(readers("storage")).not.toContain(team);
    expect(readers("operators")).not.toContain(team);
    // The layers that read the foundation still do.
    expect(readers("foundation")).toContain("${tfe_workspace.dev_network.id}");
    const triggers = Object.entries(stack("terraform-cloud").resource.tfe_run_trigger as Record<string, Json>)
      .filter(([, trigger]) => trigger.workspace_id === team)
      .map(([address, trigger]) => [address, trigger.sourceable_id]);
    expect(triggers.sort()).toEqual([
      ["dev_team_payments_from_dev_foundation", "${tfe_workspace.dev_foundation.id}"],
      ["dev_team_payments_from_dev_network", "${tfe_workspace.dev_network.id}"],
    ]);
  });

  it("has a plan and an apply role trusted by its workspace's phases only, set in the workspace's variables", () => {
    for (const [address, name, phase] of [
      ["dev_team_payments", "tfc-dev-team-payments", "apply"],
      ["dev_team_payments_plan", "tfc-dev-team-payments-plan", "plan"],
    ]) {
      const role = tfc("aws_iam_role", address);
      expect(role).toMatchObject({ name, path: "/terraform-cloud/" });
      const [trust] = JSON.parse(role.assume_role_policy).Statement;
      expect(trust.Condition.StringEquals["app.terraform.io:sub"]).toBe(
        `organization:acme:project:platform:workspace:eks-dev-team-payments:run_phase:${phase}`,
      );
    }
    expect(tfc("tfe_variable", "dev_team_payments_aws_plan_role_arn")).toMatchObject({
      key: "TFC_AWS_PLAN_ROLE_ARN",
      value: "${aws_iam_role.dev_team_payments_plan.arn}",
      workspace_id: "${tfe_workspace.dev_team_payments.id}",
    });
    expect(tfc("tfe_variable", "dev_team_payments_aws_apply_role_arn").value).toBe(
      "${aws_iam_role.dev_team_payments.arn}",
    );
  });

  it("gives the apply role the declared statements and the plan role their reads, both the guard rails", () => {
    expect(attachedTo("dev_team_payments")).toEqual(
      [
        "${aws_iam_policy.dev_run.arn}",
        "${aws_iam_policy.dev_team_payments.arn}",
        "${aws_iam_policy.dev_teams.arn}",
      ].sort(),
    );
    expect(attachedTo("dev_team_payments_plan")).toEqual(
      [
        "${aws_iam_policy.dev_run.arn}",
        "${aws_iam_policy.dev_team_payments_plan.arn}",
        "${aws_iam_policy.dev_teams.arn}",
      ].sort(),
    );
    expect(policyOf("dev_team_payments").Statement).toEqual([
      {
        Sid: "Reports",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:GetObject", "s3:ListBucket"],
        Resource: [BUCKET, `${BUCKET}/*`],
      },
      { Sid: "Team1", Effect: "Allow", Action: ["sqs:*"], Resource: ["arn:aws:sqs:eu-west-1:111111111111:payments-*"] },
    ]);
    expect(policyOf("dev_team_payments_plan").Statement.map((s: Json) => [s.Sid, s.Action])).toEqual([
      ["ReportsReads", ["s3:GetObject", "s3:ListBucket"]],
      ["Team1Reads", ["sqs:Describe*", "sqs:Get*", "sqs:List*"]],
    ]);
    expect(policyOf("dev_teams").Statement.map((s: Json) => s.Sid)).toEqual([
      "TeamsWriteNoIam",
      "TeamsWriteNoEks",
      "TeamsLeaveThePlatformsResources",
      "TeamsPassNoPlatformRole",
    ]);
    expect(tfc("aws_iam_policy", "dev_teams")).toMatchObject({ name: "tfc-dev-teams", path: "/terraform-cloud/" });
  });

  it("with an assumeRoleArn: the roles, with the run policy only (the assumed role decides), and no access entry", () => {
    expect(attachedTo("prod_team_payments")).toEqual(["${aws_iam_policy.prod_run.arn}"]);
    expect(attachedTo("prod_team_payments_plan")).toEqual(["${aws_iam_policy.prod_run.arn}"]);
    expect(stack("prod-foundation").resource.aws_eks_access_entry.terraform_team_payments).toBeUndefined();
  });

  it("where workspaces are not managed: no workspace, no roles, no dependency on terraform-cloud", () => {
    expect(stack("terraform-cloud").resource.tfe_workspace.lab_team_payments).toBeUndefined();
    expect(synthesized.manifest.stacks["lab-team-payments"].dependencies).not.toContain("terraform-cloud");
    expect(synthesized.manifest.stacks["dev-team-payments"].dependencies).toContain("terraform-cloud");
    expect(synthesized.manifest.stacks["prod-team-payments"].dependencies).toContain("terraform-cloud");
  });
});

describe("what the team's workspace is made of", () => {
  it("passes the policy pack and the provider schemas in the terraform-cloud, foundation and team stacks", () => {
    const environment = validateConfig({ environments }).environments[0];
    const names = ["terraform-cloud", "dev-foundation", "dev-team-payments"];
    for (const name of names)
      expect([name, evaluatePolicy({ stack: name, json: stack(name), environment }).findings]).toEqual([name, []]);
    const findings = validateStacks(
      names.map((name) => ({ name, json: stack(name) })),
      referenceFromData({}),
      { checks: ["provider-schema"] },
    );
    expect(findings.filter((finding) => finding.severity === "error")).toEqual([]);
  });
});

describe("a team stack's access entries in the foundation", () => {
  it("give the apply role the access asked for and the plan role AdminView, in the team's namespaces", () => {
    const foundation = stack("dev-foundation").resource;
    expect(foundation.aws_eks_access_entry.terraform_team_payments).toMatchObject({
      cluster_name: "${aws_eks_cluster.cluster.name}",
      principal_arn: "arn:aws:iam::111111111111:role/terraform-cloud/tfc-dev-team-payments",
      type: "STANDARD",
    });
    expect(foundation.aws_eks_access_policy_association.terraform_team_payments).toMatchObject({
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
      access_scope: { type: "namespace", namespaces: ["payments", "payments-jobs"] },
    });
    expect(foundation.aws_eks_access_entry.terraform_team_payments_plan.principal_arn).toBe(
      "arn:aws:iam::111111111111:role/terraform-cloud/tfc-dev-team-payments-plan",
    );
    expect(foundation.aws_eks_access_policy_association.terraform_team_payments_plan).toMatchObject({
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
      access_scope: { type: "namespace", namespaces: ["payments", "payments-jobs"] },
    });
  });
});

describe("a team's options that would widen its runs fail the synth, naming each problem", () => {
  const refusal = (teamOptions: TeamStackOptions): string => {
    const platform = new Platform(Testing.app(), { config: validateConfig({ environments }), environments: ["dev"] });
    try {
      platform.environment("dev")!.addStack("payments", undefined, teamOptions);
    } catch (error) {
      expect(error).toBeInstanceOf(PlatformConfigError);
      return (error as Error).message;
    }
    throw new Error("addStack accepted the options");
  };

  it("`*`, the account's administration, EKS writes, a Deny, a statement without resources", () => {
    const message = refusal({
      permissions: [
        { Action: "*", Resource: "*" },
        { Action: ["iam:PassRole", "sts:AssumeRole", "eks:CreateAccessEntry", "eks:DescribeCluster"], Resource: "*" },
        { Effect: "Deny" as "Allow", Action: "s3:GetObject", Resource: [] },
      ],
    });
    expect(message).toMatch(/the options of dev-team-payments/);
    expect(message).toMatch(/permissions\[0\]\.Action\[0\]: is not a single service's action \(got "\*"/);
    expect(message).toMatch(/permissions\[1\]\.Action\[0\]: iam is the account's administration/);
    expect(message).toMatch(/permissions\[1\]\.Action\[1\]: sts is the account's administration/);
    expect(message).toMatch(/permissions\[1\]\.Action\[2\]: writes the platform's cluster/);
    expect(message).not.toMatch(/Action\[3\]/);
    expect(message).toMatch(/permissions\[2\]\.Effect/);
    expect(message).toMatch(/permissions\[2\]\.Resource: names no resource/);
  });

  it("cluster-wide or cluster-admin access, a bad namespace, a name that is another team's plan role", () => {
    expect(refusal({ access: { namespaces: [] } })).toMatch(/access\.namespaces: is empty/);
    expect(refusal({ access: { level: "cluster-admin" as "admin" } })).toMatch(
      /access\.level: is not a team's access level/,
    );
    expect(refusal({ access: { namespaces: ["Payments"] } })).toMatch(
      /access\.namespaces\[0\]: is not a Kubernetes namespace/,
    );
    const platform = new Platform(Testing.app(), { config: validateConfig({ environments }), environments: ["dev"] });
    expect(() => platform.environment("dev")!.addStack("payments-plan")).toThrow(/name: ends in -plan/);
  });
});
