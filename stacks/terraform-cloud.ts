import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataTfeProject } from "@cdktf/provider-tfe/lib/data-tfe-project";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import type { EnvironmentConfig } from "../modules/config/schema";
import type { AddonDefinition } from "../modules/engine/types";
import { repairHclOutput } from "../modules/hcl/repair";
import { logicalName, stableId } from "../modules/naming";
import { attachPolicyPack } from "../modules/policy/attach";
import { MINIMUM_TERRAFORM_VERSION, requireTerraformVersion } from "../modules/terraform-blocks";
import { terraformCloudBackend } from "../modules/terraform-cloud/backend";
import type { ManagedEnvironmentPlan, TerraformCloudPlan } from "../modules/terraform-cloud/plan";
import type { AccountPlan } from "../modules/terraform-cloud/accounts";
import { EnvironmentRunRoles } from "../modules/terraform-cloud/run-roles";
import { TERRAFORM_CLOUD_STACK, WORKLOAD_AUDIENCE } from "../modules/terraform-cloud/settings";
import { EnvironmentWorkspaces } from "../modules/terraform-cloud/workspaces";
import { teamWorkspacePlan, type TeamWorkspaceOptions, type TeamWorkspacePlan } from "../modules/terraform-cloud/team";
import type { Layer } from "../modules/layers";
import { forgetWithoutDestroying } from "../modules/terraform-blocks";

export interface TerraformCloudStackProps {
  readonly plan: TerraformCloudPlan;
  /** The platform's add-on catalog: the roles each layer creates and the AWS managed policies they get. */
  readonly catalog: ReadonlyArray<AddonDefinition>;
}

/**
 * `terraform-cloud`: Terraform Cloud as code for every environment with `manageWorkspaces: true`. Its own state
 * (`terraformCloud.backend`, local by default); applied once with an admin token (TFE_TOKEN or `terraform login`)
 * and AWS credentials for each account, after which the platform's runs happen in Terraform Cloud:
 *   - per host: a tfe provider; per account: an AWS provider locked to it (allowed_account_ids), assuming the
 *     account's role (`terraformCloud.accounts.<id>.bootstrapRoleArn`, else its first environment's
 *     assumeRoleArn; the config refuses a second account without one) and, per host used there, the IAM OIDC
 *     provider: adopted by ARN (`oidcProviderArn`), or created and never destroyed by a plan;
 *   - per environment: its workspaces and their wiring (EnvironmentWorkspaces) and run roles (EnvironmentRunRoles);
 *   - per team stack of such an environment (`addTeam`, from `environment.addStack`): its workspace, wiring and
 *     run roles, through the same constructs (modules/terraform-cloud/team.ts).
 */
export class TerraformCloudStack extends TerraformStack {
  readonly plan: TerraformCloudPlan;
  /** The team stacks' workspaces added after the platform's (`addTeam`), in the order they were added. */
  readonly teams: TeamWorkspacePlan[] = [];
  readonly environments: ReadonlyMap<
    string,
    { readonly workspaces: EnvironmentWorkspaces; readonly runRoles?: EnvironmentRunRoles }
  >;

  constructor(scope: Construct, props: TerraformCloudStackProps) {
    super(scope, TERRAFORM_CLOUD_STACK);
    this.plan = props.plan;
    terraformCloudBackend(this, props.plan.backend);

    const tfeProviders = new Map<string, TfeProvider>();
    const awsProviders = new Map<string, AwsProvider>();
    const oidcProviders = new Map<string, string>();
    const projects = new Map<string, DataTfeProject>();
    const built = new Map<string, { workspaces: EnvironmentWorkspaces; runRoles?: EnvironmentRunRoles }>();
    for (const managed of props.plan.environments) {
      const backend = managed.settings.backend;
      const tfe = getOrCreate(
        tfeProviders,
        backend.hostname,
        () =>
          new TfeProvider(this, `tfe-${backend.hostname}`, {
            hostname: backend.hostname,
            alias: logicalName(backend.hostname),
          }),
      );
      const project =
        backend.project === undefined
          ? undefined
          : getOrCreate(projects, `${backend.hostname}/${backend.organization}/${backend.project}`, () =>
              stableId(
                new DataTfeProject(this, `project-${backend.hostname}-${backend.organization}-${backend.project}`, {
                  provider: tfe,
                  organization: backend.organization,
                  name: backend.project ?? "",
                }),
                logicalName(`${backend.organization}_${backend.project}`),
              ),
            );
      const runRoles =
        managed.settings.awsAuth === "dynamic"
          ? this.runRoles(managed, awsProviders, oidcProviders, props.catalog)
          : undefined;
      const workspaces = new EnvironmentWorkspaces(this, `${managed.environment.name}-workspaces`, {
        plan: managed,
        provider: tfe,
        project,
        runRoleArns: runRoles?.arns ?? new Map(),
      });
      built.set(managed.environment.name, { workspaces, runRoles });
    }
    this.environments = built;

    // The stack spans environments, so no environment's waivers apply to it: nothing here is a setting a waiver
    // could justify relaxing. Rules that read environment settings (subnets) find none of their resources here.
    requireTerraformVersion(this, MINIMUM_TERRAFORM_VERSION);
    attachPolicyPack(this, policyEnvironment(props.plan.environments[0].environment));
    repairHclOutput(this);
  }

