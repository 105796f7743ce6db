import { z } from "zod";
import { PINS } from "../../versions";
import { defineAddon } from "../../engine/types";

/** Amazon VPC CNI: pod networking on EC2 nodes. First add-on in the cluster: no node can be Ready without it. */
export const vpcCni = defineAddon({
  name: "vpc-cni",
  description: "Amazon VPC CNI: pods get VPC IP addresses",
  layer: "foundation",
  namespace: "kube-system",
  serviceAccount: "aws-node",
  runsOn: "every-node",
  defaultDelivery: "eks-addon",
  deliveries: [
    {
      kind: "eks-addon",
      addonName: "vpc-cni",
      pins: PINS["vpc-cni"].eksAddon,
      // Prefix delegation gives Karpenter's larger nodes realistic pod density.
      values: () => ({ env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" } }),
      valuesSchema: z.looseObject({ env: z.record(z.string(), z.string()).optional() }),
    },
  ],
  identity: { managedPolicies: ["AmazonEKS_CNI_Policy"] },
  docs: "https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html",
});
