import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { managedPolicyArn, policyJson } from "../iam/policy";
import type { Layer } from "../layers";
import { logicalName, stableId } from "../naming";
import type { ManagedEnvironmentPlan } from "./plan";
import { RUN_ROLE_MANAGED_POLICY, runRolePermissions, runRoleTrust } from "./run-role-policy";
import { RUN_ROLE_PATH } from "./settings";

export interface EnvironmentRunRolesProps {
  readonly plan: ManagedEnvironmentPlan;
  /** The AWS provider of the environment's account (locked to it). */
  readonly provider: AwsProvider;
  /** The account's IAM OIDC provider for the environment's Terraform Cloud host (a reference). */
  readonly oidcProviderArn: string;
  /** AWS managed policies the catalog's add-ons attach to their roles. */
  readonly addonManagedPolicies: ReadonlyArray<string>;
}

/**
 * One run role per managed workspace of an environment (`aws_iam_role.<env>_<layer>`), trusted by that workspace
 * only, plus the environment's run policy (`aws_iam_policy.<env>_run`, see run-role-policy.ts for what it grants
 * and why) attached to each; without an assumeRoleArn, PowerUserAccess too.
 */
export class EnvironmentRunRoles extends Construct {
  readonly roles: ReadonlyMap<Layer, IamRole>;
  readonly policy: IamPolicy;

  constructor(scope: Construct, id: string, props: EnvironmentRunRolesProps) {
    super(scope, id);
    const { plan, provider } = props;
    const env = plan.environment;
    const envId = logicalName(env.name);
    this.policy = stableId(
      new IamPolicy(this, "run-policy", {
        provider,
        name: `tfc-${plan.clusterName.slice(0, 100)}-run`,
        path: RUN_ROLE_PATH,
        description: `Terraform Cloud runs of environment ${env.name} (cdktf-eks-platform)`,
        policy: policyJson(runRolePermissions(plan, props.addonManagedPolicies)),
      }),
      `${envId}_run`,
    );
    const roles = new Map<Layer, IamRole>();
    for (const workspace of plan.workspaces) {
      if (!workspace.runRole) continue;
      const address = logicalName(workspace.stack);
      const role = stableId(
        new IamRole(this, `${workspace.layer}-role`, {
          provider,
          name: workspace.runRole.name,
          path: workspace.runRole.path,
          description: `Terraform Cloud runs of workspace ${workspace.name} (cdktf-eks-platform)`,
          assumeRolePolicy: policyJson(
            runRoleTrust(props.oidcProviderArn, plan.settings.backend.hostname, workspace.runRole.subject),
          ),
        }),
        address,
      );
      roles.set(workspace.layer, role);
      stableId(
        new IamRolePolicyAttachment(this, `${workspace.layer}-run-policy`, {
          provider,
          role: role.name,
          policyArn: this.policy.arn,
        }),
        `${address}_run`,
      );
      if (!env.assumeRoleArn) {
        stableId(
          new IamRolePolicyAttachment(this, `${workspace.layer}-power-user`, {
            provider,
            role: role.name,
            policyArn: managedPolicyArn(env.region, RUN_ROLE_MANAGED_POLICY),
          }),
          `${address}_power_user`,
        );
      }
    }
    this.roles = roles;
  }
}
