import { z } from "zod";
import { PINS } from "../../versions";
import { defineAddon } from "../../engine/types";
import { FARGATE_PROFILES, type FargateProfileSpec } from "../../fargate-capability";

/** CoreDNS only, not all of kube-system: DNS must answer before any node exists. */
export const COREDNS_PROFILE: FargateProfileSpec = {
  name: "coredns",
  namespace: "kube-system",
  labels: { "k8s-app": "kube-dns" },
};

/**
 * CoreDNS must answer before any EC2 node exists (Karpenter itself resolves AWS endpoints), so it runs on
 * Fargate: `computeType: Fargate` plus a Fargate profile for its pods (its companion).
 */
export const coredns = defineAddon({
  name: "coredns",
  description: "Cluster DNS, on Fargate so it runs before any node exists",
  layer: "foundation",
  namespace: "kube-system",
  runsOn: "fargate",
  // The EKS add-on's pod spec adds only NET_BIND_SERVICE, drops ALL, denies privilege escalation and mounts its
  // root file system read-only, but whether it sets runAsNonRoot and a seccomp profile at every pin is not verified
  // here: baseline (kube-system is privileged anyway).
  podSecurity: {
    level: "baseline",
    reason: "runAsNonRoot and seccompProfile of the EKS add-on's pod spec are not verified at every pin",
  },
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
  needs: [FARGATE_PROFILES],
  companions: (_scope, ctx) => ({
    before: ctx.need(FARGATE_PROFILES).map((fargate) => fargate.profile(COREDNS_PROFILE)),
  }),
  docs: "https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html",
});
