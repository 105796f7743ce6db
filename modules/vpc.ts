import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import type { EnvironmentConfig } from "./config/schema";
import { clusterNameOf, stableId } from "./naming";
import { vpcEndpoints, type InterfaceEndpointService } from "./vpc-endpoints";
import { subnetLayout } from "./subnet-layout";
export { cidrSubnet, smallestSubnetPrefix, subnetLayout, type SubnetLayout } from "./subnet-layout";

/** Where the cluster lives: the VPC and its subnets, whether configured or created. */
export interface NetworkPlacement {
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  /**
   * The whole path from a private subnet to AWS's public endpoints: the private route tables and their
   * associations, the NAT gateways and their addresses, the public route table (its route to the internet
   * gateway), the public subnets' associations and the internet gateway. The cluster depends on all of it, so
   * destroy removes any part only after everything on the cluster is gone, Karpenter (on Fargate) included while
   * it terminates its nodes through EC2, SQS and STS. Empty for an existing VPC (not ours to order).
   */
  readonly egress: ReadonlyArray<ITerraformDependable>;
}

/** Tag Karpenter's EC2NodeClass selects subnets and security groups by. */
export const KARPENTER_DISCOVERY_TAG = "karpenter.sh/discovery";

export { clusterNameOf } from "./naming";

/**
 * The VPC the cluster runs in: the configured one (its subnets must carry the tags in docs/foundation.md), or,
 * with `vpc.create`, a new one. Availability zones come from config, never from a plan-time lookup.
 */
export function networkPlacement(scope: Construct, environment: EnvironmentConfig): NetworkPlacement {
  const vpc = environment.vpc;
  if (vpc.create) return new PlatformVpc(scope, "vpc", { environment, ...vpc.create }).placement;
  return {
    vpcId: vpc.id!,
    privateSubnetIds: vpc.privateSubnetIds!,
    publicSubnetIds: vpc.publicSubnetIds ?? [],
    egress: [],
  };
}

interface PlatformVpcProps {
  readonly environment: EnvironmentConfig;
  readonly cidr: string;
  readonly azs: ReadonlyArray<string>;
  readonly natGateways: "single" | "one-per-az";
  readonly endpoints: { readonly s3Gateway: boolean; readonly interface: ReadonlyArray<InterfaceEndpointService> };
}

/**
 * A VPC for the cluster: private subnets (nodes, pods, Fargate, the control plane's ENIs) behind NAT, public
 * subnets for internet-facing load balancers, the tags the AWS Load Balancer Controller and Karpenter discover
 * subnets by, and a default security group with no rules so nothing lands in an open group by accident.
 */
class PlatformVpc extends Construct {
  readonly placement: NetworkPlacement;

  constructor(scope: Construct, id: string, props: PlatformVpcProps) {
    super(scope, id);
    const clusterName = clusterNameOf(props.environment);
    const name = (suffix: string) => ({ Name: `${clusterName}-${suffix}` });
    const layout = subnetLayout(props.cidr, props.azs.length);

    const vpc = stableId(
      new Vpc(this, "vpc", {
        cidrBlock: props.cidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: name("vpc"),
      }),
      "platform",
    );
    stableId(
      new DefaultSecurityGroup(this, "default-sg", { vpcId: vpc.id, tags: name("default-do-not-use") }),
      "platform",
    );
    const igw = stableId(new InternetGateway(this, "igw", { vpcId: vpc.id, tags: name("igw") }), "platform");

    const publicRoutes = stableId(
      new RouteTable(this, "public-rt", {
        vpcId: vpc.id,
        route: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
        tags: name("public"),
      }),
      "public",
    );

    const publicAssociations: ITerraformDependable[] = [];
    const publicSubnets = props.azs.map((az, index) => {
      const subnet = stableId(
        new Subnet(this, `public-${az}`, {
          vpcId: vpc.id,
          availabilityZone: az,
          cidrBlock: layout.public[index],
          // Only load balancers and NAT gateways live here; nothing gets a public IP implicitly.
          mapPublicIpOnLaunch: false,
          tags: { ...name(`public-${az}`), "kubernetes.io/role/elb": "1" },
        }),
        `public_${az}`,
      );
      publicAssociations.push(
        stableId(
          new RouteTableAssociation(this, `public-rta-${az}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }),
          `public_${az}`,
        ),
      );
      return subnet;
    });

    const natAzs = props.natGateways === "single" ? props.azs.slice(0, 1) : props.azs;
    const nats = natAzs.map((az, index) => {
      const eip = stableId(
        new Eip(this, `nat-eip-${az}`, { domain: "vpc", tags: name(`nat-${az}`), dependsOn: [igw] }),
        `nat_${az}`,
      );
      return stableId(
        new NatGateway(this, `nat-${az}`, {
          allocationId: eip.id,
          subnetId: publicSubnets[index].id,
          tags: name(`nat-${az}`),
          dependsOn: [igw],
        }),
        az,
      );
    });

    const egress: ITerraformDependable[] = [igw, publicRoutes, ...publicAssociations, ...nats];
    const privateRouteTables: RouteTable[] = [];
    const privateSubnets = props.azs.map((az, index) => {
      const subnet = stableId(
        new Subnet(this, `private-${az}`, {
          vpcId: vpc.id,
          availabilityZone: az,
          cidrBlock: layout.private[index],
          tags: {
            ...name(`private-${az}`),
            "kubernetes.io/role/internal-elb": "1",
            [KARPENTER_DISCOVERY_TAG]: clusterName,
          },
        }),
        `private_${az}`,
      );
      // One NAT per AZ keeps an AZ outage from cutting the other AZs' egress; `single` trades that for cost.
      const nat = nats[props.natGateways === "single" ? 0 : index];
      const routes = stableId(
        new RouteTable(this, `private-rt-${az}`, {
          vpcId: vpc.id,
          route: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
          tags: name(`private-${az}`),
        }),
        `private_${az}`,
      );
      privateRouteTables.push(routes);
      egress.push(
        routes,
        stableId(
          new RouteTableAssociation(this, `private-rta-${az}`, { subnetId: subnet.id, routeTableId: routes.id }),
          `private_${az}`,
        ),
      );
      return subnet;
    });

    // Endpoints are on the way out too: the cluster waits for them and destroy removes them after compute.
    egress.push(
      ...vpcEndpoints(this, {
        region: props.environment.region,
        vpcId: vpc.id,
        vpcCidr: props.cidr,
        clusterName,
        privateSubnetIds: privateSubnets.map((subnet) => subnet.id),
        privateRouteTableIds: privateRouteTables.map((table) => table.id),
        s3Gateway: props.endpoints.s3Gateway,
        interfaceServices: props.endpoints.interface,
      }),
    );

    this.placement = {
      vpcId: vpc.id,
      privateSubnetIds: privateSubnets.map((s) => s.id),
      publicSubnetIds: publicSubnets.map((s) => s.id),
      egress,
    };
  }
}
