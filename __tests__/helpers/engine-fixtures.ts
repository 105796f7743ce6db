import { z } from "zod";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { eksPodIdentityAgent } from "../../modules/addons/eks-pod-identity-agent";
import { defineAddon, type AddonContext, type AddonDependency, type Values } from "../../modules/engine/types";
import { stableId } from "../../modules/naming";
import type { ClusterHandle } from "../../modules/cluster-handle";
import { validateConfig } from "../../modules/plan";
import type { AddonOverride, EnvironmentConfig } from "../../modules/config/schema";
import type { KubernetesVersion } from "../../modules/versions";
import { minimalEnvironment } from "./config";

/** Fake add-ons and a fake cluster for engine tests: the engine's mechanics without the real catalog. */

const newer: KubernetesVersion[] = ["1.34", "1.35"];
const older: KubernetesVersion[] = ["1.32", "1.33"];

/** An add-on with both deliveries, an identity, values schemas and a non-default service account values path. */
export const demo = defineAddon({
  name: "demo",
  description: "Demo controller with both deliveries",
  layer: "foundation",
  namespace: "demo-system",
  serviceAccount: "demo-controller",
  runsOn: "nodes",
  podSecurity: { level: "restricted" },
  defaultDelivery: "eks-addon",
  deliveries: [
    {
      kind: "eks-addon",
      addonName: "demo-addon",
      pins: [
        { version: "v2.0.0-eksbuild.1", kubernetes: newer },
        { version: "v1.9.0-eksbuild.3", kubernetes: older },
      ],
      values: () => ({ replicas: 2 }),
      valuesSchema: z.looseObject({ replicas: z.number().int().min(1).optional() }),
    },
    {
      kind: "helm",
      repository: "https://charts.example.com",
      chart: "demo-chart",
      pins: [
        { version: "2.0.1", kubernetes: newer },
        { version: "1.9.4", kubernetes: older },
      ],
      serviceAccountValuesPath: ["controller", "serviceAccount"],
      values: (ctx: AddonContext) => ({ replicas: 2, clusterName: ctx.cluster.name, tuning: { qps: 5, burst: 10 } }),
      valuesSchema: z.looseObject({ replicas: z.number().int().min(1).optional() }),
    },
  ],
  identity: {
    statements: (ctx: AddonContext) => [
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: `arn:${ctx.partition}:s3:::demo-bucket/*` },
    ],
  },
});

/** Runs on Fargate, so its identity defaults to IRSA. */
export const fargateDemo = defineAddon({
  name: "fargate-demo",
  description: "Runs on Fargate",
  layer: "foundation",
  namespace: "kube-system",
  serviceAccount: "fargate-demo",
  runsOn: "fargate",
  podSecurity: { level: "restricted" },
  defaultDelivery: "helm",
  deliveries: [
    {
      kind: "helm",
      repository: "https://charts.example.com",
      chart: "fargate-demo",
      pins: [{ version: "0.3.0", kubernetes: [...older, ...newer] }],
    },
  ],
  identity: { managedPolicies: ["AmazonEKSClusterPolicy"] },
});

/** Plain objects with an AWS identity: its service account comes from the engine's `values.serviceAccount`. */
export const manifestsDemo = defineAddon({
  name: "manifests-demo",
  description: "Objects without a chart",
  layer: "foundation",
  namespace: "manifests-demo",
  serviceAccount: "manifests-demo",
  runsOn: "nodes",
  podSecurity: { level: "restricted" },
  defaultDelivery: "manifests",
  deliveries: [
    {
      kind: "manifests",
      pins: [{ version: "0.4.2", kubernetes: [...older, ...newer] }],
      render: (scope, _ctx, input) => {
        const serviceAccount = input.values.serviceAccount as Values & {
          name: string;
          annotations?: Record<string, string>;
        };
        return [
          stableId(
            new ServiceAccountV1(scope, "service-account", {
              metadata: {
                name: serviceAccount.name,
                namespace: "manifests-demo",
                annotations: serviceAccount.annotations,
                labels: { "app.kubernetes.io/version": input.version },
              },
              dependsOn: input.dependsOn,
            }),
            "manifests-demo",
          ),
        ];
      },
    },
  ],
  identity: { managedPolicies: ["AmazonSSMReadOnlyAccess"] },
});

