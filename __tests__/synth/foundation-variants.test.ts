import { Testing } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { cidrSubnet, subnetLayout } from "../../modules/vpc";
import { Platform } from "../../stacks/platform";
import { TERRAFORM, environment } from "../helpers/foundation-config";

/**
 * Foundation options: a created VPC (NAT per AZ and single), a listed public endpoint CIDR, the spot
 * service-linked role, configured node pools. The config rules that guard them: unit/foundation-config-rules.test.ts.
 */

type Json = Record<string, any>;

let perAz: Json;
let single: Json;

beforeAll(() => {
  const config = validateConfig({
    environments: [
      environment("prod", {
        vpc: { create: { cidr: "10.20.0.0/16", azs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] } },
        cluster: {
          access: { terraformRoleArn: TERRAFORM },
          endpoint: { publicAccessCidrs: ["203.0.113.0/24"] },
          spotServiceLinkedRole: true,
        },
        karpenter: {
          amiAlias: "bottlerocket@v1.50.0",
          nodePools: [
            { name: "general" },
            {
              name: "gpu",
              capacityTypes: ["on-demand"],
              architectures: ["amd64"],
              instanceCategories: ["g"],
              taints: [{ key: "nvidia.com/gpu", effect: "NoSchedule" }],
              labels: { workload: "gpu" },
              weight: 10,
              limits: { cpu: 64 },
            },
          ],
        },
      }),
      environment("stage", {
        vpc: { create: { cidr: "10.30.0.0/20", azs: ["eu-west-1a", "eu-west-1b"], natGateways: "single" } },
      }),
    ],
  });
  const platform = new Platform(Testing.app(), { config });
  perAz = JSON.parse(Testing.synth(platform.environments[0].foundation!)).resource;
  single = JSON.parse(Testing.synth(platform.environments[1].foundation!)).resource;
});

describe("subnet layout", () => {
  it("matches Terraform's cidrsubnet", () => {
    expect(cidrSubnet("10.0.0.0/16", 8, 3)).toBe("10.0.3.0/24");
    expect(cidrSubnet("10.0.0.0/16", 3, 7)).toBe("10.0.224.0/19");
  });

  it.each([
    [
      "10.20.0.0/16",
      3,
      ["10.20.0.0/19", "10.20.32.0/19", "10.20.64.0/19"],
      ["10.20.128.0/21", "10.20.136.0/21", "10.20.144.0/21"],
    ],
    ["10.30.0.0/20", 2, ["10.30.0.0/22", "10.30.4.0/22"], ["10.30.8.0/24", "10.30.9.0/24"]],
  ])(
    "%s over %i AZs: private in the first half, smaller public ones in the second",
    (cidr, azs, privateCidrs, publicCidrs) => {
      expect(subnetLayout(cidr, azs)).toEqual({ private: privateCidrs, public: publicCidrs });
    },
  );
});

