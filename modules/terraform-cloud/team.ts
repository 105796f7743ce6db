import { cloudWorkspaceName } from "../backends/cloud-names";
import { accessPolicyArn } from "../access-names";
import { IssueCollector } from "../errors";
import { partitionOf } from "../iam/policy";
import type { Layer } from "../layers";
import { stackName, teamStackUnit } from "../naming";
import type { ManagedEnvironmentPlan, RunRolePlan } from "./plan";
import { phaseRole } from "./plan";
import { RUN_ROLE_PATH, runRolesBuild, runRolesCallTheCluster, type TeamUnit } from "./settings";
import type { RunPolicyStatement } from "./statements";
import {
  teamApplyStatements,
  teamGuardRailStatements,
  teamPlanStatements,
  teamStatementIssues,
  type TeamPolicyStatement,
} from "./team-policy";

export type { TeamPolicyStatement } from "./team-policy";
export { teamGuardRailStatements };

/**
 * A team stack in an environment whose workspaces the platform manages (`manageWorkspaces: true`) gets what a
 * layer gets, in the `terraform-cloud` stack: its workspace `<workspacePrefix><env>-team-<name>` (project, tags,
 * execution mode), the state of exactly the stacks it reads (the foundation and its `after` layers) shared with
 * it, run triggers from them and, with dynamic credentials, a plan and an apply role
 * (`/terraform-cloud/tfc-<cluster>-team-<name>[-plan]`) built as the layers' are; and in the foundation, the
 * EKS access entries of those roles (the access the team asks for). Pure data, as plan.ts.
 */

/** The team's Kubernetes access: an EKS access policy scoped to namespaces. */
export interface TeamAccess {
  /** `edit` (default: AmazonEKSEditPolicy), `admin` (AmazonEKSAdminPolicy) or `view` (AmazonEKSViewPolicy). */
  readonly level?: TeamAccessLevel;
  /** The namespaces the access is limited to (default: the team's name). Never cluster-wide. */
  readonly namespaces?: ReadonlyArray<string>;
}

export const teamAccessLevels = ["admin", "edit", "view"] as const;
export type TeamAccessLevel = (typeof teamAccessLevels)[number];

/** The workspace options of `addStack` (used where the environment manages its workspaces). */
export interface TeamWorkspaceOptions {
  /**
   * What the stack's apply role may do in AWS besides the guard rails' denies (team-policy.ts), as literal IAM
   * statements; its plan role gets their reads. Default none. No `*`, no IAM, STS or account administration, no
   * EKS write. Used where the workspace's runs build with their own roles (dynamic credentials, no
   * `assumeRoleArn`; with one, every run assumes that role and it decides).
   */
  readonly permissions?: ReadonlyArray<TeamPolicyStatement>;
  /**
   * The apply role's Kubernetes access (default `{ level: "edit", namespaces: [<name>] }`); its plan role gets
   * AmazonEKSAdminViewPolicy in the same namespaces (Helm release Secrets included). `false`: no access entry.
   */
  readonly access?: TeamAccess | false;
}

/** A team's workspace in the Terraform Cloud plan. */
export interface TeamWorkspacePlan {
  readonly team: string;
  /** `team-<name>`: the part of the stack's, workspace's and roles' names after the environment's. */
  readonly unit: TeamUnit;
  readonly stack: string;
  readonly name: string;
  readonly tags: ReadonlyArray<string>;
  /** The stacks it reads (their state is shared with it) and whose applies queue a run here. */
  readonly reads: ReadonlyArray<string>;
  readonly runRole?: RunRolePlan;
  /** The apply role's team policy and the plan role's (its reads); empty where the roles get none. */
  readonly applyStatements: ReadonlyArray<RunPolicyStatement>;
  readonly planStatements: ReadonlyArray<RunPolicyStatement>;
  /** The access entries' policies and namespaces; undefined: none. */
  readonly access?: TeamAccessPlan;
}

export interface TeamAccessPlan {
  readonly applyPolicyArn: string;
  readonly planPolicyArn: string;
  readonly namespaces: ReadonlyArray<string>;
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The team's workspace; throws a PlatformConfigError naming every problem with the options. */
export function teamWorkspacePlan(
  managed: ManagedEnvironmentPlan,
  team: { readonly name: string; readonly after?: ReadonlyArray<Layer>; readonly options: TeamWorkspaceOptions },
): TeamWorkspacePlan {
  const env = managed.environment;
  const { settings } = managed;
  const unit = teamStackUnit(team.name) as TeamUnit;
  const stack = stackName(env.name, unit);
  const name = cloudWorkspaceName(settings.backend, stack);
  const issues = new IssueCollector();
  if (team.name.endsWith("-plan"))
    issues.add({
      path: "name",
      message: "ends in -plan, as the plan role of team '" + team.name.slice(0, -5) + "' is named",
      value: team.name,
      allowed: "a name that does not end in -plan",
    });
  const statements = team.options.permissions ?? [];
  issues.addAll(teamStatementIssues(statements));
  const access = team.options.access === false ? undefined : (team.options.access ?? {});
  const level = access?.level ?? "edit";
  const namespaces = [...(access?.namespaces ?? [team.name])];
  if (access && !teamAccessLevels.includes(level))
    issues.add({
      path: "access.level",
      message: "is not a team's access level (cluster-wide admin stays the platform's)",
      value: level,
      allowed: teamAccessLevels.join(", "),
    });
  if (access && namespaces.length === 0)
    issues.add({
      path: "access.namespaces",
      message: "is empty: team access is scoped to namespaces, never cluster-wide",
      value: namespaces,
      allowed: "one or more namespace names",
      fix: "leave it out for the team's own namespace, or `access: false` for no access entry",
    });
  namespaces.forEach((namespace, index) => {
    if (!NAMESPACE.test(namespace))
      issues.add({
        path: `access.namespaces[${index}]`,
        message: "is not a Kubernetes namespace name",
        value: namespace,
        allowed: "a DNS label: lowercase letters, digits and '-', at most 63 characters",
      });
  });
  issues.throwIfAny(`the options of ${stack} (environment.addStack("${team.name}", ...))`);
  const reads = ["foundation" as Layer, ...(team.after ?? [])].map((layer) => stackName(env.name, layer));
  const dynamic = settings.awsAuth === "dynamic";
  const builds = runRolesBuild(env);
  const partition = partitionOf(env.region);
  return {
    team: team.name,
    unit,
    stack,
    name,
    tags: [`environment:${env.name}`, `team:${team.name}`, "managed-by:cdktf-eks-platform"],
    reads: [...new Set(reads)],
    runRole: dynamic
      ? {
          ...phaseRole(env, settings, unit, name, "apply"),
          path: RUN_ROLE_PATH,
          plan: phaseRole(env, settings, unit, name, "plan"),
        }
      : undefined,
    applyStatements: dynamic && builds ? teamApplyStatements(statements) : [],
    planStatements: dynamic && builds ? teamPlanStatements(statements) : [],
    access:
      access && runRolesCallTheCluster(env)
        ? {
            applyPolicyArn: accessPolicyArn(env.region, level),
            planPolicyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy`,
            namespaces,
          }
        : undefined,
  };
}
