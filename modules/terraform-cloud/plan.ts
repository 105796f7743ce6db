import { cloudWorkspaceName } from "../backends/cloud";
import type { BackendConfig } from "../config/cluster-schema";
import type { EnvironmentConfig } from "../config/schema";
import { partitionOf } from "../iam/policy";
import { layerInfo, type Layer } from "../layers";
import { stackName } from "../naming";
import {
  clusterNameOf,
  managedWorkspaces,
  runRoleArn,
  runRoleName,
  workloadSubject,
  DEFAULT_PROJECT,
  RUN_ROLE_PATH,
  type ManagedWorkspaceSettings,
} from "./settings";

/**
 * The Terraform Cloud plan: for every environment that manages its workspaces, one workspace per platform stack
 * with its wiring (state shared with the layers that read it, run triggers from the layers it reads) and, with
 * `awsAuth: dynamic`, its run role. Pure data from the platform plan; `TerraformCloudStack` builds it and the
 * report shows it, so the two cannot disagree.
 */

/** The top-level `terraformCloud` settings: where the `terraform-cloud` stack keeps its own state. */
export interface TerraformCloudSettings {
  readonly backend: BackendConfig;
}

export interface RunRolePlan {
  readonly name: string;
  readonly path: string;
  /** Computed from account, path and name, as the foundation's access entry and TFC_AWS_RUN_ROLE_ARN use it. */
  readonly arn: string;
  /** The only `sub` the role's trust accepts: this workspace, any run phase. */
  readonly subject: string;
}

export interface WorkspacePlan {
  readonly layer: Layer;
  /** The platform stack the workspace runs (`<env>-<layer>`). */
  readonly stack: string;
  /** Exactly the name the stack's `cloud` block uses (`cloudWorkspaceName`). */
  readonly name: string;
  readonly tags: ReadonlyArray<string>;
  /** Stacks whose workspaces may read this one's state: the layers that read this layer. */
  readonly sharesStateWith: ReadonlyArray<string>;
  /** Stacks whose successful applies queue a run here: the layers this one reads. */
  readonly triggeredBy: ReadonlyArray<string>;
  readonly runRole?: RunRolePlan;
}

export interface ManagedEnvironmentPlan {
  readonly environment: EnvironmentConfig;
  readonly settings: ManagedWorkspaceSettings;
  /** The project as the run identity token names it (the configured one, or the organization's default). */
  readonly projectName: string;
  readonly clusterName: string;
  readonly partition: string;
  readonly workspaces: ReadonlyArray<WorkspacePlan>;
}

export interface TerraformCloudPlan {
  readonly backend: BackendConfig;
  readonly environments: ReadonlyArray<ManagedEnvironmentPlan>;
}

/** What the plan is made from: each environment with its enabled layers (a `PlatformPlan` has this shape). */
export interface TerraformCloudPlanInput {
  readonly environments: ReadonlyArray<{
    readonly environment: EnvironmentConfig;
    readonly layers: ReadonlyArray<Layer>;
  }>;
  readonly terraformCloud?: TerraformCloudSettings;
}

/** Undefined when no environment manages its workspaces (and then there is no `terraform-cloud` stack). */
export function terraformCloudPlan(input: TerraformCloudPlanInput): TerraformCloudPlan | undefined {
  const environments = input.environments.flatMap(({ environment, layers }) => {
    const settings = managedWorkspaces(environment);
    return settings ? [environmentPlan(environment, settings, layers)] : [];
  });
  if (environments.length === 0) return undefined;
  return { backend: input.terraformCloud?.backend ?? { type: "local" }, environments };
}

function environmentPlan(
  environment: EnvironmentConfig,
  settings: ManagedWorkspaceSettings,
  layers: ReadonlyArray<Layer>,
): ManagedEnvironmentPlan {
  const stackOf = (layer: Layer) => stackName(environment.name, layer);
  const workspaces = layers.map((layer): WorkspacePlan => {
    const stack = stackOf(layer);
    const name = cloudWorkspaceName(settings.backend, stack);
    return {
      layer,
      stack,
      name,
      // Tags say what a workspace is in the UI and in `cloud { workspaces { tags } }` selections.
      tags: [`environment:${environment.name}`, `layer:${layer}`, "managed-by:cdktf-eks-platform"],
      sharesStateWith: layers.filter((reader) => layerInfo(reader).reads.includes(layer)).map(stackOf),
      triggeredBy: layerInfo(layer)
        .reads.filter((read) => layers.includes(read))
        .map(stackOf),
      runRole:
        settings.awsAuth === "dynamic"
          ? {
              name: runRoleName(clusterNameOf(environment), layer),
              path: RUN_ROLE_PATH,
              arn: runRoleArn(environment, layer),
              subject: workloadSubject(settings, name),
            }
          : undefined,
    };
  });
  return {
    environment,
    settings,
    projectName: settings.backend.project ?? DEFAULT_PROJECT,
    clusterName: clusterNameOf(environment),
    partition: partitionOf(environment.region),
    workspaces,
  };
}
