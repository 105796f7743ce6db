import { Construct } from "constructs";
import { addonsOfLayer } from "../modules/addons/resolve";
import { renderAddons, type RenderedAddon } from "../modules/addons/render";
import type { ClusterHandle } from "../modules/cluster-handle";
import { EksControlPlane } from "../modules/cluster";
import { networkPlacement } from "../modules/vpc";
import { LayerStack, type LayerStackProps } from "./layer-stack";

export type FoundationStackProps = LayerStackProps;

/** `<env>-foundation`: VPC placement, the EKS control plane, access, Fargate, Karpenter and the base add-ons. */
export class FoundationStack extends LayerStack {
  /** The cluster as later layers see it (their reads become cross-stack references). */
  readonly cluster: ClusterHandle;
  readonly addons: ReadonlyMap<string, RenderedAddon>;

  constructor(scope: Construct, props: FoundationStackProps) {
    super(scope, "foundation", props);
    const placement = networkPlacement(this, this.environment);
    const controlPlane = new EksControlPlane(this, "control-plane", { environment: this.environment, network: placement });
    this.cluster = controlPlane.handle;
    this.configureKubernetesProviders(this.cluster);
    this.addons = renderAddons(this, this.addonContext(this.cluster), addonsOfLayer(this.addonPlan, "foundation"), {
      dependsOn: this.cluster.apiAccess,
    });
  }
}
