import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataTfeProject } from "@cdktf/provider-tfe/lib/data-tfe-project";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import type { EnvironmentConfig } from "../modules/config/schema";
import type { AddonDefinition } from "../modules/engine/types";
import { repairHclOutput } from "../modules/hcl/repair";
import type { Layer } from "../modules/layers";
import { logicalName, stableId } from "../modules/naming";
import { attachPolicyPack } from "../modules/policy/attach";
import { MINIMUM_TERRAFORM_VERSION, requireTerraformVersion } from "../modules/terraform-blocks";
import { terraformCloudBackend } from "../modules/terraform-cloud/backend";
import type { ManagedEnvironmentPlan, TerraformCloudPlan } from "../modules/terraform-cloud/plan";
import { EnvironmentRunRoles } from "../modules/terraform-cloud/run-roles";
import { TERRAFORM_CLOUD_STACK, WORKLOAD_AUDIENCE } from "../modules/terraform-cloud/settings";
import { EnvironmentWorkspaces } from "../modules/terraform-cloud/workspaces";

export interface TerraformCloudStackProps {
  readonly plan: TerraformCloudPlan;
  /** The platform's add-on catalog: the AWS managed policies its add-ons attach are allowed to the run roles. */
  readonly catalog: ReadonlyArray<AddonDefinition>;
}

/**
 * `terraform-cloud`: Terraform Cloud as code for every environment with `manageWorkspaces: true`. Its own state
 * (`terraformCloud.backend`, local by default); applied once with an admin token (TFE_TOKEN or `terraform login`)
 * and AWS credentials for each account, after which the platform's runs happen in Terraform Cloud:
 *   - per host: a tfe provider; per account: an AWS provider locked to it (allowed_account_ids, the first
 *     environment's assumeRoleArn) and, per host used there, one IAM OIDC provider;
 *   - per environment: its workspaces and their wiring (EnvironmentWorkspaces) and run roles (EnvironmentRunRoles).
 */
export class TerraformCloudStack extends TerraformStack {
  readonly plan: TerraformCloudPlan;
  readonly environments: ReadonlyMap<
    string,
    { readonly workspaces: EnvironmentWorkspaces; readonly runRoles?: EnvironmentRunRoles }
  >;

  constructor(scope: Construct, props: TerraformCloudStackProps) {
    super(scope, TERRAFORM_CLOUD_STACK);
    this.plan = props.plan;
    terraformCloudBackend(this, props.plan.backend);
    const addonManagedPolicies = props.catalog.flatMap((addon) => addon.identity?.managedPolicies ?? []);

    const tfeProviders = new Map<string, TfeProvider>();
    const awsProviders = new Map<string, AwsProvider>();
    const oidcProviders = new Map<string, IamOpenidConnectProvider>();
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
          ? this.runRoles(managed, awsProviders, oidcProviders, addonManagedPolicies)
          : undefined;
      const runRoleArns = new Map<Layer, string>(
        [...(runRoles?.roles ?? new Map())].map(([layer, role]) => [layer, role.arn]),
      );
      const workspaces = new EnvironmentWorkspaces(this, `${managed.environment.name}-workspaces`, {
        plan: managed,
        provider: tfe,
        project,
        runRoleArns,
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

  private runRoles(
    managed: ManagedEnvironmentPlan,
    awsProviders: Map<string, AwsProvider>,
    oidcProviders: Map<string, IamOpenidConnectProvider>,
    addonManagedPolicies: ReadonlyArray<string>,
  ): EnvironmentRunRoles {
    const env = managed.environment;
    const hostname = managed.settings.backend.hostname;
    // IAM is global to the account: one provider per account, whichever of its environments comes first.
    const aws = getOrCreate(
      awsProviders,
      env.account,
      () =>
        new AwsProvider(this, `aws-${env.account}`, {
          alias: `account_${env.account}`,
          region: env.region,
          allowedAccountIds: [env.account],
          assumeRole: env.assumeRoleArn
            ? [
                {
                  roleArn: env.assumeRoleArn,
                  externalId: env.externalId,
                  sessionName: `cdktf-${TERRAFORM_CLOUD_STACK}`,
                },
              ]
            : undefined,
          defaultTags: [{ tags: { stack: TERRAFORM_CLOUD_STACK, "managed-by": "cdktf-eks-platform" } }],
        }),
    );
    // One IAM OIDC provider per URL and account: every environment of the account on this host shares it.
    const oidc = getOrCreate(oidcProviders, `${env.account}/${hostname}`, () =>
      stableId(
        new IamOpenidConnectProvider(this, `oidc-${env.account}-${hostname}`, {
          provider: aws,
          url: `https://${hostname}`,
          clientIdList: [WORKLOAD_AUDIENCE],
          // No thumbprint_list: IAM verifies hosts with certificates from public CAs (as app.terraform.io's) itself.
        }),
        logicalName(`oidc_${hostname}_${env.account}`),
      ),
    );
    return new EnvironmentRunRoles(this, `${env.name}-run-roles`, {
      plan: managed,
      provider: aws,
      oidcProviderArn: oidc.arn,
      addonManagedPolicies,
    });
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
