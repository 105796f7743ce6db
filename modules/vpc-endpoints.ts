import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { INTERFACE_ENDPOINT_SERVICES, type InterfaceEndpointService } from "./vpc-endpoint-services";
import { logicalName, stableId } from "./naming";

export { INTERFACE_ENDPOINT_SERVICES, type InterfaceEndpointService };

export interface VpcEndpointsProps {
  readonly region: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly clusterName: string;
  readonly privateSubnetIds: ReadonlyArray<string>;
  readonly privateRouteTableIds: ReadonlyArray<string>;
  readonly s3Gateway: boolean;
  readonly interfaceServices: ReadonlyArray<InterfaceEndpointService>;
}

/**
 * The VPC endpoints of a created VPC: the S3 gateway endpoint on the private route tables (ECR image layers come
 * from S3; free), and interface endpoints with private DNS for the services the platform calls from the private
 * subnets, behind one security group that admits HTTPS from the VPC's own CIDR only (no egress rules: an endpoint
 * only answers). Returned so the cluster can depend on them: they are on the egress path.
 */
export function vpcEndpoints(scope: Construct, props: VpcEndpointsProps): ITerraformDependable[] {
  const service = (name: string) => `com.amazonaws.${props.region}.${name}`;
  const endpoints: ITerraformDependable[] = [];
  if (props.s3Gateway)
    endpoints.push(
      stableId(
        new VpcEndpoint(scope, "s3-endpoint", {
          vpcId: props.vpcId,
          serviceName: service("s3"),
          vpcEndpointType: "Gateway",
          routeTableIds: [...props.privateRouteTableIds],
          tags: { Name: `${props.clusterName}-s3` },
        }),
        "s3",
      ),
    );
  if (props.interfaceServices.length === 0) return endpoints;
  const group = stableId(
    new SecurityGroup(scope, "endpoints-sg", {
      name: `${props.clusterName}-vpc-endpoints`,
      description: `HTTPS from the VPC to the interface endpoints of EKS cluster ${props.clusterName}`,
      vpcId: props.vpcId,
      ingress: [
        { description: "HTTPS from the VPC", fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: [props.vpcCidr] },
      ],
      tags: { Name: `${props.clusterName}-vpc-endpoints` },
    }),
    "vpc_endpoints",
  );
  for (const name of props.interfaceServices)
    endpoints.push(
      stableId(
        new VpcEndpoint(scope, `${name}-endpoint`, {
          vpcId: props.vpcId,
          serviceName: service(name),
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: [...props.privateSubnetIds],
          securityGroupIds: [group.id],
          tags: { Name: `${props.clusterName}-${name}` },
        }),
        logicalName(name),
      ),
    );
  return endpoints;
}
