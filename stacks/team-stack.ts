import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import type { ClusterHandle } from "../modules/cluster-handle";
import type { EnvironmentConfig } from "../modules/config/schema";
import type { Layer } from "../modules/layers";
import { stackName, teamStackUnit } from "../modules/naming";
import { applyPermissionsBoundary } from "../modules/terraform-cloud/boundary";
import { portableCluster } from "./cluster-consumer";
import { configureEnvironmentStack, configureKubernetesProviders } from "./environment-stack";
import type { LayerStack } from "./layer-stack";
import type { TeamWorkspaceOptions } from "../modules/terraform-cloud/team";

/**
 * A team's own stack in an environment, beside the platform's layers: the environment's backend (its own state),
 * the account-guarded AWS provider with the environment's default tags, Kubernetes and Helm providers for the
 * environment's cluster, and the cluster read from the foundation through cdktf cross-stack references (outputs
 * and remote state, like the later layers). It is applied after the foundation and any layer in `after`.
 *
 *   const payments = platform.environment("prod")?.addStack("payments");
 *   new KubernetesNamespaceV1(payments, "ns", { metadata: { name: "payments" } });
 */

/** The parts of an environment a team stack is built from (`EnvironmentStacks` has them). */
export interface TeamStackEnvironment {
  readonly environment: EnvironmentConfig;
  readonly foundation?: LayerStack;
  readonly network?: LayerStack;
  readonly storage?: LayerStack;
  readonly operators?: LayerStack;
}

/** `after`, `policyPack`, and where the environment manages its workspaces `permissions` and `access` (team.ts). */
export interface TeamStackOptions extends TeamWorkspaceOptions {
  /** Layers besides the foundation this stack is applied after (and destroyed before), e.g. `["network"]`. */
  readonly after?: ReadonlyArray<Layer>;
  /**
   * Check the stack against the platform's policy pack with the environment's waivers (default true). `false`
   * needs a POLICY_PACK_ON waiver naming the stack (`<env>-team-<name>`); the provider rules still run.
   */
  readonly policyPack?: boolean;
}

export interface TeamStackProps extends TeamStackOptions {
  readonly environment: TeamStackEnvironment;
  /** The team's name for the stack: a DNS label; the stack is `<env>-team-<name>`. */
  readonly name: string;
  /** Stack names taken by the platform (every layer of every environment of the config, built or not). */
  readonly reservedStackNames?: ReadonlySet<string>;
}

const TEAM_NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;

export class TeamStack extends TerraformStack {
  readonly environment: EnvironmentConfig;
  /** The name the team gave the stack (`payments`); the stack itself is `<env>-team-<name>`. */
  readonly teamName: string;
  /**
   * The environment's cluster as this stack sees it: cross-stack references, `apiAccess` empty (the foundation's
   * resources cannot be `depends_on` targets in another state; the stack dependency orders the applies instead).
   */
  readonly cluster: ClusterHandle;

  constructor(scope: Construct, props: TeamStackProps) {
    const env = props.environment.environment;
    const foundation = props.environment.foundation;
    if (!TEAM_NAME.test(props.name))
      throw new Error(
        `team stack name '${props.name}' must be DNS-safe: lowercase letters, digits and '-', starting with a letter, at most 32 characters`,
      );
    if (!foundation)
      throw new Error(
        `environment ${env.name} has no foundation stack (layers.foundation is off): a team stack needs its cluster`,
      );
    const unit = teamStackUnit(props.name);
    const name = stackName(env.name, unit);
    if (props.reservedStackNames?.has(name))
      throw new Error(
        `team stack ${name} would share its name, state and workspace with a platform stack of the same name: choose another name than '${props.name}'`,
      );
    super(scope, name);
    this.environment = env;
    this.teamName = props.name;
    configureEnvironmentStack(this, { environment: env, stackName: name, unit, policyPack: props.policyPack });
    // The organization's boundary (iam.permissionsBoundaryArn) on every role the team creates too.
    applyPermissionsBoundary(this, env, "team");
    for (const layer of ["foundation", ...(props.after ?? [])] as const) {
      const stack = props.environment[layer];
      if (!stack)
        throw new Error(
          `${name} is to be applied after the ${layer} layer, which environment ${env.name} does not build`,
        );
      this.addDependency(stack);
    }
    this.cluster = portableCluster(foundation);
    configureKubernetesProviders(this, env, this.cluster);
  }
}
