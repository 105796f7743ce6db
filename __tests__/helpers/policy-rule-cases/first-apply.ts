import { addResource, cluster, editValues, resource, type RuleCase } from "./edit";

/**
 * Cases for what a first apply and a destroy need in order (modules/policy/first-apply.ts): the providers' identity
 * in the cluster, no plan-time tokens, egress outliving compute, node agents before capacity, no blocking webhook.
 */
export const FIRST_APPLY_CASES: RuleCase[] = [
  {
    rule: "ACCESS_FOR_PROVIDER_IDENTITY",
    what: "an access entry for another role than the one the providers assume",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    setup: (j) =>
      void (j.provider.aws[0].assume_role = [
        { role_arn: resource(j, "aws_eks_access_entry.terraform").principal_arn },
      ]),
    breakIt: (j) => void (j.provider.aws[0].assume_role = [{ role_arn: "arn:aws:iam::111111111111:role/deployer" }]),
  },
  {
    rule: "K8S_AUTH_NOT_AT_PLAN_TIME",
    what: "the plan-time aws_eks_cluster_auth token",
    layer: "network",
    address: "data.aws_eks_cluster_auth.cluster",
    setup: (j) => void (j.data = { ...j.data, aws_eks_cluster_auth: { cluster: { name: "dev" } } }),
    breakIt: (j) => void (j.provider.kubernetes[0].token = "${data.aws_eks_cluster_auth.cluster.token}"),
  },
  {
    rule: "NETWORK_OUTLIVES_COMPUTE",
    what: "a NAT gateway the cluster does not depend on",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    setup: (j) => {
      addResource(j, "aws_nat_gateway.a", { subnet_id: "subnet-0a1b2c3d4e5f60011" });
      cluster(j).depends_on = [...(cluster(j).depends_on ?? []), "aws_nat_gateway.a"];
    },
    breakIt: (j) =>
      void (cluster(j).depends_on = cluster(j).depends_on.filter((target: string) => target !== "aws_nat_gateway.a")),
  },
  {
    // The NATs' own way out: destroying the public route table's association cuts egress like a NAT would.
    rule: "NETWORK_OUTLIVES_COMPUTE",
    what: "a public route-table association (the NATs' route to the internet gateway) the cluster does not depend on",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    setup: (j) => {
      addResource(j, "aws_internet_gateway.igw", { vpc_id: "vpc-0a1b2c3d4e5f60718" });
      addResource(j, "aws_route_table.public", {
        vpc_id: "vpc-0a1b2c3d4e5f60718",
        route: [{ cidr_block: "0.0.0.0/0", gateway_id: "${aws_internet_gateway.igw.id}" }],
      });
      addResource(j, "aws_route_table_association.public_a", {
        subnet_id: "subnet-0a1b2c3d4e5f60011",
        route_table_id: "${aws_route_table.public.id}",
      });
      cluster(j).depends_on = [...(cluster(j).depends_on ?? []), "aws_route_table_association.public_a"];
    },
    breakIt: (j) =>
      void (cluster(j).depends_on = cluster(j).depends_on.filter(
        (target: string) => target !== "aws_route_table_association.public_a",
      )),
  },
  {
    rule: "NODE_AGENTS_BEFORE_CAPACITY",
    what: "node pools not waiting for kube-proxy",
    layer: "foundation",
    address: "helm_release.karpenter_node_pools",
    breakIt: (j) =>
      void (resource(j, "helm_release.karpenter_node_pools").depends_on = resource(
        j,
        "helm_release.karpenter_node_pools",
      ).depends_on.filter(
        (target: string) => target !== "aws_eks_addon.kube_proxy" && !target.startsWith("helm_release.karpenter"),
      )),
  },
  {
    rule: "NO_BLOCKING_SERVICE_WEBHOOK",
    what: "the ALB controller's Service mutator webhook on and unscoped",
    layer: "network",
    address: "helm_release.aws_load_balancer_controller",
    breakIt: (j) =>
      editValues(
        j,
        "helm_release.aws_load_balancer_controller",
        (values) => void (values.enableServiceMutatorWebhook = true),
      ),
  },
];