describe("created VPC", () => {
  it.each(["eu-west-1a", "eu-west-1b", "eu-west-1c"])(
    "tags the private subnet in %s for internal load balancers and Karpenter",
    (az) => {
      expect(perAz.aws_subnet[`private_${az.replace(/-/g, "_")}`]).toMatchObject({
        availability_zone: az,
        vpc_id: "${aws_vpc.platform.id}",
        tags: { "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": "prod" },
      });
    },
  );

  it.each(["eu-west-1a", "eu-west-1b", "eu-west-1c"])(
    "tags the public subnet in %s for internet-facing load balancers, without public IPs",
    (az) => {
      const subnet = perAz.aws_subnet[`public_${az.replace(/-/g, "_")}`];
      expect(subnet).toMatchObject({
        availability_zone: az,
        map_public_ip_on_launch: false,
        tags: { "kubernetes.io/role/elb": "1" },
      });
      expect(subnet.tags["karpenter.sh/discovery"]).toBeUndefined();
    },
  );

  it("uses the computed CIDRs and puts the cluster in the private subnets", () => {
    expect(perAz.aws_subnet.private_eu_west_1b.cidr_block).toBe("10.20.32.0/19");
    expect(perAz.aws_subnet.public_eu_west_1c.cidr_block).toBe("10.20.144.0/21");
    expect(perAz.aws_eks_cluster.cluster.vpc_config.subnet_ids).toEqual(
      ["eu_west_1a", "eu_west_1b", "eu_west_1c"].map((az) => `\${aws_subnet.private_${az}.id}`),
    );
    expect(perAz.aws_eks_fargate_profile.karpenter.subnet_ids).toEqual(
      perAz.aws_eks_cluster.cluster.vpc_config.subnet_ids,
    );
  });

  it("routes public subnets to the internet gateway and locks the default security group", () => {
    expect(perAz.aws_route_table.public.route).toEqual([
      expect.objectContaining({ cidr_block: "0.0.0.0/0", gateway_id: "${aws_internet_gateway.platform.id}" }),
    ]);
    const defaultGroup = perAz.aws_default_security_group.platform;
    expect(defaultGroup.ingress ?? []).toEqual([]);
    expect(defaultGroup.egress ?? []).toEqual([]);
  });

  it("gives every AZ its own NAT gateway and routes each private subnet through its own", () => {
    expect(Object.keys(perAz.aws_nat_gateway).sort()).toEqual(["eu_west_1a", "eu_west_1b", "eu_west_1c"]);
    for (const az of ["eu_west_1a", "eu_west_1b", "eu_west_1c"]) {
      expect(perAz.aws_nat_gateway[az].subnet_id).toBe(`\${aws_subnet.public_${az}.id}`);
      expect(perAz.aws_route_table[`private_${az}`].route).toEqual([
        expect.objectContaining({ cidr_block: "0.0.0.0/0", nat_gateway_id: `\${aws_nat_gateway.${az}.id}` }),
      ]);
    }
  });

  it("shares one NAT gateway when asked to", () => {
    expect(Object.keys(single.aws_nat_gateway)).toEqual(["eu_west_1a"]);
    for (const az of ["eu_west_1a", "eu_west_1b"]) {
      expect(single.aws_route_table[`private_${az}`].route[0].nat_gateway_id).toBe("${aws_nat_gateway.eu_west_1a.id}");
    }
  });
});

describe("options", () => {
  it("opens the public endpoint only to the listed CIDRs", () => {
    expect(perAz.aws_eks_cluster.cluster.vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ["203.0.113.0/24"],
    });
  });

  it("creates the spot service-linked role when turned on, and only then", () => {
    expect(perAz.aws_iam_service_linked_role.spot).toEqual(
      expect.objectContaining({ aws_service_name: "spot.amazonaws.com" }),
    );
    expect(single.aws_iam_service_linked_role).toBeUndefined();
  });

  it("renders configured node pools with their requirements, taints, labels, limits and weight", () => {
    const objects: Json[] = JSON.parse(perAz.helm_release.karpenter_node_pools.values[0]).objects;
    const gpu = objects.find((o) => o.kind === "NodePool" && o.metadata.name === "gpu")!;
    expect(objects.filter((o) => o.kind === "NodePool").map((o) => o.metadata.name)).toEqual(["general", "gpu"]);
    expect(gpu.spec.template.spec.requirements).toEqual(
      expect.arrayContaining([
        { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
        { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["g"] },
      ]),
    );
    expect(gpu.spec).toMatchObject({
      weight: 10,
      limits: { cpu: "64" },
      template: {
        metadata: { labels: { workload: "gpu" } },
        spec: { taints: [{ key: "nvidia.com/gpu", effect: "NoSchedule" }] },
      },
    });
  });

  it("encrypts both Bottlerocket volumes", () => {
    const objects: Json[] = JSON.parse(perAz.helm_release.karpenter_node_pools.values[0]).objects;
    const nodeClass = objects.find((o) => o.kind === "EC2NodeClass")!;
    expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: "bottlerocket@v1.50.0" }]);
    expect(
      nodeClass.spec.blockDeviceMappings.map((d: Json) => [d.deviceName, d.ebs.encrypted, d.rootVolume ?? false]),
    ).toEqual([
      ["/dev/xvda", true, false],
      ["/dev/xvdb", true, true],
    ]);
  });
});
