import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { dnsOf } from "../../config/schema";
import { groupMemberAnnotations } from "../aws-load-balancer-controller/ingress-group";
import { ALB_INGRESS_CLASS } from "../aws-load-balancer-controller/names";
import { stableId } from "../../naming";
import type { AddonContext, ManifestsInput } from "../../engine/types";
import { ECHO_ENV, EXTERNAL_DNS_CONTROLLER_ANNOTATION, NAME, PORT, echoHost, echoImage } from "./settings";

/** The echo server's Kubernetes objects and DNS record (construct code, loaded only when the engine renders). */

export function renderEchoServer(scope: Construct, ctx: AddonContext, input: ManifestsInput): ITerraformDependable[] {
  const labels = { "app.kubernetes.io/name": NAME, "app.kubernetes.io/version": input.version };
  // Everything else references the namespace, so it inherits these dependencies (and the destroy order).
  const namespace = stableId(
    new NamespaceV1(scope, "namespace", {
      metadata: { name: NAME, ...input.namespaceMetadata },
      dependsOn: input.dependsOn,
    }),
    NAME,
  );
  const metadata = { name: NAME, namespace: namespace.metadata.name, labels };
  const probe = { httpGet: { path: "/", port: `${PORT}` }, periodSeconds: 10, timeoutSeconds: 2 };

  const deployment = stableId(
    new DeploymentV1(scope, "deployment", {
      metadata,
      spec: {
        replicas: "2",
        selector: { matchLabels: { "app.kubernetes.io/name": NAME } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: "65532",
              runAsGroup: "65532",
              seccompProfile: { type: "RuntimeDefault" },
            },
            container: [
              {
                name: NAME,
                image: echoImage(input.version),
                env: [
                  // Above 1024: binding a privileged port would need root or NET_BIND_SERVICE.
                  { name: "PORT", value: `${PORT}` },
                  // The request only: no environment, files, caller-chosen headers or cookies (settings.ts).
                  ...Object.entries(ECHO_ENV).map(([name, value]) => ({ name, value })),
                ],
                port: [{ name: "http", containerPort: PORT }],
                securityContext: {
                  readOnlyRootFilesystem: true,
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ["ALL"] },
                },
                resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
                readinessProbe: { ...probe },
                livenessProbe: { ...probe, initialDelaySeconds: 5, failureThreshold: 3 },
              },
            ],
          },
        },
      },
    }),
    NAME,
  );

  const service = stableId(
    new ServiceV1(scope, "service", {
      metadata,
      spec: {
        type: "ClusterIP",
        selector: { "app.kubernetes.io/name": NAME },
        port: [{ name: "http", port: 80, targetPort: "http" }],
      },
    }),
    NAME,
  );

  const ingress = stableId(
    new IngressV1(scope, "ingress", {
      metadata: {
        ...metadata,
        annotations: {
          ...groupMemberAnnotations(ctx.environment.network.ingress.groupName),
          "alb.ingress.kubernetes.io/healthcheck-path": "/",
          // Only these sources match the echo rule (network.echo); any other request falls through to the 404.
          // Keyed by the backend Service's name; one condition, at most 3 values (echo-schema.ts).
          [`alb.ingress.kubernetes.io/conditions.${NAME}`]: JSON.stringify([
            { field: "source-ip", sourceIpConfig: { values: [...ctx.environment.network.echo.allowedCidrs] } },
          ]),
          // external-dns skips Ingresses whose controller annotation is not its own: this record is Terraform's
          // (below), so destroying the layer deletes it; an upsert-only external-dns would leave it and its TXT.
          [EXTERNAL_DNS_CONTROLLER_ANNOTATION]: "cdktf-eks-platform",
        },
      },
      spec: {
        ingressClassName: ALB_INGRESS_CLASS,
        rule: [
          {
            host: echoHost(ctx),
            http: {
              path: [
                {
                  path: "/",
                  pathType: "Prefix",
                  backend: { service: { name: service.metadata.name, port: { name: "http" } } },
                },
              ],
            },
          },
        ],
      },
      waitForLoadBalancer: true,
      timeouts: { create: "15m", delete: "15m" },
      // The controller (and the group's class and owner) must outlive this Ingress on destroy: listed explicitly.
      dependsOn: [...input.dependsOn, deployment],
    }),
    NAME,
  );

  // `echo.<domain>` -> the shared ALB, owned by Terraform: created once the ALB exists, deleted with the layer.
  const record = stableId(
    new Route53Record(scope, "record", {
      zoneId: dnsOf(ctx.environment).hostedZoneId,
      name: echoHost(ctx),
      type: "CNAME",
      ttl: 60,
      records: [ingress.status.get(0).loadBalancer.get(0).ingress.get(0).hostname],
    }),
    NAME,
  );

  return [namespace, deployment, service, ingress, record];
}
