import { z } from "zod";
import { externalSecretsStatements } from "./iam";
import { PINS } from "../../versions";
import { defineAddon } from "../../engine/types";

/** Construct code, loaded only when the engine renders: the declaration itself loads without cdktf. */
const secretStore = () => require("./secret-store") as typeof import("./secret-store");

const resources = (cpu: string, memory: string, memoryLimit: string) => ({
  requests: { cpu, memory },
  limits: { memory: memoryLimit },
});

/**
 * External Secrets Operator: syncs SSM parameters into Kubernetes Secrets through the `external-secrets.io/v1`
 * APIs. Its CRDs install with the chart; its companion is a ClusterSecretStore for Parameter Store that uses
 * the controller's own identity (Pod Identity by default). Only the controller talks to AWS.
 */
export const externalSecrets = defineAddon({
  name: "external-secrets",
  description: "External Secrets Operator: SSM Parameter Store values as Kubernetes Secrets",
  layer: "operators",
  namespace: "external-secrets",
  serviceAccount: "external-secrets",
  runsOn: "nodes",
  // Restricted: at 2.9.0 the chart's controller, webhook and cert controller containers run non-root (1000) with
  // seccomp RuntimeDefault, no privilege escalation, ALL dropped, read-only root; hostNetwork false for all three.
  podSecurity: { level: "restricted" },
  defaultDelivery: "helm",
  deliveries: [
    {
      kind: "helm",
      repository: "https://charts.external-secrets.io",
      chart: "external-secrets",
      pins: PINS["external-secrets"].helm,
      images: ["image", "webhook.image", "certController.image"].map((at) => ({
        path: [...at.split("."), "repository"],
        upstream: "ghcr.io/external-secrets/external-secrets",
      })),
      values: () => ({
        installCRDs: true,
        // Two controllers with leader election, and a webhook that survives a node drain: a missing webhook
        // blocks every ExternalSecret change cluster-wide.
        replicaCount: 2,
        leaderElect: true,
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        resources: resources("50m", "128Mi", "512Mi"),
        webhook: {
          replicaCount: 2,
          podDisruptionBudget: { enabled: true, minAvailable: 1 },
          resources: resources("25m", "64Mi", "256Mi"),
        },
        certController: { resources: resources("25m", "64Mi", "256Mi") },
      }),
      valuesSchema: z.looseObject({
        installCRDs: z.boolean().optional(),
        replicaCount: z.number().int().min(1).optional(),
        leaderElect: z.boolean().optional(),
      }),
    },
  ],
  identity: { statements: externalSecretsStatements },
  companions: (scope, ctx) => ({
    after: (operator) => {
      secretStore().externalSecretsStores(scope, {
        name: ctx.environment.operators.externalSecrets.storeName,
        region: ctx.region,
        namespace: ctx.addon.namespace,
        dependsOn: operator,
      });
    },
  }),
  docs: "https://external-secrets.io/latest/provider/aws-parameter-store/",
});
