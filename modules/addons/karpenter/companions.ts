import type { Construct } from "constructs";
import { NODE_AGENTS, NODE_CAPACITY } from "../../engine/capabilities";
import { defaultAmiAlias } from "../../versions";
import { POD_NETWORK } from "../vpc-cni";
import type { CompanionContext, CompanionParts } from "../../engine/types";
import { FARGATE_PROFILES, type FargateProfileSpec } from "../../fargate";
import { KarpenterInfrastructure, karpenterCrdRelease, karpenterNodeRoleName } from "./infrastructure";
import { nodePoolsRelease } from "./node-pools";

/** Karpenter's controller runs on Fargate: it must run before (and independently of) the nodes it launches. */
export const KARPENTER_PROFILE: FargateProfileSpec = { name: "karpenter", namespace: "karpenter" };

/**
 * Before the controller: its CRDs (their own release), its Fargate profile, and its AWS side (node role and
 * access entry, interruption queue and rules, optional spot service-linked role). After it: the node pools,
 * which are the layer's node capacity, so add-ons that run on nodes wait for them and are destroyed first.
 */
export function karpenterCompanions(scope: Construct, ctx: CompanionContext): CompanionParts {
  const env = ctx.environment;
  const crds = karpenterCrdRelease(scope, {
    version: ctx.addon.version,
    dependsOn: [...ctx.apiAccess, ...ctx.namespace],
  });
  const profiles = ctx.need(FARGATE_PROFILES).map((fargate) => fargate.profile(KARPENTER_PROFILE));
  const infrastructure = new KarpenterInfrastructure(scope, "karpenter-infrastructure", {
    clusterName: ctx.cluster.name,
    clusterNameRef: ctx.cluster.nameReference,
    region: ctx.region,
    account: ctx.account,
    partition: ctx.partition,
    spotServiceLinkedRole: env.cluster.spotServiceLinkedRole,
  });
  return {
    before: [crds, ...profiles, ...infrastructure.prerequisites],
    after: (controller) => {
      const prefixDelegation = ctx.need(POD_NETWORK).some((network) => network.prefixDelegation);
      const nodePools = nodePoolsRelease(scope, {
        clusterName: ctx.cluster.name,
        karpenter: env.karpenter,
        amiAlias: env.karpenter.amiAlias ?? defaultAmiAlias(ctx.cluster.kubernetesVersion),
        // Karpenter computes max pods from the ENI limits unless told: with prefix delegation that wastes most
        // of each node. 110 is Kubernetes' recommended ceiling and what EKS's max-pods calculator gives below 30 vCPUs.
        maxPods: env.karpenter.maxPods ?? (prefixDelegation ? 110 : undefined),
        // By id: the configured (or created) private subnets and the cluster security group, not whatever else
        // carries a discovery tag; the ids are references, so the pools also wait for them to exist.
        subnetIds: ctx.cluster.privateSubnetIds,
        securityGroupIds: [ctx.cluster.clusterSecurityGroupId],
        nodeRoleName: karpenterNodeRoleName(ctx.cluster.name),
        tags: { ...env.tags, environment: env.name },
        // Node agents (VPC CNI, kube-proxy, Pod Identity agent) before any node, and removed after the last one.
        dependsOn: [...ctx.apiAccess, ...controller, infrastructure.nodeAccessEntry, ...ctx.need(NODE_AGENTS).flat()],
      });
      ctx.provide(NODE_CAPACITY, [nodePools]);
    },
  };
}
