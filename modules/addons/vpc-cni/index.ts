import { z } from "zod";
import { PINS } from "../../versions";
import { defineCapability } from "../../engine/capabilities";
import { defineAddon } from "../../engine/types";

/** How pods get their IP addresses on EC2 nodes, which decides how many fit on a node. */
export interface PodNetwork {
  /** ENABLE_PREFIX_DELEGATION: each ENI slot holds a /28 prefix, so pod density is no longer the ENI limit. */
  readonly prefixDelegation: boolean;
}

export const POD_NETWORK = defineCapability<PodNetwork>("pod networking on EC2 nodes (VPC CNI settings)");

/** Amazon VPC CNI: pod networking on EC2 nodes. First add-on in the cluster: no node can be Ready without it. */
export const vpcCni = defineAddon({
  name: "vpc-cni",
  description: "Amazon VPC CNI: pods get VPC IP addresses",
  layer: "foundation",
  namespace: "kube-system",
  serviceAccount: "aws-node",
  runsOn: "every-node",
  // The aws-node DaemonSet runs in the node's network with privileged containers (the aws-vpc-cni-init init
  // container, the network policy agent with NET_ADMIN) and host paths (CNI binaries and config, the eBPF file
  // system): a node agent, in kube-system, which stays privileged.
  podSecurity: {
    level: "privileged",
    reason: "node agent: host network, privileged init container and network policy agent, host paths",
  },
  defaultDelivery: "eks-addon",
  deliveries: [
    {
      kind: "eks-addon",
      addonName: "vpc-cni",
      pins: PINS["vpc-cni"].eksAddon,
      values: (ctx) => ({
        // Prefix delegation gives Karpenter's larger nodes realistic pod density.
        env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" },
        // NetworkPolicy enforcement: the network policy agent (a container of aws-node) enforces NetworkPolicies
        // on EC2 nodes; EKS's configuration schema takes the string "true" or "false".
        enableNetworkPolicy: String(ctx.environment.network.policyEnforcement),
      }),
      valuesSchema: z.looseObject({ env: z.record(z.string(), z.string()).optional() }),
      lockedValues: [
        {
          path: ["enableNetworkPolicy"],
          why: "set by network.policyEnforcement (on by default; off takes a waiver of NETWORK_POLICY_ENFORCED)",
        },
      ],
    },
  ],
  identity: { managedPolicies: ["AmazonEKS_CNI_Policy"] },
  provides: [POD_NETWORK],
  companions: (_scope, ctx) => {
    const env = (ctx.values.env ?? {}) as Record<string, unknown>;
    ctx.provide(POD_NETWORK, { prefixDelegation: String(env.ENABLE_PREFIX_DELEGATION).toLowerCase() === "true" });
    return {};
  },
  docs: "https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html",
});
