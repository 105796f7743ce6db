import { Testing } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { PlatformConfigError, type ConfigIssue } from "../../modules/errors";
import { cidrSubnet, subnetLayout } from "../../modules/vpc";
import { Platform } from "../../stacks/platform";

/**
 * Foundation options: a created VPC (NAT per AZ and single), a listed public endpoint CIDR, the spot
 * service-linked role, configured node pools, and the config rules that guard them.
 */

type Json = Record<string, any>;

const TERRAFORM = "arn:aws:iam::111111111111:role/platform-terraform";

function environment(name: string, overrides: Json): Json {
  return {
    name,
    account: "111111111111",
    region: "eu-west-1",
    dns: { domain: `${name}.example.com`, hostedZoneId: "Z0123456789ABCDEFGHIJ" },
    cluster: { access: { terraformRoleArn: TERRAFORM } },
    ...overrides,
    // `dns: undefined` in overrides removes it (a JSON config would simply not have the key).
    ...("dns" in overrides && overrides.dns === undefined ? { dns: undefined } : {}),
  };
}

function issuesOf(environments: Json[]): ReadonlyArray<ConfigIssue> {
  try {
    validateConfig({ environments });
  } catch (error) {
    if (error instanceof PlatformConfigError) return error.issues;
    throw error;
  }
  throw new Error("config was accepted");
}

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

describe("config rules", () => {
  const existingVpc = {
    id: "vpc-0a1b2c3d4e5f60718",
    privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
    publicSubnetIds: [],
  };

  it.each([
    [
      "a Terraform role other than the role the providers assume",
      {
        vpc: existingVpc,
        assumeRoleArn: "arn:aws:iam::111111111111:role/deployer",
        cluster: { access: { terraformRoleArn: TERRAFORM } },
      },
      "environments[0].cluster.access.terraformRoleArn",
      "differs from assumeRoleArn (arn:aws:iam::111111111111:role/deployer)",
    ],
    [
      "an STS session ARN as the Terraform role",
      {
        vpc: existingVpc,
        cluster: {
          access: { terraformRoleArn: "arn:aws:sts::111111111111:assumed-role/platform-terraform/ci-run-42" },
        },
      },
      "environments[0].cluster.access.terraformRoleArn",
      "is an STS session ARN",
    ],
    [
      "an Identity Center role without its path",
      {
        vpc: existingVpc,
        cluster: {
          access: {
            terraformRoleArn: TERRAFORM,
            principals: [
              { arn: "arn:aws:iam::111111111111:role/AWSReservedSSO_Admin_0123456789abcdef", level: "view" },
            ],
          },
        },
      },
      "environments[0].cluster.access.principals[0].arn",
      "without its path",
    ],
    [
      "exec auth with an external id",
      {
        vpc: existingVpc,
        assumeRoleArn: "arn:aws:iam::111111111111:role/platform-terraform",
        externalId: "tenant-42",
        cluster: { kubernetesAuth: "exec", access: { terraformRoleArn: TERRAFORM } },
      },
      "environments[0].cluster.kubernetesAuth",
      "cannot pass externalId",
    ],
    [
      "the network layer without dns",
      { vpc: existingVpc, dns: undefined, cluster: { access: { terraformRoleArn: TERRAFORM } } },
      "environments[0].dns",
      "is required by the network layer",
    ],
    [
      "a duplicate principal",
      {
        vpc: existingVpc,
        cluster: {
          access: {
            terraformRoleArn: TERRAFORM,
            principals: [
              { arn: "arn:aws:iam::111111111111:role/a", level: "view" },
              { arn: "arn:aws:iam::111111111111:role/a", level: "edit" },
            ],
          },
        },
      },
      "environments[0].cluster.access.principals[1].arn",
      "duplicate principal",
    ],
    [
      "a principal that grants nothing",
      {
        vpc: existingVpc,
        cluster: { access: { terraformRoleArn: TERRAFORM, principals: [{ arn: "arn:aws:iam::111111111111:role/a" }] } },
      },
      "environments[0].cluster.access.principals[0]",
      "grants nothing",
    ],
    [
      "namespaces without a level",
      {
        vpc: existingVpc,
        cluster: {
          access: {
            terraformRoleArn: TERRAFORM,
            principals: [{ arn: "arn:aws:iam::111111111111:role/a", groups: ["g"], namespaces: ["apps"] }],
          },
        },
      },
      "environments[0].cluster.access.principals[0].namespaces",
      "only scopes a `level`",
    ],
    [
      "a VPC too small for its AZs",
      { vpc: { create: { cidr: "10.0.0.0/26", azs: ["eu-west-1a", "eu-west-1b"] } } },
      "environments[0].vpc.create.cidr",
      "too small",
    ],
    [
      "a VPC CIDR with host bits",
      { vpc: { create: { cidr: "10.0.0.1/16", azs: ["eu-west-1a", "eu-west-1b"] } } },
      "environments[0].vpc.create.cidr",
      "host bits",
    ],
    [
      "an AZ outside the region",
      { vpc: { create: { cidr: "10.0.0.0/16", azs: ["eu-west-1a", "us-east-1b"] } } },
      "environments[0].vpc.create.azs[1]",
      "not in the environment's region",
    ],
  ])("refuses %s", (_case, overrides, path, message) => {
    const issues = issuesOf([environment("dev", overrides)]);
    expect(issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining(message) })]),
    );
  });

  it("refuses no Terraform role: the access entry would go to whoever runs Terraform (issue 25)", () => {
    expect(issuesOf([environment("dev", { vpc: existingVpc, cluster: { access: {} } })])).toEqual([
      expect.objectContaining({ path: "environments[0].cluster.access.terraformRoleArn" }),
    ]);
  });

  it("refuses one cluster name in two regions of one account (IAM names are global), naming both environments", () => {
    const issues = issuesOf([
      environment("dev", { vpc: existingVpc }),
      environment("dev-us", {
        vpc: existingVpc,
        region: "us-east-1",
        cluster: { name: "dev", access: { terraformRoleArn: TERRAFORM } },
      }),
    ]);
    expect(issues).toEqual([
      expect.objectContaining({
        path: "environments[1].cluster.name",
        message: expect.stringContaining("environments[0] (dev) in the same account (eu-west-1; IAM role names"),
      }),
    ]);
  });
});
