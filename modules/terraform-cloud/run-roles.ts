import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { policyJson, type PolicyStatement } from "../iam/policy";
import type { Layer } from "../layers";
import { logicalName, stableId } from "../naming";
import { boundaryStatements } from "./boundary-policy";
import { layerIamStatements, type CatalogIdentities } from "./layer-iam-policy";
import { layerStatements, readStatements } from "./layer-policy";
import type { ManagedEnvironmentPlan, PhaseRolePlan } from "./plan";
import { runRolePermissions, runRoleTrust } from "./run-role-policy";
import {
  boundaryPolicyName,
  organizationBoundaryArn,
  platformBoundaryBuilt,
  RUN_ROLE_PATH,
  runRolesBuild,
} from "./settings";
import { statementsJson, type RunPolicyStatement } from "./statements";
import type { RunRoleArns } from "./workspaces";

export interface EnvironmentRunRolesProps {
  readonly plan: ManagedEnvironmentPlan;
  /** The AWS provider of the environment's account (locked to it). */
  readonly provider: AwsProvider;
  /** The account's IAM OIDC provider for the environment's Terraform Cloud host (a reference, or an adopted ARN). */
  readonly oidcProviderArn: string;
  /** The platform's add-on catalog: the names of the roles each layer creates, the managed policies they get. */
  readonly catalog: CatalogIdentities;
}

/**
 * Two run roles per managed workspace of an environment: the apply role `aws_iam_role.<env>_<layer>`
 * (`tfc-<cluster>-<layer>`, trusted for that workspace's applies) and the plan role `<env>_<layer>_plan`
 * (`tfc-<cluster>-<layer>-plan`, its plans, read-only). Their policies:
 *   - `aws_iam_policy.<env>_run` (run-role-policy.ts): every run role; with an assumeRoleArn, assuming it and
 *     nothing else (the only policy then), otherwise the guard rails (explicit denies);
 *   - `<env>_reads` (layer-policy.ts): every run role, reads of the platform's services;
 *   - `<env>_<layer>` (layer-policy.ts) and `<env>_<layer>_iam` (layer-iam-policy.ts): that layer's apply role,
 *     what the layer builds and its own roles and policies;
 *   - `<env>_boundary` (boundary-policy.ts): no run role's, the permissions boundary of every role the
 *     platform stacks create (boundary.ts); not created when the organization's boundary replaces it.
 * The run roles themselves carry the organization's boundary when the environment configures one (createRunRole).
 */
export class EnvironmentRunRoles extends Construct {
  /** The apply roles. */
  readonly roles: ReadonlyMap<Layer, IamRole>;
  readonly planRoles: ReadonlyMap<Layer, IamRole>;
  /** Per layer, the ARNs of its plan and apply roles (references), for the workspace variables. */
  readonly arns: ReadonlyMap<Layer, RunRoleArns>;
  readonly policy: IamPolicy;
  readonly boundary?: IamPolicy;

