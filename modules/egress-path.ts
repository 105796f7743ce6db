/**
 * The resource types on the way from a private subnet to AWS's public endpoints: route tables (the main and the
 * default one too), routes and associations, NAT and internet gateways, VPC endpoints and their associations. An
 * `aws_eip` is on the path when a NAT gateway uses it. One list for the policy pack (NETWORK_OUTLIVES_COMPUTE)
 * and the rehearsal (EGRESS_OUTLIVES_CONTROLLERS), so the two judge the same path.
 */
export const EGRESS_PATH_TYPES: ReadonlyArray<string> = [
  "aws_nat_gateway",
  "aws_route_table",
  "aws_default_route_table",
  "aws_route",
  "aws_route_table_association",
  "aws_main_route_table_association",
  "aws_internet_gateway",
  "aws_internet_gateway_attachment",
  "aws_egress_only_internet_gateway",
  "aws_vpc_endpoint",
  "aws_vpc_endpoint_route_table_association",
  "aws_vpc_endpoint_subnet_association",
  "aws_vpc_endpoint_security_group_association",
  "aws_vpc_endpoint_policy",
];
