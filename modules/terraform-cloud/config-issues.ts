import { cloudWorkspaceName } from "../backends/cloud-names";
import type { EnvironmentConfig } from "../config/schema";
import type { ConfigIssue } from "../errors";
import { LAYERS, type Layer } from "../layers";
import { stackName } from "../naming";
import { accountIssues } from "./account-issues";
import type { TerraformCloudSettings } from "./plan";
import { managedWorkspaces, runRoleArn, TERRAFORM_CLOUD_STACK } from "./settings";

/**
 * Config rules of Terraform Cloud as code, across fields and environments (the schema checks each field):
 * settings that only mean something with `manageWorkspaces`, agent mode without a pool, hosted runners against
 * a private-only API endpoint, a Terraform role the runs would not be, two environments claiming one workspace,
 * the `terraform-cloud` stack's own backend, and per account how it is reached (account-issues.ts).
 */
export function terraformCloudIssues(
  environments: ReadonlyArray<EnvironmentConfig>,
  settings: TerraformCloudSettings | undefined,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const workspaces = new Map<string, string>();
  environments.forEach((environment, index) => {
    const at = (path: string) => `environments[${index}].${path}`;
    issues.push(...environmentIssues(environment, at));
    const managed = managedWorkspaces(environment);
    if (!managed) return;
    for (const layer of LAYERS) {
      const name = cloudWorkspaceName(managed.backend, stackName(environment.name, layer));
      const key = `${managed.backend.hostname}/${managed.backend.organization}/${name}`;
      const other = workspaces.get(key);
      if (other && other !== environment.name)
        issues.push({
          path: at("backend.workspacePrefix"),
          message: `workspace ${name} in organization ${managed.backend.organization} is also environment ${other}'s`,
          value: managed.backend.workspacePrefix,
          fix: "give one of the environments another workspacePrefix",
        });
      else workspaces.set(key, environment.name);
    }
  });
  issues.push(...stackBackendIssues(environments, settings), ...accountIssues(environments, settings));
  return issues;
}

function environmentIssues(environment: EnvironmentConfig, at: (path: string) => string): ConfigIssue[] {
  const backend = environment.backend;
  if (backend.type !== "cloud") return [];
  const issues: ConfigIssue[] = [];
  if (!backend.manageWorkspaces) {
    for (const key of ["executionMode", "agentPoolId", "awsAuth"] as const) {
      if (backend[key] !== undefined)
        issues.push({
          path: at(`backend.${key}`),
          message:
            "only applies with manageWorkspaces: true (the platform does not touch workspaces it does not manage)",
          value: backend[key],
          fix: "set backend.manageWorkspaces: true, or remove it",
        });
    }
    return issues;
  }
  const mode = backend.executionMode ?? "remote";
  if (mode === "agent" && !backend.agentPoolId)
    issues.push({
      path: at("backend.agentPoolId"),
      message: "is required with executionMode: agent: the runs need a pool to run on",
      fix: "set backend.agentPoolId to your agent pool's id (apool-...)",
    });
  if (mode !== "agent" && backend.agentPoolId)
    issues.push({
      path: at("backend.agentPoolId"),
      message: "only applies with executionMode: agent",
      value: backend.agentPoolId,
      fix: "set backend.executionMode: agent, or remove agentPoolId",
    });
  const endpoint = environment.cluster.endpoint;
  if (mode === "remote" && endpoint.privateAccess && endpoint.publicAccessCidrs.length === 0) {
    issues.push({
      path: at("backend.executionMode"),
      message:
        "HCP Terraform's hosted runners cannot reach a private-only cluster endpoint: every Kubernetes and Helm resource would time out",
      value: mode,
      allowed: "agent",
      fix: "set backend.executionMode: agent with backend.agentPoolId (agents with a route to the VPC), or open the public endpoint to the runners: they have no published address range, so that is cluster.endpoint.publicAccessCidrs: [0.0.0.0/0] with acknowledgeOpenToInternet: true and a policy waiver of EKS_PUBLIC_ENDPOINT",
    });
  }
  if ((backend.awsAuth ?? "dynamic") === "dynamic" && !environment.assumeRoleArn)
    issues.push(...runRoleIdentityIssues(environment, at));
  return issues;
}

/**
 * With dynamic credentials and no assumeRoleArn, each workspace's run role is the identity its providers call
 * the cluster as, and gets the access entry. A different terraformRoleArn would get it instead: every in-cluster
 * resource would then be refused with 401. A principal naming a run role would be a second entry for it.
 */
function runRoleIdentityIssues(environment: EnvironmentConfig, at: (path: string) => string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const runRoles = new Map<string, Layer>(LAYERS.map((layer) => [runRoleArn(environment, layer), layer]));
  const terraformRole = environment.cluster.access.terraformRoleArn;
  if (terraformRole && terraformRole !== runRoleArn(environment, "foundation")) {
    issues.push({
      path: at("cluster.access.terraformRoleArn"),
      message:
        "with awsAuth: dynamic the runs call the cluster as their workspace's run role, not as this role: its access entry would not be theirs and every in-cluster resource would get 401",
      value: terraformRole,
      fix: "remove terraformRoleArn (the run roles get the access entries), set assumeRoleArn to the role the runs should assume, or set backend.awsAuth: none",
    });
  }
  environment.cluster.access.principals.forEach((principal, index) => {
    const layer = runRoles.get(principal.arn);
    if (layer)
      issues.push({
        path: at(`cluster.access.principals[${index}].arn`),
        message: `is the ${layer} workspace's run role, which already has cluster-admin through its own access entry`,
        value: principal.arn,
        fix: "remove this principal",
      });
  });
  return issues;
}

/** The `terraform-cloud` stack's backend: it cannot be one of the workspaces it creates, and has no environment to inherit from. */
function stackBackendIssues(
  environments: ReadonlyArray<EnvironmentConfig>,
  settings: TerraformCloudSettings | undefined,
): ConfigIssue[] {
  const managed = environments.some((environment) => managedWorkspaces(environment) !== undefined);
  if (!settings) return [];
  if (!managed)
    return [
      {
        path: "terraformCloud",
        message: "configures the terraform-cloud stack, which exists only when an environment manages its workspaces",
        fix: "set backend.manageWorkspaces: true on a cloud backend, or remove terraformCloud",
      },
    ];
  const backend = settings.backend;
  const issues: ConfigIssue[] = [];
  if (backend.type === "s3" && !backend.region)
    issues.push({
      path: "terraformCloud.backend.region",
      message:
        "is required: the terraform-cloud stack spans environments, so there is no environment region to default to",
      fix: "set the bucket's region",
    });
  if (backend.type === "cloud") {
    for (const key of ["executionMode", "agentPoolId", "awsAuth"] as const) {
      if (backend[key] !== undefined)
        issues.push({
          path: `terraformCloud.backend.${key}`,
          message: `does not apply to the ${TERRAFORM_CLOUD_STACK} stack's own workspace, which you create (it is applied with an admin token before any workspace exists)`,
          value: backend[key],
          fix: "remove it",
        });
    }
    if (backend.manageWorkspaces)
      issues.push({
        path: "terraformCloud.backend.manageWorkspaces",
        message: `the ${TERRAFORM_CLOUD_STACK} stack cannot create the workspace its own state lives in`,
        value: true,
        fix: "remove it, and create that workspace once by hand (README: Terraform Cloud as code)",
      });
  }
  return issues;
}
