import { cloudWorkspaceName } from "../backends/cloud-names";
import type { BackendConfig } from "../config/backend-schema";
import type { EnvironmentConfig } from "../config/schema";
import type { TerraformCloudAccountConfig } from "../config/terraform-cloud-schema";
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
  type RunPhase,
  type TeamUnit,
} from "./settings";
import { accountPlans, type AccountPlan } from "./accounts";

/**
 * The Terraform Cloud plan: for every environment that manages its workspaces, one workspace per platform stack
 * with its wiring (state shared with the layers that read it, run triggers from the layers it reads) and, with
 * `awsAuth: dynamic`, its plan and apply roles. Pure data from the platform plan; `TerraformCloudStack` builds it and the
 * report shows it, so the two cannot disagree.
 */

/**
 * The top-level `terraformCloud` settings: where the `terraform-cloud` stack keeps its own state, and per AWS
 * account the role it assumes there and an OIDC provider to adopt.
 */
export interface TerraformCloudSettings {
  readonly backend: BackendConfig;
  readonly accounts?: Readonly<Record<string, TerraformCloudAccountConfig>>;
}

/** One of a workspace's two run roles. */
export interface PhaseRolePlan {
  readonly name: string;
  /** Computed from account, path and name, as the foundation's access entries and the workspace variables use it. */
  readonly arn: string;
  /** The only `sub` the role's trust accepts: this workspace, this run phase. */
  readonly subject: string;
}

/**
 * A workspace's run roles: the apply role (`name`, `arn`, `subject`: `tfc-<cluster>-<layer>`, trusted for
 * `run_phase:apply`, TFC_AWS_APPLY_ROLE_ARN) and the read-only plan role (`plan`, TFC_AWS_PLAN_ROLE_ARN).
 */
export interface RunRolePlan extends PhaseRolePlan {
  readonly path: string;
  readonly plan: PhaseRolePlan;
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
  /** Every account with run roles: how the stack reaches it and its OIDC providers (accounts.ts). */
  readonly accounts: ReadonlyArray<AccountPlan>;
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
  return {
    backend: input.terraformCloud?.backend ?? { type: "local" },
    environments,
    accounts: accountPlans(
      input.environments.map((entry) => entry.environment),
      input.terraformCloud?.accounts ?? {},
    ),
  };
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
              ...phaseRole(environment, settings, layer, name, "apply"),
              path: RUN_ROLE_PATH,
              plan: phaseRole(environment, settings, layer, name, "plan"),
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

/** One run role of a workspace: a layer's, or a team stack's (team.ts). */
export function phaseRole(
  environment: EnvironmentConfig,
  settings: ManagedWorkspaceSettings,
  unit: Layer | TeamUnit,
  workspace: string,
  phase: RunPhase,
): PhaseRolePlan {
  return {
    name: runRoleName(clusterNameOf(environment), unit, phase),
    arn: runRoleArn(environment, unit, phase),
    subject: workloadSubject(settings, workspace, phase),
  };
}