  constructor(scope: Construct, id: string, props: EnvironmentRunRolesProps) {
    super(scope, id);
    const { plan, provider } = props;
    const env = plan.environment;
    const envId = logicalName(env.name);
    const cluster = plan.clusterName.slice(0, 100);
    const policy = (address: string, name: string, description: string, statements: RunPolicyStatement[]) =>
      stableId(
        new IamPolicy(this, `${address}-policy`, {
          provider,
          name,
          path: RUN_ROLE_PATH,
          description: `${description} (cdktf-eks-platform)`,
          policy: statementsJson(statements),
        }),
        `${envId}_${address}`,
      );
    this.policy = policy(
      "run",
      `tfc-${cluster}-run`,
      `Terraform Cloud runs of environment ${env.name}`,
      runRolePermissions(plan),
    );
    const builds = runRolesBuild(env);
    this.boundary = platformBoundaryBuilt(env)
      ? policy(
          "boundary",
          boundaryPolicyName(plan.clusterName),
          `Permissions boundary of every IAM role of environment ${env.name}'s platform stacks`,
          boundaryStatements(env),
        )
      : undefined;
    const reads = builds
      ? policy(
          "reads",
          `tfc-${cluster}-reads`,
          `Terraform Cloud plans and applies of environment ${env.name}: reads`,
          readStatements(),
        )
      : undefined;

    const attach = (role: IamRole, address: string, policyArn: string) =>
      stableId(new IamRolePolicyAttachment(this, address, { provider, role: role.name, policyArn }), address);
    const roles = new Map<Layer, IamRole>();
    const planRoles = new Map<Layer, IamRole>();
    const arns = new Map<Layer, RunRoleArns>();
    for (const workspace of plan.workspaces) {
      const runRole = workspace.runRole;
      if (!runRole) continue;
      const address = logicalName(workspace.stack);
      const role = (suffix: string, phase: PhaseRolePlan, what: string) =>
        createRunRole(this, `${workspace.layer}-${suffix}role`, {
          environment: env,
          provider,
          name: phase.name,
          path: runRole.path,
          description: `Terraform Cloud ${what} of workspace ${workspace.name} (cdktf-eks-platform)`,
          trust: runRoleTrust(props.oidcProviderArn, plan.settings.backend.hostname, phase.subject),
          address: `${address}${suffix ? `_${suffix}` : ""}`,
        });
      const apply = role("", runRole, "applies");
      const planRole = role("plan", runRole.plan, "plans (read-only)");
      roles.set(workspace.layer, apply);
      planRoles.set(workspace.layer, planRole);
      arns.set(workspace.layer, { plan: planRole.arn, apply: apply.arn });
      attach(apply, `${address}_run`, this.policy.arn);
      attach(planRole, `${address}_plan_run`, this.policy.arn);
      if (!reads) continue;
      attach(apply, `${address}_reads`, reads.arn);
      attach(planRole, `${address}_plan_reads`, reads.arn);
      const writes = policy(
        workspace.layer,
        `tfc-${cluster}-${workspace.layer}-writes`,
        `Terraform Cloud applies of workspace ${workspace.name}: what the ${workspace.layer} layer builds`,
        layerStatements(plan, workspace.layer),
      );
      attach(apply, `${address}_writes`, writes.arn);
      const iamStatements = layerIamStatements(plan, workspace.layer, props.catalog);
      if (iamStatements.length === 0) continue;
      const iam = policy(
        `${workspace.layer}_iam`,
        `tfc-${cluster}-${workspace.layer}-iam`,
        `Terraform Cloud applies of workspace ${workspace.name}: the ${workspace.layer} layer's roles and policies`,
        iamStatements,
      );
      attach(apply, `${address}_iam`, iam.arn);
    }
    this.roles = roles;
    this.planRoles = planRoles;
    this.arns = arns;
  }
}

export interface RunRoleProps {
  /** The environment the role's runs build: the organization's permissions boundary comes from it. */
  readonly environment: ManagedEnvironmentPlan["environment"];
  readonly provider: AwsProvider;
  readonly name: string;
  readonly path: string;
  readonly description: string;
  readonly trust: PolicyStatement[];
  /** Terraform address (`aws_iam_role.<address>`), stable across refactors. */
  readonly address: string;
}

/**
 * One Terraform Cloud run role (every run role is built here, the platform's layers' and any other workspace's):
 * with the environment's trust and, when the environment configures one, the organization's permissions boundary
 * (`iam.permissionsBoundaryArn`), which every role of the environment carries. The terraform-cloud stack spans
 * environments, so no stack-wide aspect can set it (boundary.ts sets it on the environment's own stacks).
 */
export function createRunRole(scope: Construct, id: string, props: RunRoleProps): IamRole {
  return stableId(
    new IamRole(scope, id, {
      provider: props.provider,
      name: props.name,
      path: props.path,
      description: props.description,
      assumeRolePolicy: policyJson(props.trust),
      permissionsBoundary: organizationBoundaryArn(props.environment),
    }),
    props.address,
  );
}
