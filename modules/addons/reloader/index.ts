import { z } from "zod";
import { PINS } from "../../versions";
import { karpenter } from "../karpenter";
import { defineAddon } from "../../engine/types";

/** Stakater Reloader: rolls workloads when the ConfigMaps and Secrets they use change. Runs on Karpenter nodes. */
export const reloader = defineAddon({
  name: "reloader",
  description: "Rolling restarts when referenced ConfigMaps or Secrets change",
  layer: "foundation",
  namespace: "reloader",
  serviceAccount: "reloader",
  runsOn: "nodes",
  // Restricted: the chart's pod securityContext (2.2.16) runs as 65534 non-root with seccomp RuntimeDefault, and
  // the platform's containerSecurityContext below denies privilege escalation and drops ALL; no host access.
  podSecurity: { level: "restricted" },
  defaultDelivery: "helm",
  deliveries: [
    {
      kind: "helm",
      repository: "https://stakater.github.io/stakater-charts",
      chart: "reloader",
      pins: PINS.reloader.helm,
      // The chart keeps its service account under `reloader.serviceAccount`.
      serviceAccountValuesPath: ["reloader", "serviceAccount"],
      values: () => ({
        reloader: {
          // Every namespace: workloads opt in with the reloader.stakater.com annotations.
          watchGlobally: true,
          readOnlyRootFileSystem: true,
          reloadStrategy: "annotations",
          enableHA: true,
          deployment: {
            replicas: 2,
            resources: { requests: { cpu: "10m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            containerSecurityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ["ALL"] },
              runAsNonRoot: true,
            },
          },
          podDisruptionBudget: { enabled: true, minAvailable: 1 },
        },
      }),
      valuesSchema: z.looseObject({
        reloader: z
          .looseObject({
            reloadStrategy: z.enum(["default", "env-vars", "annotations"]).optional(),
            watchGlobally: z.boolean().optional(),
            readOnlyRootFileSystem: z.boolean().optional(),
          })
          .optional(),
      }),
    },
  ],
  dependsOn: [karpenter],
  docs: "https://github.com/stakater/Reloader",
});
