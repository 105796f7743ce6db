import type { App } from "cdktf";
import type { ClusterHandle } from "../modules/cluster-handle";
import type { AddonPlan } from "../modules/engine/resolve";
import type { PlatformConfigInput } from "../modules/config-input";
import type { EnvironmentConfig, PlatformConfig } from "../modules/config/schema";
import type { AddonDefinition } from "../modules/engine/types";
import { LAYERS, type Layer } from "../modules/layers";
import { stackName } from "../modules/naming";
import { isPlatformPlan, loadConfigFile, planOf, planPlatform, type PlatformPlan } from "../modules/plan";
import { ENVIRONMENTS_VARIABLE, environmentNamesFrom, selectEnvironments } from "../modules/selection";
import { rememberTerraformVersionChecks } from "../modules/terraform-version-check";
import { portableCluster } from "./cluster-consumer";
import { LayerStack } from "./layer-stack";
import { terraformCloudPlan } from "../modules/terraform-cloud/plan";
import { refuseApplyWithoutEnvironments } from "../modules/terraform-cloud/partial-synth-guard";
import { TerraformCloudStack } from "./terraform-cloud";
import { TeamStack, type TeamStackOptions } from "./team-stack";
import { TeamRunRoleAccess } from "../modules/terraform-cloud/access";

/** The stacks of one environment, by layer; a layer switched off is `undefined`. */
export type EnvironmentStacks = {
  readonly environment: EnvironmentConfig;
  readonly addonPlan: AddonPlan;
  /** The environment's stacks in apply order. */
  readonly stacks: ReadonlyArray<LayerStack>;
  /**
   * The cluster for use in any stack (team stacks, your own): attributes become cross-stack references, and
   * `apiAccess` is empty, since another stack cannot `depends_on` the foundation's resources. Undefined when the
   * foundation layer is off. (`foundation.cluster` is the foundation's own, for use inside that stack only.)
   */
  readonly cluster: ClusterHandle | undefined;
  /**
   * Adds a team's own stack `<env>-team-<name>` to the environment (see `TeamStack`), runs `build` on it and
   * returns it. Where the environment manages its workspaces, the stack also gets its workspace, run roles and
   * access entries (`options.permissions`, `options.access`: modules/terraform-cloud/team.ts).
   */
  addStack(name: string, build?: (stack: TeamStack) => void, options?: TeamStackOptions): TeamStack;
} & { readonly [L in Layer]?: LayerStack };

export interface PlatformProps {
  /**
   * A validated config (`loadConfigFile`, `validateConfig`: it carries its plan), or raw data to validate.
   * Ignored when `plan` is given.
   */
  readonly config?: PlatformConfig | PlatformConfigInput;
  /** A plan from `planPlatform`, when the caller made one already (the report and the app share it). */
  readonly plan?: PlatformPlan;
  /** The add-ons to plan raw config with; default the platform's catalog. A validated config keeps its own. */
  readonly catalog?: ReadonlyArray<AddonDefinition>;
  /**
   * Build only these environments' stacks (their `name`s); the whole config is still validated first, and an
   * unknown name is an error listing the known ones. Default: `$PLATFORM_ENVIRONMENTS` (comma-separated), else all.
   */
  readonly environments?: ReadonlyArray<string>;
  /** Called before each environment is built, for progress output when there are many. */
  readonly onEnvironment?: (environment: EnvironmentConfig, index: number, total: number) => void;
}

/**
 * Every environment's layered stacks, added to a cdktf `App`. The config is planned (validated and resolved,
 * all problems at once) before the first construct is created. Teams compose it in their own app:
 *   const app = new App(); new Platform(app, { config: loadConfigFile("platform.yaml") }); app.synth();
 */
export class Platform {
  readonly plan: PlatformPlan;
  /** The environments built in this synth, in config order: every one, or those `environments` selects. */
  readonly environments: ReadonlyArray<EnvironmentStacks>;
  /** `terraform-cloud`: the workspaces, their wiring and run roles, when an environment has `manageWorkspaces: true`. */
  readonly terraformCloud?: TerraformCloudStack;

  static fromFile(app: App, path: string, options: Omit<PlatformProps, "config" | "plan"> = {}): Platform {
    return new Platform(app, { ...options, config: loadConfigFile(path, { catalog: options.catalog }) });
  }

