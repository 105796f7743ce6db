import { Construct } from "constructs";
import { addonsOfLayer } from "../modules/addons/resolve";
import { renderAddons, type RenderedAddon } from "../modules/addons/render";
import type { ClusterHandle } from "../modules/cluster-handle";
import { clusterFrom } from "./cluster-consumer";
import type { FoundationStack } from "./foundation";
import { LayerStack, type LayerStackProps } from "./layer-stack";

export interface StorageStackProps extends LayerStackProps {
  readonly foundation: FoundationStack;
}

/** `<env>-storage`: reads the cluster from the foundation stack. */
export class StorageStack extends LayerStack {
  readonly cluster: ClusterHandle;
  readonly addons: ReadonlyMap<string, RenderedAddon>;

  constructor(scope: Construct, props: StorageStackProps) {
    super(scope, "storage", props);
    this.addDependency(props.foundation);
    this.cluster = clusterFrom(props.foundation);
    this.configureKubernetesProviders(this.cluster);
    this.addons = renderAddons(this, this.addonContext(this.cluster), addonsOfLayer(this.addonPlan, "storage"));
  }
}
