import type { BackendConfig } from "../config/cluster-schema";
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
 * Run roles live under their own IAM path: the platform's IAM grants are scoped to `role/<cluster>-*` and
 * `policy/<cluster>-*`, which can never match `role/terraform-cloud/...`, so a run cannot change its own role.
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

/** `tfc-<cluster>-<layer>`, at most 64 characters (IAM's limit), under RUN_ROLE_PATH. */
export function runRoleName(clusterName: string, layer: Layer): string {
  return `tfc-${clusterName.slice(0, 64 - "tfc-".length - layer.length - 1)}-${layer}`;
}

/** The run role's ARN, computed (no reference): the foundation's access entry names it without reading this stack. */
export function runRoleArn(environment: EnvironmentConfig, layer: Layer): string {
  return `arn:${partitionOf(environment.region)}:iam::${environment.account}:role${RUN_ROLE_PATH}${runRoleName(clusterNameOf(environment), layer)}`;
}

/** The run role of a layer's workspace, when its runs authenticate to AWS through it (dynamic credentials). */
export function dynamicRunRoleArn(environment: EnvironmentConfig, layer: Layer): string | undefined {
  return managedWorkspaces(environment)?.awsAuth === "dynamic" ? runRoleArn(environment, layer) : undefined;
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
 * The run identity token's `sub` for every run phase of one workspace, as HCP Terraform writes it:
 * `organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>`.
 */
export function workloadSubject(settings: ManagedWorkspaceSettings, workspace: string): string {
  return `organization:${settings.backend.organization}:project:${settings.backend.project ?? DEFAULT_PROJECT}:workspace:${workspace}:run_phase:*`;
}

/** The IAM OIDC provider of a Terraform Cloud / Enterprise host in one account: its ARN is its URL without scheme. */
export function workloadProviderArn(environment: EnvironmentConfig, hostname: string): string {
  return `arn:${partitionOf(environment.region)}:iam::${environment.account}:oidc-provider/${hostname}`;
}
