import { z } from "zod";
import { PINS } from "../../versions";
import { defineAddon } from "../../engine/types";

/**
 * CoreDNS must answer before any EC2 node exists (Karpenter itself resolves AWS endpoints), so it runs on
 * Fargate: `computeType: Fargate` plus a Fargate profile for its pods (created by the foundation stack).
 */
export const coredns = defineAddon({
  name: "coredns",
  description: "Cluster DNS, on Fargate so it runs before any node exists",
  layer: "foundation",
  namespace: "kube-system",
  runsOn: "fargate",
  defaultDelivery: "eks-addon",
  deliveries: [
    {
      kind: "eks-addon",
      addonName: "coredns",
      pins: PINS.coredns.eksAddon,
      values: () => ({
        computeType: "Fargate",
        replicaCount: 2,
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
      }),
      valuesSchema: z.looseObject({
        computeType: z.enum(["Fargate", "EC2"]).optional(),
        replicaCount: z.number().int().min(1).optional(),
      }),
    },
  ],
  docs: "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html",
});
