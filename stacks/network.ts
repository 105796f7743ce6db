import { Construct } from "constructs";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { awsLoadBalancerController } from "../modules/addons/aws-load-balancer-controller";
import { certManager } from "../modules/addons/cert-manager";
import { echoServer } from "../modules/addons/echo-server";
import { externalDns } from "../modules/addons/external-dns";
import { addonsOfLayer } from "../modules/engine/resolve";
import { renderAddons, type RenderedAddon } from "../modules/engine/render";
import type { ClusterHandle } from "../modules/cluster-handle";
import { acmeClusterIssuer } from "../modules/addons/cert-manager/cluster-issuer";
import { networkIssues } from "../modules/config/network-semantics";
import { PlatformConfigError } from "../modules/errors";
import { IngressGroup } from "../modules/addons/aws-load-balancer-controller/ingress-group";
import { clusterFrom } from "./cluster-consumer";
import type { FoundationStack } from "./foundation";
import { LayerStack, type LayerStackProps } from "./layer-stack";

export interface NetworkStackProps extends LayerStackProps {
  readonly foundation: FoundationStack;
}

/**
 * `<env>-network`: cert-manager, the AWS Load Balancer Controller, external-dns, one shared ALB (IngressGroup)
 * and the echo server that proves them together. Built in three steps because the group needs the controller's
 * release and the echo server needs the group: controllers, then the group, then what runs behind it.
 */
export class NetworkStack extends LayerStack {
  readonly cluster: ClusterHandle;
  readonly addons: ReadonlyMap<string, RenderedAddon>;
  readonly ingressGroup?: IngressGroup;
  readonly clusterIssuer?: Release;

  constructor(scope: Construct, props: NetworkStackProps) {
    super(scope, "network", props);
    this.addDependency(props.foundation);
    this.cluster = clusterFrom(props.foundation);
    this.configureKubernetesProviders(this.cluster);
    const env = this.environment;
    const issues = networkIssues(env, this.addonPlan);
    if (issues.length > 0) throw new PlatformConfigError(issues.map((issue) => ({ ...issue, path: `${env.name}: ${issue.path}` })));
    const ctx = this.addonContext(this.cluster);
    const layer = addonsOfLayer(this.addonPlan, "network");

    const controllers = renderAddons(this, ctx, layer.filter((addon) => addon.name !== echoServer.name));
    const resourcesOf = (name: string) => controllers.get(name)?.resources ?? [];

    const albController = resourcesOf(awsLoadBalancerController.name);
    if (albController.length > 0) {
      const vpc = env.vpc;
      this.ingressGroup = new IngressGroup(this, "ingress-group", {
        domain: env.dns.domain,
        hostedZoneId: env.dns.hostedZoneId,
        settings: env.network.ingress,
        subnetIds: env.network.ingress.scheme === "internal" ? vpc.privateSubnetIds : vpc.publicSubnetIds,
        controller: albController,
      });
    }

    const certManagerRelease = resourcesOf(certManager.name);
    if (env.network.acmeIssuer) {
      this.clusterIssuer = acmeClusterIssuer(this, { issuer: env.network.acmeIssuer, dns: env.dns, region: env.region, certManager: certManagerRelease });
    }

    // The echo server's declared dependencies (controller, external-dns) plus the group it joins.
    const echo = renderAddons(this, ctx, layer.filter((addon) => addon.name === echoServer.name), {
      prerequisites: { [echoServer.name]: [...albController, ...resourcesOf(externalDns.name), ...(this.ingressGroup?.members ?? [])] },
    });
    this.addons = new Map([...controllers, ...echo]);
  }
}
