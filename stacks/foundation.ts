import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { ClusterAccess } from "../modules/access";
import { addonsOfLayer, type ResolvedAddon } from "../modules/addons/resolve";
import { renderAddons, type RenderedAddon } from "../modules/addons/render";
import type { ClusterHandle } from "../modules/cluster-handle";
import { EksControlPlane } from "../modules/cluster";
import { COREDNS_PROFILE, FargateCompute, KARPENTER_PROFILE, type FargateProfileSpec } from "../modules/fargate";
import { KarpenterInfrastructure, karpenterCrdRelease, karpenterNodeRoleName } from "../modules/karpenter";
import { nodePoolsRelease } from "../modules/node-pools";
import { networkPlacement } from "../modules/vpc";
import { LayerStack, type LayerStackProps } from "./layer-stack";

export type FoundationStackProps = LayerStackProps;

/** Add-ons whose pods need EC2 nodes: they wait for Karpenter's node pools, not just its controller. */
function needsNodes(addon: ResolvedAddon, all: ReadonlyArray<ResolvedAddon>): boolean {
  return addon.dependsOn.some((dependency) => {
    if (dependency.name === "karpenter") return true;
    const target = all.find((candidate) => candidate.name === dependency.name);
    return target !== undefined && needsNodes(target, all);
  });
}

/** `<env>-foundation`: VPC placement, the EKS control plane, access, Fargate, Karpenter and the base add-ons. */
export class FoundationStack extends LayerStack {
  /** The cluster as later layers see it (their reads become cross-stack references). */
  readonly cluster: ClusterHandle;
  readonly addons: ReadonlyMap<string, RenderedAddon>;
  readonly nodePools?: Release;

  constructor(scope: Construct, props: FoundationStackProps) {
    super(scope, "foundation", props);
    const env = this.environment;
    const placement = networkPlacement(this, env);
    const controlPlane = new EksControlPlane(this, "control-plane", { environment: env, network: placement });
    this.cluster = controlPlane.handle;
    this.configureKubernetesProviders(this.cluster);
    new ClusterAccess(this, "access", { environment: env, clusterName: controlPlane.cluster.name });

    const addons = addonsOfLayer(this.addonPlan, "foundation");
    const enabled = (name: string) => addons.find((addon) => addon.name === name);
    const karpenterAddon = enabled("karpenter");
    const karpenterOn = karpenterAddon !== undefined;
    const profiles: FargateProfileSpec[] = [
      ...(karpenterOn ? [KARPENTER_PROFILE] : []),
      ...(enabled("coredns")?.definition.runsOn === "fargate" ? [COREDNS_PROFILE] : []),
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
    const onNodes = addons.filter((addon) => needsNodes(addon, addons));
    const crds = karpenterAddon ? [karpenterCrdRelease(this, { version: karpenterAddon.version, dependsOn: apiAccess })] : [];
    const rendered = renderAddons(this, ctx, addons.filter((addon) => !onNodes.includes(addon)), {
      dependsOn: apiAccess,
      prerequisites: {
        coredns: profile(COREDNS_PROFILE.name),
        karpenter: [...crds, ...profile(KARPENTER_PROFILE.name), ...(infrastructure?.prerequisites ?? [])],
      },
    });

    const controller = rendered.get("karpenter");
    if (controller && infrastructure) {
      this.nodePools = nodePoolsRelease(this, {
        clusterName: this.cluster.name,
        karpenter: env.karpenter,
        nodeRoleName: karpenterNodeRoleName(this.cluster.name),
        tags: { ...env.tags, environment: env.name },
        dependsOn: [...apiAccess, ...controller.resources, infrastructure.nodeAccessEntry],
      });
    }
    // Pods of these add-ons schedule only once a node pool exists to launch nodes for them.
    const nodesReady = this.nodePools ? [this.nodePools] : [];
    const later = renderAddons(this, ctx, onNodes, {
      dependsOn: [...apiAccess, ...nodesReady],
    });
    this.addons = new Map([...rendered, ...later]);
  }
}
