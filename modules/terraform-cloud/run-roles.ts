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
import { teamGuardRailStatements, type TeamWorkspacePlan } from "./team";
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
 * Team stacks' roles are added with `addTeam`, through the same role and policy functions.
 */
export class EnvironmentRunRoles extends Construct {
  /** The apply roles. */
  readonly roles: ReadonlyMap<Layer, IamRole>;
  readonly planRoles: ReadonlyMap<Layer, IamRole>;
  /** Per layer, the ARNs of its plan and apply roles (references), for the workspace variables. */
  readonly arns: ReadonlyMap<Layer, RunRoleArns>;
  readonly policy: IamPolicy;
  readonly boundary?: IamPolicy;
  /** Team stacks' roles (`addTeam`), by stack name. */
  readonly teams = new Map<string, { readonly apply: IamRole; readonly plan: IamRole }>();
  private readonly props: EnvironmentRunRolesProps;
  /** The guard rails of the environment's team roles (team-policy.ts), made with the first team that needs them. */
  private teamGuardRails?: IamPolicy;

  constructor(scope: Construct, id: string, props: EnvironmentRunRolesProps) {
    super(scope, id);
    const { plan } = props;
    const env = plan.environment;
    const cluster = plan.clusterName.slice(0, 100);
    this.props = props;
    const policy = (address: string, name: string, description: string, statements: RunPolicyStatement[]) =>
      this.runPolicy(address, name, description, statements);
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

    const attach = (role: IamRole, address: string, policyArn: string) => this.attach(role, address, policyArn);
    const roles = new Map<Layer, IamRole>();
    const planRoles = new Map<Layer, IamRole>();
    const arns = new Map<Layer, RunRoleArns>();
    for (const workspace of plan.workspaces) {
      const runRole = workspace.runRole;
      if (!runRole) continue;
      const address = logicalName(workspace.stack);
      const apply = this.role(workspace.layer, "", runRole, workspace, "applies");
      const planRole = this.role(workspace.layer, "plan", runRole.plan, workspace, "plans (read-only)");
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

  /**
   * A team stack's plan and apply roles (team.ts), built as a layer's: the same trust for its workspace's phases,
   * the environment's run policy and, where runs build with their own roles, the team guard rails and the team's
   * own statements (`<env>_team_<name>`; the plan role's reads of them `<env>_team_<name>_plan`). Returns their
   * ARNs, for the workspace variables.
   */
  addTeam(team: TeamWorkspacePlan): RunRoleArns | undefined {
    const runRole = team.runRole;
    if (!runRole) return undefined;
    const { plan } = this.props;
    const env = plan.environment;
    const cluster = plan.clusterName.slice(0, 100);
    const address = logicalName(team.stack);
    const unit = logicalName(team.unit);
    const apply = this.role(team.unit, "", runRole, team, "applies");
    const planRole = this.role(team.unit, "plan", runRole.plan, team, "plans (read-only)");
    this.attach(apply, `${address}_run`, this.policy.arn);
    this.attach(planRole, `${address}_plan_run`, this.policy.arn);
    if (runRolesBuild(env)) {
      this.teamGuardRails ??= this.runPolicy(
        "teams",
        `tfc-${cluster}-teams`,
        `Guard rails of every team stack's Terraform Cloud runs of environment ${env.name}`,
        teamGuardRailStatements(plan),
      );
      this.attach(apply, `${address}_guard_rails`, this.teamGuardRails.arn);
      this.attach(planRole, `${address}_plan_guard_rails`, this.teamGuardRails.arn);
    }
    // Named as the role it belongs to (policies and roles have names of their own).
    const own = (suffix: string, statements: ReadonlyArray<RunPolicyStatement>, role: IamRole, what: string) => {
      if (statements.length === 0) return;
      const policy = this.runPolicy(
        `${unit}${suffix}`,
        suffix ? runRole.plan.name : runRole.name,
        `Terraform Cloud ${what} of workspace ${team.name}: what team ${team.team} declared`,
        [...statements],
      );
      this.attach(role, `${address}${suffix}_team`, policy.arn);
    };
    own("", team.applyStatements, apply, "applies");
    own("_plan", team.planStatements, planRole, "plans (read-only)");
    this.teams.set(team.stack, { apply, plan: planRole });
    return { plan: planRole.arn, apply: apply.arn };
  }

  private role(
    key: string,
    suffix: string,
    phase: PhaseRolePlan,
    workspace: { readonly stack: string; readonly name: string; readonly runRole?: { readonly path: string } },
    what: string,
  ): IamRole {
    const { plan, provider, oidcProviderArn } = this.props;
    return createRunRole(this, `${key}-${suffix}role`, {
      environment: plan.environment,
      provider,
      name: phase.name,
      path: workspace.runRole?.path ?? RUN_ROLE_PATH,
      description: `Terraform Cloud ${what} of workspace ${workspace.name} (cdktf-eks-platform)`,
      trust: runRoleTrust(oidcProviderArn, plan.settings.backend.hostname, phase.subject),
      address: `${logicalName(workspace.stack)}${suffix ? `_${suffix}` : ""}`,
    });
  }

  private runPolicy(address: string, name: string, description: string, statements: RunPolicyStatement[]): IamPolicy {
    const { plan, provider } = this.props;
    return stableId(
      new IamPolicy(this, `${address}-policy`, {
        provider,
        name,
        path: RUN_ROLE_PATH,
        description: `${description} (cdktf-eks-platform)`,
        policy: statementsJson(statements),
      }),
      `${logicalName(plan.environment.name)}_${address}`,
    );
  }

  private attach(role: IamRole, address: string, policyArn: string): IamRolePolicyAttachment {
    return stableId(
      new IamRolePolicyAttachment(this, address, { provider: this.props.provider, role: role.name, policyArn }),
      address,
    );
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
