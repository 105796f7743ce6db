import { Construct } from "constructs";
import type { DataTfeProject } from "@cdktf/provider-tfe/lib/data-tfe-project";
import type { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { RunTrigger } from "@cdktf/provider-tfe/lib/run-trigger";
import { Variable } from "@cdktf/provider-tfe/lib/variable";
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { WorkspaceSettings } from "@cdktf/provider-tfe/lib/workspace-settings";
import { layerInfo, type Layer } from "../layers";
import { logicalName, stableId } from "../naming";
import type { ManagedEnvironmentPlan } from "./plan";

export interface RunRoleArns {
  readonly plan: string;
  readonly apply: string;
}

export interface EnvironmentWorkspacesProps {
  readonly plan: ManagedEnvironmentPlan;
  readonly provider: TfeProvider;
  /** The backend's project, looked up by name; undefined: the organization's default project. */
  readonly project?: DataTfeProject;
  /** Each layer's run role ARNs (references to the roles), when its runs use dynamic credentials. */
  readonly runRoleArns: ReadonlyMap<Layer, RunRoleArns>;
}

/**
 * One environment's workspaces: one per platform stack, named as its `cloud` block names it; execution mode and
 * remote state sharing in `tfe_workspace_settings` (the workspace's own arguments for them are deprecated);
 * state shared with exactly the layers that read it, never globally; run triggers from the layers it reads; and
 * the variables that make plans use the read-only plan role and applies the apply role (HCP Terraform's
 * TFC_AWS_PLAN_ROLE_ARN and TFC_AWS_APPLY_ROLE_ARN; with both set, no TFC_AWS_RUN_ROLE_ARN is needed).
 * Addresses are `<type>.<env>_<layer>[_...]`.
 */
export class EnvironmentWorkspaces extends Construct {
  readonly workspaces: ReadonlyMap<Layer, Workspace>;
  readonly settings: ReadonlyMap<Layer, WorkspaceSettings>;
  readonly triggers: ReadonlyArray<RunTrigger>;
  readonly variables: ReadonlyArray<Variable>;

  constructor(scope: Construct, id: string, props: EnvironmentWorkspacesProps) {
    super(scope, id);
    const { plan, provider } = props;
    const backend = plan.settings.backend;
    const workspaces = new Map<Layer, Workspace>();
    for (const workspace of plan.workspaces) {
      workspaces.set(
        workspace.layer,
        stableId(
          new Workspace(this, `${workspace.layer}-workspace`, {
            provider,
            name: workspace.name,
            organization: backend.organization,
            projectId: props.project?.id,
            tagNames: [...workspace.tags],
            description: `${workspace.stack} (cdktf-eks-platform): ${layerInfo(workspace.layer).description}`,
            // Safe delete: the API refuses to delete a workspace whose state still manages resources.
            forceDelete: false,
          }),
          logicalName(workspace.stack),
        ),
      );
    }
    const idOf = (stack: string) => {
      const found = plan.workspaces.find((workspace) => workspace.stack === stack);
      const resource = found && workspaces.get(found.layer);
      if (!resource) throw new Error(`no managed workspace for stack ${stack}`);
      return resource.id;
    };

    const settings = new Map<Layer, WorkspaceSettings>();
    const triggers: RunTrigger[] = [];
    const variables: Variable[] = [];
    for (const workspace of plan.workspaces) {
      const workspaceId = idOf(workspace.stack);
      const address = logicalName(workspace.stack);
      settings.set(
        workspace.layer,
        stableId(
          new WorkspaceSettings(this, `${workspace.layer}-settings`, {
            provider,
            workspaceId,
            executionMode: plan.settings.executionMode,
            agentPoolId: plan.settings.agentPoolId,
            // Explicit, so an adopted workspace shared with everyone is narrowed to its readers (TFC_STATE_SHARING_SCOPED).
            globalRemoteState: false,
            remoteStateConsumerIds: workspace.sharesStateWith.map(idOf),
          }),
          address,
        ),
      );
      for (const source of workspace.triggeredBy) {
        triggers.push(
          stableId(
            new RunTrigger(this, `${workspace.layer}-trigger-${source}`, {
              provider,
              workspaceId,
              sourceableId: idOf(source),
            }),
            `${address}_from_${logicalName(source)}`,
          ),
        );
      }
      const roleArns = props.runRoleArns.get(workspace.layer);
      if (!roleArns) continue;
      const variable = (name: string, key: string, value: string, description: string) =>
        stableId(
          new Variable(this, `${workspace.layer}-${name}`, {
            provider,
            workspaceId,
            category: "env",
            key,
            value,
            description: `${description} (cdktf-eks-platform)`,
          }),
          `${address}_${name.replaceAll("-", "_")}`,
        );
      variables.push(
        variable(
          "aws-provider-auth",
          "TFC_AWS_PROVIDER_AUTH",
          "true",
          "AWS dynamic provider credentials: runs authenticate with their workload identity token",
        ),
        variable(
          "aws-plan-role-arn",
          "TFC_AWS_PLAN_ROLE_ARN",
          roleArns.plan,
          "The role plans assume (read-only); its trust accepts this workspace's plan phase only",
        ),
        variable(
          "aws-apply-role-arn",
          "TFC_AWS_APPLY_ROLE_ARN",
          roleArns.apply,
          "The role applies assume; its trust accepts this workspace's apply phase only",
        ),
      );
    }
    this.workspaces = workspaces;
    this.settings = settings;
    this.triggers = triggers;
    this.variables = variables;
  }
}
