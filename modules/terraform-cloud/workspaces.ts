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
import type { TeamWorkspacePlan } from "./team";

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
 * Addresses are `<type>.<env>_<layer>[_...]`; a team stack's (`addTeam`) `<type>.<env>_team_<name>[_...]`.
 */
export class EnvironmentWorkspaces extends Construct {
  readonly workspaces: ReadonlyMap<Layer, Workspace>;
  readonly settings: ReadonlyMap<Layer, WorkspaceSettings>;
  /** Team stacks' workspaces (`addTeam`), by stack name. */
  readonly teamWorkspaces = new Map<string, Workspace>();
  readonly triggers: RunTrigger[] = [];
  readonly variables: Variable[] = [];
  private readonly props: EnvironmentWorkspacesProps;
  /** Every workspace's id (a reference), by stack name. */
  private readonly ids = new Map<string, string>();
  /** Per stack, its settings and the ids of the workspaces that may read its state. */
  private readonly sharing = new Map<string, { settings: WorkspaceSettings; readers: string[] }>();

  constructor(scope: Construct, id: string, props: EnvironmentWorkspacesProps) {
    super(scope, id);
    this.props = props;
    const { plan } = props;
    const workspaces = new Map<Layer, Workspace>();
    for (const workspace of plan.workspaces)
      workspaces.set(
        workspace.layer,
        this.workspace(
          workspace.layer,
          workspace,
          `${workspace.stack} (cdktf-eks-platform): ${layerInfo(workspace.layer).description}`,
        ),
      );
    const settings = new Map<Layer, WorkspaceSettings>();
    for (const workspace of plan.workspaces)
      settings.set(
        workspace.layer,
        this.wire(workspace.layer, workspace.stack, {
          readers: workspace.sharesStateWith.map((stack) => this.idOf(stack)),
          triggeredBy: workspace.triggeredBy,
          roleArns: props.runRoleArns.get(workspace.layer),
        }),
      );
    this.workspaces = workspaces;
    this.settings = settings;
  }

  /**
   * A team stack's workspace, wired as a layer's: state shared by the stacks it reads (added to their readers),
   * runs triggered by their applies, and its run roles' variables. Nobody reads its state.
   */
  addTeam(team: TeamWorkspacePlan, roleArns?: RunRoleArns): Workspace {
    const workspace = this.workspace(team.unit, team, `${team.stack} (cdktf-eks-platform): team ${team.team}'s stack`);
    this.teamWorkspaces.set(team.stack, workspace);
    this.wire(team.unit, team.stack, { readers: [], triggeredBy: team.reads, roleArns });
    for (const stack of team.reads) {
      const shared = this.sharing.get(stack);
      if (!shared) throw new Error(`${team.stack} reads ${stack}, which has no managed workspace`);
      shared.readers.push(workspace.id);
      shared.settings.remoteStateConsumerIds = [...shared.readers];
    }
    return workspace;
  }

  private idOf(stack: string): string {
    const found = this.ids.get(stack);
    if (!found) throw new Error(`no managed workspace for stack ${stack}`);
    return found;
  }

  /** The workspace, named as its stack's `cloud` block names it; `key` is its layer or team unit. */
  private workspace(
    key: string,
    workspace: { readonly stack: string; readonly name: string; readonly tags: ReadonlyArray<string> },
    description: string,
  ): Workspace {
    const { plan, provider, project } = this.props;
    const resource = stableId(
      new Workspace(this, `${key}-workspace`, {
        provider,
        name: workspace.name,
        organization: plan.settings.backend.organization,
        projectId: project?.id,
        tagNames: [...workspace.tags],
        description,
        // Safe delete: the API refuses to delete a workspace whose state still manages resources.
        forceDelete: false,
      }),
      logicalName(workspace.stack),
    );
    this.ids.set(workspace.stack, resource.id);
    return resource;
  }

  /** Its settings (execution mode, state sharing), run triggers and the run roles' variables. */
  private wire(
    key: string,
    stack: string,
    wiring: { readers: string[]; triggeredBy: ReadonlyArray<string>; roleArns?: RunRoleArns },
  ): WorkspaceSettings {
    const { plan, provider } = this.props;
    const workspaceId = this.idOf(stack);
    const address = logicalName(stack);
    const settings = stableId(
      new WorkspaceSettings(this, `${key}-settings`, {
        provider,
        workspaceId,
        executionMode: plan.settings.executionMode,
        agentPoolId: plan.settings.agentPoolId,
        // Explicit, so an adopted workspace shared with everyone is narrowed to its readers (TFC_STATE_SHARING_SCOPED).
        globalRemoteState: false,
        remoteStateConsumerIds: [...wiring.readers],
      }),
      address,
    );
    this.sharing.set(stack, { settings, readers: wiring.readers });
    for (const source of wiring.triggeredBy) {
      this.triggers.push(
        stableId(
          new RunTrigger(this, `${key}-trigger-${source}`, { provider, workspaceId, sourceableId: this.idOf(source) }),
          `${address}_from_${logicalName(source)}`,
        ),
      );
    }
    const roleArns = wiring.roleArns;
    if (!roleArns) return settings;
    const variable = (name: string, variableKey: string, value: string, description: string) =>
      stableId(
        new Variable(this, `${key}-${name}`, {
          provider,
          workspaceId,
          category: "env",
          key: variableKey,
          value,
          description: `${description} (cdktf-eks-platform)`,
        }),
        `${address}_${name.replaceAll("-", "_")}`,
      );
    this.variables.push(
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
    return settings;
  }
}