  /**
   * A team stack's workspace, its wiring and run roles (`environment.addStack` calls it for an environment whose
   * workspaces the platform manages). Returns its plan; `teams` lists every one added.
   */
  addTeam(
    environment: string,
    team: { readonly name: string; readonly after?: ReadonlyArray<Layer>; readonly options: TeamWorkspaceOptions },
  ): TeamWorkspacePlan {
    const managed = this.plan.environments.find((entry) => entry.environment.name === environment);
    const built = this.environments.get(environment);
    if (!managed || !built) throw new Error(`terraform-cloud: environment ${environment} manages no workspaces`);
    const plan = teamWorkspacePlan(managed, team);
    const roleArns = built.runRoles?.addTeam(plan);
    built.workspaces.addTeam(plan, roleArns);
    this.teams.push(plan);
    return plan;
  }

  private runRoles(
    managed: ManagedEnvironmentPlan,
    awsProviders: Map<string, AwsProvider>,
    oidcProviders: Map<string, string>,
    catalog: ReadonlyArray<AddonDefinition>,
  ): EnvironmentRunRoles {
    const env = managed.environment;
    const hostname = managed.settings.backend.hostname;
    const account = this.plan.accounts.find((candidate) => candidate.account === env.account);
    if (!account) throw new Error(`terraform-cloud: no account plan for ${env.account}`);
    // IAM is global to the account: one provider per account.
    const aws = getOrCreate(awsProviders, env.account, () => this.accountProvider(account));
    // One IAM OIDC provider per URL and account: every environment of the account on this host shares it.
    const oidcProviderArn = getOrCreate(oidcProviders, `${env.account}/${hostname}`, () =>
      this.oidcProvider(account, hostname, aws),
    );
    return new EnvironmentRunRoles(this, `${env.name}-run-roles`, {
      plan: managed,
      provider: aws,
      oidcProviderArn,
      catalog,
    });
  }

  private accountProvider(account: AccountPlan): AwsProvider {
    return new AwsProvider(this, `aws-${account.account}`, {
      alias: `account_${account.account}`,
      region: account.region,
      allowedAccountIds: [account.account],
      assumeRole: account.access
        ? [
            {
              roleArn: account.access.roleArn,
              externalId: account.access.externalId,
              sessionName: `cdktf-${TERRAFORM_CLOUD_STACK}`,
            },
          ]
        : undefined,
      defaultTags: [{ tags: { stack: TERRAFORM_CLOUD_STACK, "managed-by": "cdktf-eks-platform" } }],
    });
  }

  /**
   * The host's OIDC provider in the account, shared by every workspace there (the platform's and any other):
   * adopted by ARN, and then forgotten if this stack created it before (a `removed` block, never a destroy), or
   * created with `prevent_destroy` and its audiences left alone after creation (`ignore_changes`), so an audience
   * another team added is not stripped. Returns its ARN.
   */
  private oidcProvider(account: AccountPlan, hostname: string, aws: AwsProvider): string {
    const address = logicalName(`oidc_${hostname}_${account.account}`);
    const adopted = account.oidcProviders.find((provider) => provider.hostname === hostname)?.adoptedArn;
    if (adopted) {
      forgetWithoutDestroying(this, `aws_iam_openid_connect_provider.${address}`);
      return adopted;
    }
    return stableId(
      new IamOpenidConnectProvider(this, `oidc-${account.account}-${hostname}`, {
        provider: aws,
        url: `https://${hostname}`,
        clientIdList: [WORKLOAD_AUDIENCE],
        // No thumbprint_list: IAM verifies hosts with certificates from public CAs (as app.terraform.io's) itself.
        lifecycle: { preventDestroy: true, ignoreChanges: ["client_id_list"] },
      }),
      address,
    ).arn;
  }
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  const existing = map.get(key);
  if (existing !== undefined) return existing;
  const created = create();
  map.set(key, created);
  return created;
}

/** The environment the policy pack evaluates the stack with: the first managed one, without waivers. */
function policyEnvironment(environment: EnvironmentConfig): EnvironmentConfig {
  return { ...environment, policy: { ...environment.policy, waivers: [] } };
}
