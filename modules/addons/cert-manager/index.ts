import { dnsOf } from "../../config/schema";
import { z } from "zod";
import { certManagerDns01Statements } from "./iam";
import { PINS } from "../../versions";
import { defineAddon } from "../../engine/types";

/** Construct code, loaded only when the engine renders: the declaration itself loads without cdktf. */
const clusterIssuer = () => require("./cluster-issuer") as typeof import("./cluster-issuer");

const highlyAvailable = { replicaCount: 2, podDisruptionBudget: { enabled: true, maxUnavailable: 1 } };

/**
 * cert-manager: X.509 certificates in the cluster, and (with `network.acmeIssuer`) an ACME ClusterIssuer that
 * solves DNS-01 in the environment's hosted zone. Helm by default: the chart pin (v1.21.1) is newer than the
 * EKS community add-on, and its values are checked against the chart's published values.schema.json.
 */
export const certManager = defineAddon({
  name: "cert-manager",
  description: "Certificates in the cluster; optional ACME issuer with Route 53 DNS-01",
  layer: "network",
  namespace: "cert-manager",
  serviceAccount: "cert-manager",
  runsOn: "nodes",
  // Restricted: at v1.21.1 the chart's controller, webhook, cainjector and startupapicheck Job all run non-root
  // with seccomp RuntimeDefault, no privilege escalation, ALL dropped, read-only root; webhook.hostNetwork is
  // false. The EKS community add-on is built from the same chart (its manifest not verified here).
  podSecurity: { level: "restricted" },
  defaultDelivery: "helm",
  deliveries: [
    {
      kind: "helm",
      repository: "https://charts.jetstack.io",
      chart: "cert-manager",
      pins: PINS["cert-manager"].helm,
      // Every cert-manager image (controller, webhook, cainjector, ACME solver, startupapicheck) is
      // <imageRegistry>/<imageNamespace>/<name>.
      images: [{ path: ["imageRegistry"], upstream: "quay.io" }],
      values: () => ({
        // CRDs belong to the release (and are kept if it is ever uninstalled, so certificates survive).
        crds: { enabled: true, keep: true },
        ...highlyAvailable,
        webhook: highlyAvailable,
        cainjector: highlyAvailable,
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
      }),
      valuesSchema: z.looseObject({
        crds: z
          .looseObject({
            enabled: z
              .literal(true, {
                message: "cert-manager's CRDs are installed with the release; the ClusterIssuer and webhooks need them",
              })
              .optional(),
          })
          .optional(),
        replicaCount: z.number().int().min(1).optional(),
      }),
    },
    {
      kind: "eks-addon",
      addonName: "cert-manager",
      pins: PINS["cert-manager"].eksAddon,
    },
  ],
  // cert-manager calls AWS only to solve the ACME issuer's DNS-01 challenges in Route 53: without the issuer it
  // gets no role (an identity nobody uses is one more to guard).
  identity: {
    neededWhen: (environment) => environment.network.acmeIssuer !== undefined,
    statements: (ctx) => certManagerDns01Statements(ctx.partition, dnsOf(ctx.environment).hostedZoneId),
  },
  // With `network.acmeIssuer`: the ClusterIssuer, once cert-manager's CRDs and webhook serve.
  companions: (scope, ctx) => ({
    after: (installed) => {
      const issuer = ctx.environment.network.acmeIssuer;
      if (issuer)
        clusterIssuer().acmeClusterIssuer(scope, {
          issuer,
          dns: dnsOf(ctx.environment),
          region: ctx.region,
          namespace: ctx.addon.namespace,
          certManager: installed,
        });
    },
  }),
  docs: "https://cert-manager.io/docs/configuration/acme/dns01/route53/",
});
