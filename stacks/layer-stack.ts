import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import type { ClusterHandle } from "../modules/cluster-handle";
import type { EnvironmentConfig } from "../modules/config/schema";
import { CapabilityRegistry } from "../modules/engine/capabilities";
import { renderAddons, type RenderedAddon } from "../modules/engine/render";
import type { AddonPlan } from "../modules/engine/resolve";
import { addonsOfLayer } from "../modules/engine/install-order";
import type { AddonContext } from "../modules/engine/types";
import { partitionOf } from "../modules/iam/policy";
import { layerInfo, type Layer } from "../modules/layers";
import { stackName } from "../modules/naming";
import { applyPermissionsBoundary } from "../modules/terraform-cloud/boundary";
import { configureEnvironmentStack, configureKubernetesProviders } from "./environment-stack";
import { LAYER_BUILDERS } from "./layers";

export { MINIMUM_TERRAFORM_VERSION } from "./environment-stack";

export interface LayerStackProps {
  readonly environment: EnvironmentConfig;
  /** The environment's resolved add-ons (from the platform plan), computed once per environment. */
  readonly addonPlan: AddonPlan;
  readonly layer: Layer;
  /** The environment's stacks of earlier layers; this one reads those its layer table entry names. */
  readonly earlier: ReadonlyMap<Layer, LayerStack>;
}

/**
 * One layer of one environment: its own state (backend), an AWS provider locked to the environment's account,
 * default tags, the layer's own resources (its `LAYER_BUILDERS` entry), Kubernetes/Helm providers pointed at
 * the cluster, and the layer's add-ons with their companions. Every layer is this one class.
 */
export class LayerStack extends TerraformStack {
  readonly environment: EnvironmentConfig;
  readonly layer: Layer;
  readonly addonPlan: AddonPlan;
  /** The cluster as this layer sees it (cross-stack references outside the foundation). */
  readonly cluster: ClusterHandle;
  /** What the layer's resources and add-on companions provided (node capacity, the ingress group ...). */
  readonly capabilities = new CapabilityRegistry();
  readonly addons: ReadonlyMap<string, RenderedAddon>;

  constructor(scope: Construct, props: LayerStackProps) {
    const env = props.environment;
    const name = stackName(env.name, props.layer);
    super(scope, name);
    this.environment = env;
    this.layer = props.layer;
    this.addonPlan = props.addonPlan;
    configureEnvironmentStack(this, { environment: env, stackName: name, unit: props.layer });
    applyPermissionsBoundary(this, env, "platform");

    const reads = new Map(
      layerInfo(props.layer).reads.map((read) => {
        const stack = props.earlier.get(read);
        if (!stack) throw new Error(`${name} reads the ${read} layer, which was not built first`);
        this.addDependency(stack);
        return [read, stack] as const;
      }),
    );
    const base = LAYER_BUILDERS[props.layer](this, { environment: env, reads, capabilities: this.capabilities });
    this.cluster = base.cluster;
    configureKubernetesProviders(this, env, this.cluster);
    this.addons = renderAddons(this, this.addonContext(), addonsOfLayer(this.addonPlan, props.layer), {
      apiAccess: base.apiAccess,
      adoptNamespaces: props.environment.adoptExistingNamespaces,
      capabilities: this.capabilities,
    });
  }

  /** What add-ons of this layer see. */
  private addonContext(): AddonContext {
    const env = this.environment;
    return {
      environment: env,
      account: env.account,
      region: env.region,
      partition: partitionOf(env.region),
      cluster: this.cluster,
    };
  }
}