/** Only pinned for old Kubernetes versions. */
export const oldOnly = defineAddon({
  name: "old-only",
  description: "Never updated",
  layer: "network",
  namespace: "old",
  runsOn: "nodes",
  podSecurity: { level: "restricted" },
  defaultDelivery: "helm",
  deliveries: [
    {
      kind: "helm",
      repository: "https://charts.example.com",
      chart: "old",
      pins: [{ version: "0.1.0", kubernetes: ["1.32"] }],
    },
  ],
});

export const base = defineAddon({
  name: "base",
  description: "Depended upon",
  layer: "network",
  namespace: "base",
  runsOn: "nodes",
  podSecurity: { level: "restricted" },
  defaultDelivery: "helm",
  deliveries: [
    {
      kind: "helm",
      repository: "https://charts.example.com",
      chart: "base",
      pins: [{ version: "1.0.0", kubernetes: newer }],
    },
  ],
});

export const dependent = defineAddon({
  name: "dependent",
  description: "Needs base, webhooks ready",
  layer: "network",
  namespace: "dependent",
  runsOn: "nodes",
  podSecurity: { level: "restricted" },
  defaultDelivery: "helm",
  deliveries: [
    {
      kind: "helm",
      repository: "https://charts.example.com",
      chart: "dependent",
      pins: [{ version: "1.0.0", kubernetes: newer }],
    },
  ],
  dependsOn: [{ addon: base, ready: true }],
});

/** Two add-ons that depend on each other (the array is filled after both exist). */
const cycleEdges: AddonDependency[] = [];
export const cycleA = defineAddon({
  name: "cycle-a",
  description: "cycle",
  layer: "network",
  namespace: "a",
  runsOn: "nodes",
  podSecurity: { level: "restricted" },
  defaultDelivery: "helm",
  deliveries: [
    {
      kind: "helm",
      repository: "https://charts.example.com",
      chart: "a",
      pins: [{ version: "1.0.0", kubernetes: newer }],
    },
  ],
  dependsOn: cycleEdges,
});
export const cycleB = defineAddon({
  name: "cycle-b",
  description: "cycle",
  layer: "network",
  namespace: "b",
  runsOn: "nodes",
  podSecurity: { level: "restricted" },
  defaultDelivery: "helm",
  deliveries: [
    {
      kind: "helm",
      repository: "https://charts.example.com",
      chart: "b",
      pins: [{ version: "1.0.0", kubernetes: newer }],
    },
  ],
  dependsOn: [cycleA],
});
cycleEdges.push(cycleB);

export const FAKE_CATALOG = [eksPodIdentityAgent, demo, fargateDemo, manifestsDemo, base, dependent];

/** A validated environment with add-on overrides by name (fake add-ons are not in the config schema). */
export function environmentWith(
  addons: Record<string, AddonOverride>,
  options: { kubernetesVersion?: KubernetesVersion; layers?: Partial<EnvironmentConfig["layers"]> } = {},
): EnvironmentConfig {
  const [validated] = validateConfig({ environments: [minimalEnvironment()] }).environments;
  return {
    ...validated,
    layers: { ...validated.layers, ...options.layers },
    cluster: {
      ...validated.cluster,
      kubernetesVersion: options.kubernetesVersion ?? validated.cluster.kubernetesVersion,
    },
    addons: { ...validated.addons, ...addons } as EnvironmentConfig["addons"],
  };
}

export const OIDC_ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF";

/** The cluster as plain strings, as a later layer would see it after cross-stack references resolve. */
export function fakeContext(environment: EnvironmentConfig): AddonContext {
  const cluster: ClusterHandle = {
    name: "demo-cluster",
    nameReference: "demo-cluster",
    arn: "arn:aws:eks:eu-west-1:111111111111:cluster/demo-cluster",
    kubernetesVersion: environment.cluster.kubernetesVersion as KubernetesVersion,
    endpoint: "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
    certificateAuthorityData: "Y2VydA==",
    oidcProviderArn: `arn:aws:iam::111111111111:oidc-provider/${OIDC_ISSUER}`,
    oidcIssuer: OIDC_ISSUER,
    clusterSecurityGroupId: "sg-0123456789abcdef0",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
    apiAccess: [],
  };
  return { environment, account: environment.account, region: environment.region, partition: "aws", cluster };
}
