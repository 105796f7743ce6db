import { dnsOf } from "../../config/schema";
import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { IngressV1 } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { groupMemberAnnotations } from "../aws-load-balancer-controller/ingress-group";
import { stableId } from "../../naming";
import { PINS } from "../../versions";
import { ALB_INGRESS_CLASS, INGRESS_GROUP, awsLoadBalancerController } from "../aws-load-balancer-controller";
import { externalDns } from "../external-dns";
import { defineAddon, type AddonContext, type ManifestsInput } from "../../engine/types";

const NAME = "echo-server";
/** external-dns handles an Ingress only when this annotation is absent or says `dns-controller`. */
const EXTERNAL_DNS_CONTROLLER_ANNOTATION = "external-dns.alpha.kubernetes.io/controller";
/** The image's tag is the pinned version (`PINS["echo-server"]`): one place for both. */
const IMAGE_REPOSITORY = "ealen/echo-server";
const PORT = 8080;

/** `echo.<domain>`: the one URL that proves certificate, ALB, controller and DNS work together. */
export function echoHost(ctx: AddonContext): string {
  return `echo.${dnsOf(ctx.environment).domain}`;
}

/**
 * A tiny HTTP echo service behind the shared ALB: `curl https://echo.<domain>` after an apply is the smoke test
 * of the network layer. Non-root, read-only root file system, no service account token, requests and limits.
 */
export const echoServer = defineAddon({
  name: NAME,
  description: "Smoke test: https://echo.<domain> through the shared ALB",
  layer: "network",
  namespace: NAME,
  runsOn: "nodes",
  defaultDelivery: "manifests",
  deliveries: [{ kind: "manifests", pins: PINS["echo-server"].manifests, render: renderEchoServer }],
  dependsOn: [{ addon: awsLoadBalancerController, ready: true }, externalDns],
  // Joins the shared ALB: waits for the group's class, params and owner, and is destroyed before them.
  needs: [INGRESS_GROUP],
  docs: "https://github.com/Ealenn/Echo-Server",
});

function renderEchoServer(scope: Construct, ctx: AddonContext, input: ManifestsInput): ITerraformDependable[] {
  const labels = { "app.kubernetes.io/name": NAME, "app.kubernetes.io/version": input.version };
  // Everything else references the namespace, so it inherits these dependencies (and the destroy order).
  const namespace = stableId(
    new NamespaceV1(scope, "namespace", {
      metadata: { name: NAME, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
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
                image: `${IMAGE_REPOSITORY}:${input.version}`,
                // Above 1024: binding a privileged port would need root or NET_BIND_SERVICE.
                env: [{ name: "PORT", value: `${PORT}` }],
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
