import { z } from "zod";
import { karpenterControllerStatements } from "./iam";
import { karpenterQueueName } from "./names";
import { PINS } from "../../versions";
import { NODE_AGENTS, NODE_CAPACITY } from "../../engine/capabilities";
import { POD_NETWORK } from "../vpc-cni";
import { defineAddon } from "../../engine/types";
import { FARGATE_PROFILES } from "../../fargate-capability";

/**
 * Karpenter v1: launches every EC2 node of the cluster. Its controller runs on Fargate (it cannot run on the
 * nodes it manages), so its identity is IRSA; its companions are its Fargate profile, CRDs, node role, node
 * access entry, interruption queue, and the node pools it serves (the layer's node capacity).
 */
export const karpenter = defineAddon({
  name: "karpenter",
  description: "Node autoscaling: launches right-sized EC2 capacity for pending pods",
  layer: "foundation",
  namespace: "karpenter",
  serviceAccount: "karpenter",
  runsOn: "fargate",
  // Restricted at v1.14.1 (charts/karpenter/templates/deployment.yaml): the controller container is non-root
  // (65532), privileged false, no privilege escalation, drops ALL, read-only root; the chart's podSecurityContext
  // sets seccompProfile RuntimeDefault; no host network, no host paths. Fargate admits no privileged pod anyway.
  // The karpenter-crd release in the same namespace has no pods.
  podSecurity: { level: "restricted" },
  defaultDelivery: "helm",
  deliveries: [
    {
      kind: "helm",
      repository: "oci://public.ecr.aws/karpenter",
      chart: "karpenter",
      pins: PINS.karpenter.helm,
      images: [{ path: ["controller", "image", "repository"], upstream: "public.ecr.aws/karpenter/controller" }],
      // The CRDs come from the `karpenter-crd` release (helm_release.karpenter_crd), which upgrades them.
      installCrds: false,
      values: (ctx) => ({
        settings: {
          clusterName: ctx.cluster.name,
          clusterEndpoint: ctx.cluster.endpoint,
          interruptionQueue: karpenterQueueName(ctx.cluster.name),
        },
        replicas: 2,
        // On Fargate, before CoreDNS answers, the controller must resolve AWS endpoints through the VPC resolver.
        dnsPolicy: "Default",
        // Fargate has no instance metadata to discover the region from.
        controller: {
          env: [{ name: "AWS_REGION", value: ctx.region }],
          resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
        },
        tolerations: [
          { key: "CriticalAddonsOnly", operator: "Exists" },
          { key: "eks.amazonaws.com/compute-type", operator: "Equal", value: "fargate", effect: "NoSchedule" },
        ],
        logLevel: "info",
      }),
      valuesSchema: z.looseObject({
        replicas: z.number().int().min(1).optional(),
        dnsPolicy: z.enum(["Default", "ClusterFirst"]).optional(),
      }),
      // The cluster it launches nodes for, and the queue its policy and EventBridge rules name.
      lockedValues: [
        {
          path: ["settings", "clusterName"],
          why: "the cluster Karpenter launches nodes for; its IAM policy is scoped to it",
        },
        { path: ["settings", "clusterEndpoint"], why: "the API server its nodes join" },
        {
          path: ["settings", "interruptionQueue"],
          why: "the SQS queue the platform creates and the controller's policy allows",
        },
      ],
      // The controller reads the same settings from its environment (the chart renders them as these variables).
      lockedEnv: [
        { name: "CLUSTER_NAME", why: "settings.clusterName, the cluster Karpenter launches nodes for" },
        { name: "CLUSTER_ENDPOINT", why: "settings.clusterEndpoint, the API server its nodes join" },
        { name: "INTERRUPTION_QUEUE", why: "settings.interruptionQueue, the queue the platform creates" },
      ],
    },
  ],
  identity: { statements: karpenterControllerStatements },
  // Fargate for the controller; the node agents and pod network settings for the node pools.
  needs: [FARGATE_PROFILES, NODE_AGENTS, POD_NETWORK],
  provides: [NODE_CAPACITY],
  // Construct code, loaded only when the engine renders: the declaration itself loads without cdktf.
  companions: (scope, ctx) =>
    (require("./companions") as typeof import("./companions")).karpenterCompanions(scope, ctx),
  docs: "https://karpenter.sh/docs/",
});
