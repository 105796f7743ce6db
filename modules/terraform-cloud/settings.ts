import type { BackendConfig } from "../config/backend-schema";
import type { EnvironmentConfig } from "../config/schema";
import { partitionOf } from "../iam/policy";
import type { Layer } from "../layers";

/**
 * Terraform Cloud as code: what an environment's `backend: { type: cloud, manageWorkspaces: true, ... }` means,
 * with the defaults applied, and the names derived from it. The config schema leaves `executionMode` and
 * `awsAuth` without defaults (so the config checks see whether they were written); this is the one place the
 * defaults are applied. Everything here is pure: the stack, the foundation's access entries, the report and the
 * config checks all read it, so a name can never differ between them.
 */

export type CloudBackendConfig = Extract<BackendConfig, { type: "cloud" }>;
export type ExecutionMode = NonNullable<CloudBackendConfig["executionMode"]>;
export type AwsAuth = NonNullable<CloudBackendConfig["awsAuth"]>;

export interface ManagedWorkspaceSettings {
  readonly backend: CloudBackendConfig;
  readonly executionMode: ExecutionMode;
  readonly agentPoolId?: string;
  readonly awsAuth: AwsAuth;
}

/** The stack the workspaces, their wiring and the run roles live in (its own state). */
export const TERRAFORM_CLOUD_STACK = "terraform-cloud";

/**
 * The project a workspace lands in when the backend names none. Its name is part of the run identity token's
 * `sub` claim; an organization that renamed its default project must name it in `backend.project`.
 */
export const DEFAULT_PROJECT = "Default Project";

/**
 * Default audience of HCP Terraform's AWS workload identity tokens (`TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE` unset),
 * as the dynamic provider credentials docs and hashicorp/terraform-dynamic-credentials-setup-examples use it.
 */
export const WORKLOAD_AUDIENCE = "aws.workload.identity";

/**
 * Run roles, their policies and the platform's permissions boundary live under their own IAM path: the run roles'
 * IAM grants name the platform's roles and policies exactly (none under it), and the run policy explicitly denies
 * every write under it, so a run cannot change its own role, its policies or the boundary.
 */
export const RUN_ROLE_PATH = "/terraform-cloud/";

/** The environment's managed-workspace settings with defaults applied; undefined when it does not manage them. */
export function managedWorkspaces(environment: EnvironmentConfig): ManagedWorkspaceSettings | undefined {
  const backend = environment.backend;
  if (backend.type !== "cloud" || !backend.manageWorkspaces) return undefined;
  return {
    backend,
    executionMode: backend.executionMode ?? "remote",
    agentPoolId: backend.agentPoolId,
    awsAuth: backend.awsAuth ?? "dynamic",
  };
}

export function clusterNameOf(environment: EnvironmentConfig): string {
  return environment.cluster.name ?? environment.name;
}

/**
 * A run's phase, as the run identity token's `sub` ends (`run_phase:plan` / `run_phase:apply`). Each workspace
 * has a role per phase: plans (speculative and pull-request ones too) get read-only credentials, applies the
 * write ones (TFC_AWS_PLAN_ROLE_ARN / TFC_AWS_APPLY_ROLE_ARN).
 */
export type RunPhase = "plan" | "apply";

/** A team stack's part of its names (`team-<name>`, as `teamStackUnit` makes it). */
export type TeamUnit = `team-${string}`;

/**
 * `tfc-<cluster>-<layer>` (the apply role, the name run roles always had) and `tfc-<cluster>-<layer>-plan`, at
 * most 64 characters (IAM's limit), under RUN_ROLE_PATH. A team stack's roles are named the same way after its
 * unit (`tfc-<cluster>-team-<name>`, modules/terraform-cloud/team.ts).
 */
export function runRoleName(clusterName: string, unit: Layer | TeamUnit, phase: RunPhase = "apply"): string {
  const suffix = phase === "plan" ? `-${unit}-plan` : `-${unit}`;
  return `tfc-${clusterName.slice(0, 64 - "tfc-".length - suffix.length)}${suffix}`;
}

/** A run role's ARN, computed (no reference): the foundation's access entries name it without reading this stack. */
export function runRoleArn(environment: EnvironmentConfig, unit: Layer | TeamUnit, phase: RunPhase = "apply"): string {
  return `${iamArnPrefix(environment)}:role${RUN_ROLE_PATH}${runRoleName(clusterNameOf(environment), unit, phase)}`;
}

/** The run role of a layer's workspace, when its runs authenticate to AWS through it (dynamic credentials). */
export function dynamicRunRoleArn(environment: EnvironmentConfig, layer: Layer): string | undefined {
  return managedWorkspaces(environment)?.awsAuth === "dynamic" ? runRoleArn(environment, layer) : undefined;
}

/**
 * Whether each workspace's run roles call the cluster as themselves and so get access entries of their own (in
 * the foundation, modules/terraform-cloud/access.ts): dynamic credentials, no assumeRoleArn (an assumed role is
 * every run's identity, and the foundation's one entry covers it), and no terraformRoleArn other than the
 * foundation's apply role (config-issues.ts refuses any other).
 */
export function runRolesCallTheCluster(environment: EnvironmentConfig): boolean {
  const foundationRole = dynamicRunRoleArn(environment, "foundation");
  const terraformRole = environment.cluster.access.terraformRoleArn;
  return (
    foundationRole !== undefined && !environment.assumeRoleArn && (!terraformRole || terraformRole === foundationRole)
  );
}

