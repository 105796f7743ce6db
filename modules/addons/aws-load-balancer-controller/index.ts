import { dnsOf } from "../../config/schema";
import { z } from "zod";
import { awsLoadBalancerControllerStatements } from "./iam";
import { PINS } from "../../versions";
import { defineAddon } from "../../engine/types";
import { ALB_INGRESS_CLASS, INGRESS_GROUP } from "./names";

/** Construct code, loaded only when the engine renders: the declaration itself loads without cdktf. */
const ingressGroup = () => require("./ingress-group") as typeof import("./ingress-group");

export { ALB_CONTROLLER, ALB_INGRESS_CLASS, INGRESS_GROUP } from "./names";

/**
 * AWS Load Balancer Controller: ALBs for Ingresses, NLBs for Services. Two replicas with a PodDisruptionBudget;
 * the engine installs it with `wait`, so its webhooks serve before any Ingress or Service is created.
 *
 * - `clusterName`, `region`, `vpcId` are explicit: no instance metadata (hop limit 1 on nodes, none on Fargate).
 * - The chart creates neither IngressClass nor IngressClassParams: the platform owns both (typed IngressClass,
 *   params through `manifestsRelease`), so the class policy is config-driven, tested, and ordered explicitly.
 * - No Service mutator webhook: it would make every Service creation depend on the controller being up.
 * - Webhook certificates come from the chart (`enableCertManager: false`, kept across upgrades), so the
 *   controller does not depend on cert-manager and either can be turned off on its own.
 */
export const awsLoadBalancerController = defineAddon({
  name: "aws-load-balancer-controller",
  description: "ALBs for Ingresses and NLBs for Services",
  layer: "network",
  namespace: "kube-system",
  serviceAccount: "aws-load-balancer-controller",
  runsOn: "nodes",
  // Baseline: the chart's securityContext at 3.5.0 is non-root, read-only, no privilege escalation, but sets no
  // seccomp profile and leaves `capabilities.drop: [ALL]` commented out, which restricted requires. It runs in
  // kube-system (privileged for the node agents).
  podSecurity: {
    level: "baseline",
    reason: "the chart sets no seccompProfile and drops no capabilities by default (restricted requires both)",
  },
  defaultDelivery: "helm",
  deliveries: [
    {
      kind: "helm",
      repository: "https://aws.github.io/eks-charts",
      chart: "aws-load-balancer-controller",
      pins: PINS["aws-load-balancer-controller"].helm,
      images: [{ path: ["image", "repository"], upstream: "public.ecr.aws/eks/aws-load-balancer-controller" }],
      values: (ctx) => ({
        clusterName: ctx.cluster.name,
        region: ctx.region,
        vpcId: ctx.cluster.vpcId,
        replicaCount: 2,
        podDisruptionBudget: { maxUnavailable: 1 },
        ingressClass: ALB_INGRESS_CLASS,
        createIngressClassResource: false,
        ingressClassParams: { create: false },
        enableCertManager: false,
        // The Service mutator webhook (mservice.elbv2.k8s.aws, failurePolicy Fail) rejects every Service created
        // while the controller is not ready: cert-manager's, external-dns's and, in the parallel operators stack,
        // External Secrets' (kubernetes-sigs/aws-load-balancer-controller#4140). The platform creates no
        // LoadBalancer Service; docs/network.md says how to turn it back on safely.
        enableServiceMutatorWebhook: false,
        keepTLSSecret: true,
        defaultTags: { ...ctx.environment.tags, environment: ctx.environment.name, "managed-by": "cdktf-eks-platform" },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
      }),
      valuesSchema: z.looseObject({
        replicaCount: z.number().int().min(1).optional(),
        createIngressClassResource: z
          .literal(false, {
            message: "the platform creates the alb IngressClass; a second one from the chart would conflict",
          })
          .optional(),
        enableCertManager: z
          .literal(false, {
            message:
              "the chart generates its webhook certificates; cert-manager issuing them would make the controller depend on cert-manager",
          })
          .optional(),
      }),
      lockedValues: [
        {
          path: ["clusterName"],
          why: "the cluster whose load balancers it manages (their tags and its IAM conditions name it)",
        },
        { path: ["region"], why: "the environment's region" },
        { path: ["vpcId"], why: "the cluster's VPC, where its target groups and security groups are created" },
        { path: ["ingressClass"], why: "the platform's alb IngressClass and its IngressClassParams" },
        {
          path: ["awsApiEndpoints"],
          why: "the AWS endpoints the controller calls with its role (STS among them, which receives its web identity token)",
        },
      ],
    },
  ],
  identity: { statements: (ctx) => awsLoadBalancerControllerStatements(ctx.partition) },
  provides: [INGRESS_GROUP],
  // After the controller serves its webhooks: the environment's shared ALB (certificate, class, params, owner).
  companions: (scope, ctx) => ({
    after: (controller) => {
      const env = ctx.environment;
      const group = new (ingressGroup().IngressGroup)(scope, "ingress-group", {
        domain: dnsOf(env).domain,
        hostedZoneId: dnsOf(env).hostedZoneId,
        settings: env.network.ingress,
        subnetIds: env.network.ingress.scheme === "internal" ? env.vpc.privateSubnetIds : env.vpc.publicSubnetIds,
        controller,
      });
      ctx.provide(INGRESS_GROUP, { groupName: env.network.ingress.groupName, members: group.members });
    },
  }),
  docs: "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/",
});
