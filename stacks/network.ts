import { Construct } from "constructs";
import { addonsOfLayer } from "../modules/addons/resolve";
import { renderAddons, type RenderedAddon } from "../modules/addons/render";
import type { ClusterHandle } from "../modules/cluster-handle";
import { clusterFrom } from "./cluster-consumer";
import type { FoundationStack } from "./foundation";
import { LayerStack, type LayerStackProps } from "./layer-stack";

export interface NetworkStackProps extends LayerStackProps {
  readonly foundation: FoundationStack;
}

/** `<env>-network`: reads the cluster from the foundation stack. */
export class NetworkStack extends LayerStack {
  readonly cluster: ClusterHandle;
  readonly addons: ReadonlyMap<string, RenderedAddon>;

  constructor(scope: Construct, props: NetworkStackProps) {
    super(scope, "network", props);
    this.addDependency(props.foundation);
    this.cluster = clusterFrom(props.foundation);
    this.configureKubernetesProviders(this.cluster);
    this.addons = renderAddons(this, this.addonContext(this.cluster), addonsOfLayer(this.addonPlan, "network"));
  }
}