  constructor(app: App, props: PlatformProps) {
    // A plan is trusted only as planPlatform made it (deep-frozen): a copy may hold text that was never checked.
    if (props.plan && !isPlatformPlan(props.plan))
      throw new Error(
        "props.plan is not a plan made by planPlatform (a copy or a changed one): pass the config instead",
      );
    this.plan = props.plan ?? planOf(props.config) ?? planPlatform(props.config, { catalog: props.catalog });
    // `terraform version` once per process, not once per cloud backend (modules/terraform-version-check.ts).
    rememberTerraformVersionChecks();
    const selected = selectEnvironments(
      this.plan,
      props.environments ?? environmentNamesFrom(process.env[ENVIRONMENTS_VARIABLE]),
    );
    // Every layer's name in every environment, built or not: a team stack must never take one's state or workspace.
    const reserved = new Set(
      this.plan.environments.flatMap(({ environment }) => LAYERS.map((layer) => stackName(environment.name, layer))),
    );
    const total = selected.length;
    this.environments = selected.map(({ environment, addons: addonPlan, layers }, index) => {
      props.onEnvironment?.(environment, index, total);
      const built = new Map<Layer, LayerStack>();
      for (const layer of layers)
        built.set(layer, new LayerStack(app, { environment, addonPlan, layer, earlier: built }));
      const foundation = built.get("foundation");
      const stacks: EnvironmentStacks = {
        environment,
        addonPlan,
        stacks: [...built.values()],
        ...Object.fromEntries(built),
        cluster: foundation && portableCluster(foundation),
        addStack: (name, build, options) => {
          const stack = new TeamStack(app, { ...options, environment: stacks, name, reservedStackNames: reserved });
          this.addTeamWorkspace(stacks, stack, options);
          build?.(stack);
          return stack;
        },
      };
      return stacks;
    });
    // From the whole plan, whichever environments this synth builds: applied with fewer, it would delete the rest's workspaces.
    const cloud = terraformCloudPlan(this.plan);
    this.terraformCloud = cloud && new TerraformCloudStack(app, { plan: cloud, catalog: this.plan.catalog });
    // Team workspaces come from app code, which runs for the built environments only: a synth that leaves a managed
    // environment out must not be applied (modules/terraform-cloud/partial-synth-guard.ts).
    if (this.terraformCloud) {
      const built = new Set(selected.map((entry) => entry.environment.name));
      const missing = cloud!.environments.map((entry) => entry.environment.name).filter((name) => !built.has(name));
      refuseApplyWithoutEnvironments(this.terraformCloud, missing);
    }
    // cdktf deploy applies it first: the built stacks' workspaces (and run roles) come from it.
    const managed = new Set(cloud?.environments.map((entry) => entry.environment.name));
    for (const entry of this.environments)
      if (this.terraformCloud && managed.has(entry.environment.name))
        entry.stacks.forEach((stack) => stack.addDependency(this.terraformCloud!));
  }

  /**
   * A team stack of an environment whose workspaces the platform manages gets what a layer gets: its workspace,
   * wiring and run roles in the terraform-cloud stack (applied before it), and its run roles' access entries in
   * the foundation, beside the layers' (the foundation knows the cluster; the terraform-cloud stack is applied
   * before the cluster exists).
   */
  private addTeamWorkspace(entry: EnvironmentStacks, stack: TeamStack, options: TeamStackOptions = {}): void {
    const cloud = this.terraformCloud;
    const environment = entry.environment;
    if (!cloud?.environments.has(environment.name)) return;
    const team = cloud.addTeam(environment.name, { name: stack.teamName, after: options.after, options });
    stack.addDependency(cloud);
    const foundation = entry.foundation;
    if (foundation && team.access)
      new TeamRunRoleAccess(foundation, `${team.unit}-run-role-access`, {
        environment,
        clusterName: foundation.cluster.nameReference,
        team,
      });
  }

  /**
   * The stacks of the environment called `name`, or `undefined` when this synth leaves it out
   * (`PLATFORM_ENVIRONMENTS`). A name the config does not have is an error.
   */
  environment(name: string): EnvironmentStacks | undefined {
    if (!this.plan.environments.some((entry) => entry.environment.name === name)) {
      throw new Error(
        `no environment '${name}' in the config (it has ${this.plan.environments.map((entry) => entry.environment.name).join(", ")})`,
      );
    }
    return this.environments.find((entry) => entry.environment.name === name);
  }
}
