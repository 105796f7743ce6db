import { addResource, policyOf, resource, setPolicy, type Json, type RuleCase } from "./edit";

/**
 * Cases for the Terraform Cloud rules (modules/policy/terraform-cloud.ts), on a Terraform Cloud run role and a managed
 * workspace as the terraform-cloud stack writes them.
 */
export const TERRAFORM_CLOUD_CASES: RuleCase[] = terraformCloudCases();

function terraformCloudCases(): RuleCase[] {
  const subject = "organization:acme:project:platform:workspace:eks-dev-foundation:run_phase:*";
  const trust = (sub: string | string[]) => ({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: "${aws_iam_openid_connect_provider.tfc.arn}" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "app.terraform.io:aud": "aws.workload.identity" },
          StringLike: { "app.terraform.io:sub": sub },
        },
      },
    ],
  });
  const addRunRole = (j: Json) =>
    addResource(j, "aws_iam_role.tfc_run", {
      name: "tfc-dev-foundation",
      assume_role_policy: JSON.stringify(trust(subject)),
    });
  const addWorkspace = (j: Json) => {
    addResource(j, "tfe_workspace.dev_foundation", { name: "eks-dev-foundation", organization: "acme" });
    addResource(j, "tfe_workspace_settings.dev_foundation", {
      workspace_id: "${tfe_workspace.dev_foundation.id}",
      global_remote_state: false,
      remote_state_consumer_ids: [],
    });
  };
  const editTrust = (j: Json, edit: (statement: Json) => void) => {
    const document = policyOf(j, "aws_iam_role.tfc_run", "assume_role_policy");
    edit(document.Statement[0]);
    setPolicy(j, "aws_iam_role.tfc_run", document, "assume_role_policy");
  };
  const runRole = { layer: "foundation" as const, address: "aws_iam_role.tfc_run", setup: addRunRole };
  return [
    {
      ...runRole,
      rule: "TFC_TRUST_ONE_WORKSPACE",
      what: "any workspace of the organization",
      breakIt: (j) =>
        setPolicy(
          j,
          "aws_iam_role.tfc_run",
          trust("organization:acme:project:*:workspace:*:run_phase:*"),
          "assume_role_policy",
        ),
    },
    {
      ...runRole,
      rule: "TFC_TRUST_ONE_WORKSPACE",
      what: "two workspaces",
      breakIt: (j) =>
        setPolicy(
          j,
          "aws_iam_role.tfc_run",
          trust([subject, subject.replace("foundation", "network")]),
          "assume_role_policy",
        ),
    },
    {
      ...runRole,
      rule: "TFC_TRUST_ONE_WORKSPACE",
      what: "no :aud",
      breakIt: (j) => editTrust(j, (statement) => void delete statement.Condition.StringEquals),
    },
    {
      ...runRole,
      rule: "TFC_TRUST_ONE_WORKSPACE",
      what: "run_phase:* under StringEquals",
      breakIt: (j) =>
        editTrust(j, (statement) => {
          statement.Condition.StringEquals["app.terraform.io:sub"] = subject;
          delete statement.Condition.StringLike;
        }),
    },
    {
      ...runRole,
      rule: "IAM_TRUST_NO_WILDCARD_PRINCIPAL",
      what: "a run role trusting AWS *",
      breakIt: (j) => editTrust(j, (statement) => void (statement.Principal = { AWS: "*" })),
    },
    {
      rule: "IAM_TRUST_NO_WILDCARD_PRINCIPAL",
      what: "Principal * beside Pod Identity",
      layer: "network",
      address: "aws_iam_role.external_dns",
      breakIt: (j) => {
        const document = policyOf(j, "aws_iam_role.external_dns", "assume_role_policy");
        document.Statement.push({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" });
        setPolicy(j, "aws_iam_role.external_dns", document, "assume_role_policy");
      },
    },
    {
      rule: "TFC_STATE_SHARING_SCOPED",
      what: "state shared with the whole organization",
      layer: "foundation",
      address: "tfe_workspace_settings.dev_foundation",
      setup: addWorkspace,
      breakIt: (j) => void (resource(j, "tfe_workspace_settings.dev_foundation").global_remote_state = true),
    },
    {
      rule: "TFC_STATE_SHARING_SCOPED",
      what: "a workspace without settings",
      layer: "foundation",
      address: "tfe_workspace.dev_foundation",
      setup: addWorkspace,
      breakIt: (j) => void delete j.resource.tfe_workspace_settings,
    },
    {
      rule: "AWS_PROVIDER_ACCOUNT_LOCKED",
      what: "no allowed_account_ids",
      layer: "operators",
      address: "provider.aws",
      breakIt: (j) => void delete j.provider.aws[0].allowed_account_ids,
    },
    {
      rule: "AWS_PROVIDER_ACCOUNT_LOCKED",
      what: "an aliased provider locked to another account",
      layer: "network",
      address: "provider.aws.other",
      setup: (j) => void j.provider.aws.push({ ...structuredClone(j.provider.aws[0]), alias: "other" }),
      breakIt: (j) => void (j.provider.aws[1].allowed_account_ids = ["999999999999"]),
    },
    {
      rule: "AWS_PROVIDER_DEFAULT_TAGS",
      what: "an aliased provider without the environment's default tags",
      layer: "storage",
      address: "provider.aws.useast1",
      setup: (j) =>
        void j.provider.aws.push({ ...structuredClone(j.provider.aws[0]), alias: "useast1", region: "us-east-1" }),
      breakIt: (j) => void delete j.provider.aws[1].default_tags,
    },
  ];
}