/**
 * The identity a layer's Kubernetes and Helm providers call the cluster as, when the platform knows it: the
 * configured Terraform role, the assumed role, or the workspace's run role. Undefined: whoever runs Terraform.
 */
export function providerIdentityArn(environment: EnvironmentConfig, layer: Layer): string | undefined {
  return (
    environment.cluster.access.terraformRoleArn ?? environment.assumeRoleArn ?? dynamicRunRoleArn(environment, layer)
  );
}

/**
 * The run identity token's `sub` for one run phase of one workspace, as HCP Terraform writes it:
 * `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>`.
 */
export function workloadSubject(settings: ManagedWorkspaceSettings, workspace: string, phase: RunPhase): string {
  return `organization:${settings.backend.organization}:project:${settings.backend.project ?? DEFAULT_PROJECT}:workspace:${workspace}:run_phase:${phase}`;
}

/** The IAM OIDC provider of a Terraform Cloud / Enterprise host in one account: its ARN is its URL without scheme. */
export function workloadProviderArn(environment: EnvironmentConfig, hostname: string): string {
  return `arn:${partitionOf(environment.region)}:iam::${environment.account}:oidc-provider/${hostname}`;
}

/** `arn:<partition>:iam::<account>` of the environment's account. */
export function iamArnPrefix(environment: EnvironmentConfig): string {
  return `arn:${partitionOf(environment.region)}:iam::${environment.account}`;
}

/**
 * Whether the environment's run roles build the platform themselves (dynamic credentials, no assumeRoleArn): then
 * they hold IAM write on the platform's names, and every role the platform creates carries the permissions
 * boundary (modules/terraform-cloud/boundary.ts).
 */
export function runRolesBuild(environment: EnvironmentConfig): boolean {
  return managedWorkspaces(environment)?.awsAuth === "dynamic" && !environment.assumeRoleArn;
}

/**
 * The start every IAM name of the cluster's platform roles and policies has: `<cluster>-`, or, for names over 30
 * characters, their first 30 (roleName in modules/iam/addon-identity.ts keeps at least that much before
 * `-<purpose>`, more when the purpose is short, so no hyphen can follow a fixed position). The config refuses two
 * clusters of an account whose starts overlap (config-issues.ts), so `<start>*` matches this cluster's names only.
 */
export function platformNameStart(clusterName: string): string {
  return clusterName.length > 30 ? clusterName.slice(0, 30) : `${clusterName}-`;
}

/** The start of the instance profiles Karpenter creates for the cluster (`<cluster>_<hash>`). */
export function instanceProfileStart(clusterName: string): string {
  return `${clusterName}_`;
}

/** `tfc-<cluster>-boundary` under RUN_ROLE_PATH: the permissions boundary of every platform role (boundary-policy.ts). */
export function boundaryPolicyName(clusterName: string): string {
  return `tfc-${clusterName.slice(0, 100)}-boundary`;
}

/** The boundary's ARN, computed: the platform stacks name it without reading the terraform-cloud stack. */
export function boundaryPolicyArn(environment: EnvironmentConfig): string {
  return `${iamArnPrefix(environment)}:policy${RUN_ROLE_PATH}${boundaryPolicyName(clusterNameOf(environment))}`;
}

/** The organization's permissions boundary (`iam.permissionsBoundaryArn`), when the environment configures one. */
export function organizationBoundaryArn(environment: EnvironmentConfig): string | undefined {
  return environment.iam.permissionsBoundaryArn;
}

/**
 * Whether the terraform-cloud stack creates the platform's own boundary (`<env>_boundary`, boundary-policy.ts):
 * when runs build the platform and the organization configures no boundary of its own.
 */
export function platformBoundaryBuilt(environment: EnvironmentConfig): boolean {
  return runRolesBuild(environment) && organizationBoundaryArn(environment) === undefined;
}

/**
 * The permissions boundary every role of the environment's platform stacks carries, and the only one Terraform
 * Cloud runs may create or change a role with: the organization's when configured, else the platform's own when
 * runs build the platform, else none. A role has exactly one boundary, so the organization's REPLACES the
 * platform's on the roles runs create; the run policy then pins the organization's (no role without it, none
 * removed or changed, the policy itself untouchable), and what caps a platform role a run rewrote is the
 * organization's boundary, not the platform's narrower one (docs/foundation.md, "Permissions boundaries").
 */
export function platformRoleBoundaryArn(environment: EnvironmentConfig): string | undefined {
  return (
    organizationBoundaryArn(environment) ?? (runRolesBuild(environment) ? boundaryPolicyArn(environment) : undefined)
  );
}

/** platformRoleBoundaryArn where runs build the platform, which always gives one: what their IAM grants require. */
export function requiredBoundary(environment: EnvironmentConfig): string {
  const boundary = platformRoleBoundaryArn(environment);
  if (!boundary) throw new Error(`environment ${environment.name}: its runs do not build the platform (no boundary)`);
  return boundary;
}

/** Who builds an environment's stack: the platform's layers, or a team (stacks/team-stack.ts). */
export type StackOwner = "platform" | "team";

/**
 * The boundary every role of a stack of the environment carries (boundary.ts sets it; the policy pack's
 * IAM_PERMISSIONS_BOUNDARY checks the organization's): the platform's layers platformRoleBoundaryArn; team stacks the
 * organization's only (the platform's own caps roles to the platform's services, and no platform run builds them).
 */
export function stackRoleBoundaryArn(environment: EnvironmentConfig, owner: StackOwner): string | undefined {
  return owner === "platform" ? platformRoleBoundaryArn(environment) : organizationBoundaryArn(environment);
}
