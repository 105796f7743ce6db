import { Construct } from "constructs";
import { addonsOfLayer } from "../modules/addons/resolve";
import { renderAddons, type RenderedAddon } from "../modules/addons/render";
import type { ClusterHandle } from "../modules/cluster-handle";
import { clusterFrom } from "./cluster-consumer";
import type { FoundationStack } from "./foundation";
import { LayerStack, type LayerStackProps } from "./layer-stack";

export interface OperatorsStackProps extends LayerStackProps {
  readonly foundation: FoundationStack;
}

/** `<env>-operators`: reads the cluster from the foundation stack. */
export class OperatorsStack extends LayerStack {
  readonly cluster: ClusterHandle;
  readonly addons: ReadonlyMap<string, RenderedAddon>;

  constructor(scope: Construct, props: OperatorsStackProps) {
    super(scope, "operators", props);
    this.addDependency(props.foundation);
    this.cluster = clusterFrom(props.foundation);
    this.configureKubernetesProviders(this.cluster);
    this.addons = renderAddons(this, this.addonContext(this.cluster), addonsOfLayer(this.addonPlan, "operators"));
  }
}
