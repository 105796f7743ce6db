import { z } from "zod";
import { fields } from "./fields";
import { bounded, hostname, organization, project, text, workspacePrefix } from "./text";

/** `backend`: where each stack keeps its state: a local file, S3, or Terraform Cloud / Enterprise workspaces. */
export const backendSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("local"),
    path: text(1024)
      .optional()
      .describe(
        "State file path relative to `<outdir>/stacks/<stack>`; `{stack}` is replaced by the stack name. Each stack needs its own file (so a path shared by two stacks is refused: put `{stack}` in it), and a relative path may not climb out of the project with `..`. Default: `terraform.<stack>.tfstate` in the project root.",
      ),
  }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "must be an S3 bucket name" })
      .describe(
        "S3 bucket of the state files, one per stack at `<keyPrefix>/<env>/<layer>.tfstate`, always encrypted.",
      ),
    region: fields.region.optional().describe("Region of the bucket; default: the environment's region."),
    keyPrefix: bounded(512)
      .regex(/^[\w.\-/]*$/, { message: "must be letters, digits, '_', '.', '-' and '/'" })
      .default("eks-platform")
      .describe('Key prefix of the state files; `""` puts them at `<env>/<layer>.tfstate`.'),
    useLockfile: z
      .boolean()
      .default(true)
      .describe(
        "S3-native state locking (`use_lockfile`, Terraform 1.10 or later): a lock file next to the state, no DynamoDB table.",
      ),
    kmsKeyId: fields.kmsKeyArn
      .optional()
      .describe("KMS key the state objects are encrypted with; omitted, they are encrypted with S3-managed keys."),
  }),
  z.strictObject({
    type: z.literal("cloud"),
    organization: organization.describe("Terraform Cloud / Enterprise organization that holds the workspaces."),
    hostname: hostname
      .default("app.terraform.io")
      .describe("Terraform Cloud or Terraform Enterprise host name; the default is Terraform Cloud."),
    project: project
      .optional()
      .describe("Project the workspaces belong to; omitted, the organization's default project."),
    workspacePrefix: workspacePrefix
      .default("")
      .describe("Prefix of the workspace names: one workspace per stack, `<workspacePrefix><env>-<layer>`."),
    // Terraform Cloud as code (modules/terraform-cloud). executionMode and awsAuth have no zod default, so that
    // setting one without `manageWorkspaces` stays visible to the config checks (and is refused); their defaults
    // are applied in modules/terraform-cloud/settings.ts.
    manageWorkspaces: z
      .boolean()
      .default(false)
      .describe(
        "Create and wire this environment's workspaces from the config, in the `terraform-cloud` stack: one workspace per stack (this name, project and tags), remote state shared only with the layers that read it, run triggers from the foundation, and AWS dynamic credentials (`awsAuth`). Off: create the workspaces yourself.",
      ),
    executionMode: z
      .enum(["remote", "agent"])
      .optional()
      .describe(
        "Where the managed workspaces run (default `remote`, HCP Terraform's hosted runners): `agent` runs on your agent pool (`agentPoolId`), which a private-only cluster endpoint needs. Only with `manageWorkspaces`.",
      ),
    agentPoolId: bounded(64)
      .regex(/^apool-[A-Za-z0-9]+$/, { message: "must be an agent pool id such as apool-AbCd1234" })
      .optional()
      .describe(
        "The agent pool the workspaces run on (`apool-...`); required with `executionMode: agent`, refused otherwise.",
      ),
    awsAuth: z
      .enum(["dynamic", "none"])
      .optional()
      .describe(
        "AWS credentials of the runs (default `dynamic`): an IAM OIDC provider for the host name and, per workspace, a read-only plan role and an apply role, each trusted by that workspace's plan or apply phase only, set through TFC_AWS_PROVIDER_AUTH, TFC_AWS_PLAN_ROLE_ARN and TFC_AWS_APPLY_ROLE_ARN; `none` leaves the credentials to you (variable sets, agents' instance roles). Only with `manageWorkspaces`.",
      ),
  }),
]);

export type BackendConfig = z.output<typeof backendSchema>;
