import { addResource, editValues, resource, type Json, type RuleCase } from "./edit";

/** Edits the spec of the EC2NodeClass the node-pools release ships. */
function editNodeClass(json: Json, edit: (spec: Json) => void): void {
  editValues(json, "helm_release.karpenter_node_pools", (values) => {
    for (const object of values.objects) if (object.kind === "EC2NodeClass") edit(object.spec);
  });
}

/** A VPC the stack creates: one private subnet, one public subnet routed to an internet gateway. */
function addCreatedVpc(json: Json): void {
  addResource(json, "aws_internet_gateway.platform", { vpc_id: "${aws_vpc.platform.id}" });
  addResource(json, "aws_subnet.public_a", {
    vpc_id: "${aws_vpc.platform.id}",
    tags: { "kubernetes.io/role/elb": "1" },
  });
  addResource(json, "aws_subnet.private_a", {
    vpc_id: "${aws_vpc.platform.id}",
    tags: { "karpenter.sh/discovery": "dev" },
  });
  addResource(json, "aws_route_table.public", {
    route: [{ cidr_block: "0.0.0.0/0", gateway_id: "${aws_internet_gateway.platform.id}" }],
  });
  addResource(json, "aws_route_table_association.public_a", {
    subnet_id: "${aws_subnet.public_a.id}",
    route_table_id: "${aws_route_table.public.id}",
  });
  resource(json, "aws_eks_fargate_profile.karpenter").subnet_ids = ["${aws_subnet.private_a.id}"];
}

const LAUNCH_TEMPLATE = {
  metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
  block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true" } }],
};

const PUBLIC_SUBNET = "subnet-0a1b2c3d4e5f60011";

/**
 * Cases for the nodes (modules/policy/nodes.ts): IMDSv2 and its hop limit, encrypted volumes and private subnets,
 * in the EC2NodeClass Karpenter's node-pools release ships, in launch templates and Fargate profiles; pods that fit.
 */
export const NODES_CASES: RuleCase[] = [
  {
    rule: "NODES_IMDSV2",
    what: "EC2NodeClass httpTokens optional",
    layer: "foundation",
    address: "helm_release.karpenter_node_pools",
    breakIt: (j) => editNodeClass(j, (spec) => void (spec.metadataOptions.httpTokens = "optional")),
  },
  {
    rule: "NODES_IMDSV2",
    what: "launch template without tokens",
    layer: "foundation",
    address: "aws_launch_template.nodes",
    setup: (j) => addResource(j, "aws_launch_template.nodes", structuredClone(LAUNCH_TEMPLATE)),
    breakIt: (j) => void (resource(j, "aws_launch_template.nodes").metadata_options.http_tokens = "optional"),
  },
  {
    rule: "NODES_IMDS_HOP_LIMIT",
    what: "EC2NodeClass hop limit 2",
    layer: "foundation",
    address: "helm_release.karpenter_node_pools",
    breakIt: (j) => editNodeClass(j, (spec) => void (spec.metadataOptions.httpPutResponseHopLimit = 2)),
  },
  {
    rule: "NODES_IMDS_HOP_LIMIT",
    what: "launch template hop limit 2",
    layer: "foundation",
    address: "aws_launch_template.nodes",
    setup: (j) => addResource(j, "aws_launch_template.nodes", structuredClone(LAUNCH_TEMPLATE)),
    breakIt: (j) => void (resource(j, "aws_launch_template.nodes").metadata_options.http_put_response_hop_limit = 2),
  },
  {
    rule: "NODES_ENCRYPTED_VOLUMES",
    what: "unencrypted root volume",
    layer: "foundation",
    address: "helm_release.karpenter_node_pools",
    breakIt: (j) => editNodeClass(j, (spec) => void (spec.blockDeviceMappings[0].ebs.encrypted = false)),
  },
  {
    rule: "NODES_ENCRYPTED_VOLUMES",
    what: "no blockDeviceMappings",
    layer: "foundation",
    address: "helm_release.karpenter_node_pools",
    breakIt: (j) => editNodeClass(j, (spec) => void delete spec.blockDeviceMappings),
  },
  {
    rule: "NODES_ENCRYPTED_VOLUMES",
    what: "unencrypted launch template volume",
    layer: "foundation",
    address: "aws_launch_template.nodes",
    setup: (j) => addResource(j, "aws_launch_template.nodes", structuredClone(LAUNCH_TEMPLATE)),
    breakIt: (j) => void (resource(j, "aws_launch_template.nodes").block_device_mappings[0].ebs.encrypted = "false"),
  },
  {
    rule: "NODES_PRIVATE_SUBNETS",
    what: "Fargate profile in a public subnet",
    layer: "foundation",
    address: "aws_eks_fargate_profile.coredns",
    breakIt: (j) => void resource(j, "aws_eks_fargate_profile.coredns").subnet_ids.push(PUBLIC_SUBNET),
  },
  {
    rule: "NODES_PRIVATE_SUBNETS",
    what: "EC2NodeClass with public IPs",
    layer: "foundation",
    address: "helm_release.karpenter_node_pools",
    breakIt: (j) => editNodeClass(j, (spec) => void (spec.associatePublicIPAddress = true)),
  },
  {
    rule: "NODES_PRIVATE_SUBNETS",
    what: "EC2NodeClass selecting a public subnet id",
    layer: "foundation",
    address: "helm_release.karpenter_node_pools",
    breakIt: (j) => editNodeClass(j, (spec) => void (spec.subnetSelectorTerms = [{ id: PUBLIC_SUBNET }])),
  },
  {
    rule: "NODES_PRIVATE_SUBNETS",
    what: "EC2NodeClass selecting by the ELB role tag",
    layer: "foundation",
    address: "helm_release.karpenter_node_pools",
    breakIt: (j) =>
      editNodeClass(j, (spec) => void (spec.subnetSelectorTerms = [{ tags: { "kubernetes.io/role/elb": "1" } }])),
  },
  {
    rule: "NODES_PRIVATE_SUBNETS",
    what: "Fargate profile in a created public subnet",
    layer: "foundation",
    address: "aws_eks_fargate_profile.karpenter",
    setup: addCreatedVpc,
    breakIt: (j) => void (resource(j, "aws_eks_fargate_profile.karpenter").subnet_ids = ["${aws_subnet.public_a.id}"]),
  },
  {
    rule: "NODES_PRIVATE_SUBNETS",
    what: "EC2NodeClass tags matching a created public subnet",
    layer: "foundation",
    address: "helm_release.karpenter_node_pools",
    setup: addCreatedVpc,
    breakIt: (j) =>
      editNodeClass(j, (spec) => void (spec.subnetSelectorTerms = [{ tags: { "kubernetes.io/role/elb": "*" } }])),
  },
  {
    // Issue 25 fix 5: with prefix delegation and maxPods 110, a 1-vCPU Graviton .medium holds 96 pod IPs.
    rule: "NODES_FIT_MAX_PODS",
    what: "a NodePool that may pick 1-vCPU instances for EC2NodeClass maxPods 110",
    layer: "foundation",
    address: "helm_release.karpenter_node_pools",
    breakIt: (j) =>
      editValues(j, "helm_release.karpenter_node_pools", (values) => {
        for (const object of values.objects)
          if (object.kind === "NodePool")
            object.spec.template.spec.requirements = object.spec.template.spec.requirements.filter(
              (requirement: Json) => requirement.key !== "karpenter.k8s.aws/instance-cpu",
            );
      }),
  },
];
