import { z } from "zod";
import { PINS } from "../../versions";
import { karpenter } from "../karpenter";
import { defineAddon } from "../../engine/types";

/** Resource metrics for `kubectl top` and the Horizontal Pod Autoscaler. Runs on Karpenter nodes. */
export const metricsServer = defineAddon({
  name: "metrics-server",
  description: "Resource metrics API for kubectl top and autoscaling",
  layer: "foundation",
  namespace: "kube-system",
  serviceAccount: "metrics-server",
  runsOn: "nodes",
  // The chart's securityContext at 3.13.0 (non-root 1000, RuntimeDefault seccomp, drop ALL, no escalation,
  // read-only root) meets restricted; the EKS add-on's spec is not verified here. In kube-system, which stays
  // privileged for the node agents: the level is informative until metrics-server gets a namespace of its own.
  podSecurity: { level: "restricted" },
  defaultDelivery: "eks-addon",
  deliveries: [
    {
      kind: "eks-addon",
      addonName: "metrics-server",
      pins: PINS["metrics-server"].eksAddon,
    },
    {
      kind: "helm",
      repository: "https://kubernetes-sigs.github.io/metrics-server/",
      chart: "metrics-server",
      pins: PINS["metrics-server"].helm,
      values: () => ({
        replicas: 2,
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "400Mi" } },
      }),
      valuesSchema: z.looseObject({ replicas: z.number().int().min(1).optional() }),
    },
  ],
  // Needs nodes: Karpenter must be running to launch them.
  dependsOn: [karpenter],
  docs: "https://github.com/kubernetes-sigs/metrics-server",
});
