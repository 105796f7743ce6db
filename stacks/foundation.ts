import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { ClusterAccess } from "../modules/access";
import { addonsOfLayer } from "../modules/engine/resolve";
import { coredns } from "../modules/addons/coredns";
import { karpenter } from "../modules/addons/karpenter";
import { renderAddons, type RenderedAddon } from "../modules/engine/render";
import type { ClusterHandle } from "../modules/cluster-handle";
import { EksControlPlane } from "../modules/cluster";
import { COREDNS_PROFILE, FargateCompute, KARPENTER_PROFILE, type FargateProfileSpec } from "../modules/fargate";
import { KarpenterInfrastructure, karpenterCrdRelease, karpenterNodeRoleName } from "../modules/addons/karpenter/infrastructure";
import { nodePoolsRelease } from "../modules/addons/karpenter/node-pools";
import { networkPlacement } from "../modules/vpc";
import { LayerStack, type LayerStackProps } from "./layer-stack";

export type FoundationStackProps = LayerStackProps;

/** `<env>-foundation`: VPC placement, the EKS control plane, access, Fargate, Karpenter and the base add-ons. */
export class FoundationStack extends LayerStack {
  /** The cluster as later layers see it (their reads become cross-stack references). */
  readonly cluster: ClusterHandle;
  readonly addons: ReadonlyMap<string, RenderedAddon>;
  nodePools?: Release;

  constructor(scope: Construct, props: FoundationStackProps) {
    super(scope, "foundation", props);
    const env = this.environment;
    const placement = networkPlacement(this, env);
    const controlPlane = new EksControlPlane(this, "control-plane", { environment: env, network: placement });
    this.cluster = controlPlane.handle;
    this.configureKubernetesProviders(this.cluster);
    new ClusterAccess(this, "access", { environment: env, clusterName: controlPlane.cluster.name });

    const addons = addonsOfLayer(this.addonPlan, "foundation");
    const enabled = (definition: { readonly name: string }) => addons.find((addon) => addon.name === definition.name);
    const karpenterAddon = enabled(karpenter);
    const karpenterOn = karpenterAddon !== undefined;
    const profiles: FargateProfileSpec[] = [
      ...(karpenterOn ? [KARPENTER_PROFILE] : []),
      ...(enabled(coredns)?.definition.runsOn === "fargate" ? [COREDNS_PROFILE] : []),
    ];
    const fargate = profiles.length > 0 ? new FargateCompute(this, "fargate", {
      clusterName: this.cluster.name,
      clusterNameRef: controlPlane.cluster.name,
      account: env.account,
      region: env.region,
      privateSubnetIds: placement.privateSubnetIds,
      profiles,
    }) : undefined;
    const infrastructure = karpenterOn ? new KarpenterInfrastructure(this, "karpenter-infrastructure", {
      clusterName: this.cluster.name,
      clusterNameRef: controlPlane.cluster.name,
      region: env.region,
      spotServiceLinkedRole: env.cluster.spotServiceLinkedRole,
    }) : undefined;

    const profile = (name: string): ITerraformDependable[] => {
      const found = fargate?.profiles.get(name);
      return found ? [found] : [];
    };
    const ctx = this.addonContext(this.cluster);
    const apiAccess = this.cluster.apiAccess;
    const crds = karpenterAddon ? [karpenterCrdRelease(this, { version: karpenterAddon.version, dependsOn: apiAccess })] : [];
    this.addons = renderAddons(this, ctx, addons, {
      dependsOn: apiAccess,
      prerequisites: {
        [coredns.name]: profile(COREDNS_PROFILE.name),
        [karpenter.name]: [...crds, ...profile(KARPENTER_PROFILE.name), ...(infrastructure?.prerequisites ?? [])],
      },
      // Add-ons that need EC2 nodes wait for the node pools, which wait for the Karpenter controller.
      nodeCapacity: (rendered) => {
        const controller = rendered.get(karpenter.name);
        if (!controller || !infrastructure) return [];
        this.nodePools = nodePoolsRelease(this, {
          clusterName: this.cluster.name,
          karpenter: env.karpenter,
          nodeRoleName: karpenterNodeRoleName(this.cluster.name),
          tags: { ...env.tags, environment: env.name },
          dependsOn: [...apiAccess, ...controller.resources, infrastructure.nodeAccessEntry],
        });
        return [this.nodePools];
      },
    });
  }
}
