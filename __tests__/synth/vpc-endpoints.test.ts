import { Testing } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { INTERFACE_ENDPOINT_SERVICES } from "../../modules/vpc-endpoints";
import { Platform } from "../../stacks/platform";
import { minimalEnvironment } from "../helpers/config";

/**
 * Issue 23 item 2: with `vpc.create`, the AWS calls the platform makes from the private subnets (Karpenter on
 * Fargate, image pulls, Pod Identity, the controllers) can go through VPC endpoints instead of the NAT gateways:
 * an S3 gateway endpoint (free, on by default) and interface endpoints with private DNS (priced, off by default).
 * Endpoints are part of the egress path, so the cluster depends on them and destroy keeps them until compute is gone.
 */

type Json = Record<string, any>;

const created = (name: string, endpoints?: Json) =>
  minimalEnvironment({
    name,
    vpc: {
      id: undefined,
      privateSubnetIds: undefined,
      publicSubnetIds: undefined,
      create: { cidr: "10.20.0.0/16", azs: ["eu-west-1a", "eu-west-1b"], ...(endpoints ? { endpoints } : {}) },
    },
  });

let defaults: Json;
let all: Json;
let none: Json;

beforeAll(() => {
  const config = validateConfig({
    environments: [
      created("defaults"),
      { ...created("all", { interface: [...INTERFACE_ENDPOINT_SERVICES] }), account: "222222222222" },
      { ...created("none", { s3Gateway: false }), account: "333333333333" },
    ],
  });
  const platform = new Platform(Testing.app(), { config });
  [defaults, all, none] = platform.environments.map(
    (environment) => JSON.parse(Testing.synth(environment.foundation!)).resource,
  );
});

describe("VPC endpoints of a created VPC", () => {
  it("by default: an S3 gateway endpoint on every private route table, no interface endpoint", () => {
    const endpoints = Object.values(defaults.aws_vpc_endpoint) as Json[];
    expect(endpoints).toEqual([
      expect.objectContaining({
        vpc_endpoint_type: "Gateway",
        service_name: "com.amazonaws.eu-west-1.s3",
        route_table_ids: ["${aws_route_table.private_eu_west_1a.id}", "${aws_route_table.private_eu_west_1b.id}"],
      }),
    ]);
    expect(defaults.aws_security_group?.vpc_endpoints).toBeUndefined();
  });

  it("interface endpoints with private DNS in the private subnets, behind a group open to 443 from the VPC only", () => {
    const interfaces = (Object.values(all.aws_vpc_endpoint) as Json[]).filter(
      (e) => e.vpc_endpoint_type === "Interface",
    );
    expect(interfaces.map((endpoint) => endpoint.service_name).sort()).toEqual(
      INTERFACE_ENDPOINT_SERVICES.map((service) => `com.amazonaws.eu-west-1.${service}`).sort(),
    );
    for (const endpoint of interfaces)
      expect(endpoint).toMatchObject({
        private_dns_enabled: true,
        subnet_ids: ["${aws_subnet.private_eu_west_1a.id}", "${aws_subnet.private_eu_west_1b.id}"],
        security_group_ids: ["${aws_security_group.vpc_endpoints.id}"],
      });
    const group = all.aws_security_group.vpc_endpoints;
    expect(group.ingress).toEqual([
      expect.objectContaining({ from_port: 443, to_port: 443, protocol: "tcp", cidr_blocks: ["10.20.0.0/16"] }),
    ]);
    expect(group.egress ?? []).toEqual([]);
  });

  it("the cluster depends on every endpoint (destroy removes them after compute, like the NAT)", () => {
    for (const resources of [defaults, all])
      for (const name of Object.keys(resources.aws_vpc_endpoint))
        expect(resources.aws_eks_cluster.cluster.depends_on).toContain(`aws_vpc_endpoint.${name}`);
  });

  it("no endpoint at all when the S3 gateway is switched off and no interface endpoint is asked for", () => {
    expect(none.aws_vpc_endpoint).toBeUndefined();
  });

  it("refuses an unknown service, naming the allowed ones", () => {
    expect(() => validateConfig({ environments: [created("x", { interface: ["dynamodb"] })] })).toThrow(
      /vpc\.create\.endpoints\.interface\[0\]/,
    );
  });
});
