import { ADDONS } from "../../modules/addons/catalog";
import { logicalName } from "../../modules/naming";
import { DEFAULT_KARPENTER_AMI_ALIAS } from "../../modules/versions";
import { ADMIN, DEVELOPER, OPS, READER, TEAM } from "../helpers/foundation-config";
import { foundationStack, only, values } from "../helpers/foundation-stack";

/**
 * The foundation stack of an environment with an existing VPC, every default, and one principal per access
 * level (the `foundation-defaults` fixture): the security defaults, Fargate, ordering and access. Karpenter's
 * identity, interruption handling and node pools: foundation-karpenter.test.ts.
 */

type Json = Record<string, any>;

let resources: Json;

beforeAll(() => {
  resources = foundationStack().resource;
});

describe("control plane security defaults", () => {
  it("keeps the endpoint private and the public endpoint off", () => {
    const vpc = only("aws_eks_cluster", "cluster").vpc_config;
    expect(vpc).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(vpc.public_access_cidrs).toBeUndefined();
  });

  it("encrypts secrets with the platform key, logs all five types, uses API auth without creator admin", () => {
    const cluster = only("aws_eks_cluster", "cluster");
    expect(cluster.encryption_config).toEqual({
      provider: { key_arn: "${aws_kms_key.cluster.arn}" },
      resources: ["secrets"],
    });
    expect([...cluster.enabled_cluster_log_types].sort()).toEqual([
      "api",
      "audit",
      "authenticator",
      "controllerManager",
      "scheduler",
    ]);
    expect(cluster.access_config).toEqual({
      authentication_mode: "API",
      bootstrap_cluster_creator_admin_permissions: false,
    });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
    expect(only("aws_kms_key", "cluster").enable_key_rotation).toBe(true);
  });

  it("pre-creates the log group with retention and the key", () => {
    expect(only("aws_cloudwatch_log_group", "cluster")).toMatchObject({
      name: "/aws/eks/dev/cluster",
      retention_in_days: 90,
      kms_key_id: "${aws_kms_key.cluster.arn}",
    });
  });

  it("tags the cluster security group for Karpenter discovery", () => {
    expect(only("aws_ec2_tag", "cluster_security_group_karpenter_discovery")).toMatchObject({
      resource_id: "${aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}",
      key: "karpenter.sh/discovery",
      value: "dev",
    });
  });
});

describe("Fargate", () => {
  it.each([
    ["karpenter", { namespace: "karpenter" }],
    ["coredns", { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } }],
  ])("runs %s in the private subnets", (name, selector) => {
    expect(only("aws_eks_fargate_profile", name)).toMatchObject({
      subnet_ids: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
      selector: [selector],
      pod_execution_role_arn: "${aws_iam_role.fargate_pod_execution.arn}",
    });
  });

  it("limits the pod execution role's trust to this cluster's Fargate profiles", () => {
    const [statement] = JSON.parse(only("aws_iam_role", "fargate_pod_execution").assume_role_policy).Statement;
    expect(statement.Principal).toEqual({ Service: "eks-fargate-pods.amazonaws.com" });
    expect(statement.Condition).toEqual({
      ArnLike: { "aws:SourceArn": "arn:aws:eks:eu-west-1:111111111111:fargateprofile/dev/*" },
    });
  });
});

describe("node pools", () => {
  const objects = (kind: string): Json[] =>
    values("karpenter_node_pools").objects.filter((object: Json) => object.kind === kind);

  it("creates a default pool and its EC2NodeClass when none is configured", () => {
    expect(objects("NodePool").map((pool) => pool.metadata.name)).toEqual(["default"]);
    expect(objects("NodePool")[0].spec.template.spec.nodeClassRef).toEqual({
      group: "karpenter.k8s.aws",
      kind: "EC2NodeClass",
      name: "default",
    });
  });

  it("requires IMDSv2 with one hop, a pinned AMI alias and encrypted gp3 volumes", () => {
    const [nodeClass] = objects("EC2NodeClass");
    expect(nodeClass.apiVersion).toBe("karpenter.k8s.aws/v1");
    expect(nodeClass.spec.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: DEFAULT_KARPENTER_AMI_ALIAS }]);
    expect(DEFAULT_KARPENTER_AMI_ALIAS).not.toMatch(/latest/);
    expect(nodeClass.spec.blockDeviceMappings).toEqual([
      expect.objectContaining({
        rootVolume: true,
        ebs: expect.objectContaining({ encrypted: true, volumeType: "gp3" }),
      }),
    ]);
  });

  it("selects the configured private subnets and the cluster security group by id, and uses the node role", () => {
    const [nodeClass] = objects("EC2NodeClass");
    // By id, not by discovery tag: an untagged existing VPC still gets nodes, and the pools wait for the group.
    expect(nodeClass.spec.subnetSelectorTerms).toEqual([
      { id: "subnet-0a1b2c3d4e5f60001" },
      { id: "subnet-0a1b2c3d4e5f60002" },
    ]);
    expect(nodeClass.spec.securityGroupSelectorTerms).toEqual([
      { id: "${aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}" },
    ]);
    expect(nodeClass.spec.role).toBe("dev-karpenter-node");
  });

  it("sets kubelet maxPods when the VPC CNI uses prefix delegation (its default), or else leaves it to Karpenter", () => {
    expect(objects("EC2NodeClass")[0].spec.kubelet).toEqual({ maxPods: 110 });
  });
});

describe("ordering", () => {
  const dependsOn = (type: string, name: string): string[] => only(type, name).depends_on ?? [];

  it.each([
    ["helm_release", "karpenter_node_pools", "helm_release.karpenter"],
    ["helm_release", "karpenter", "aws_eks_fargate_profile.karpenter"],
    ["helm_release", "karpenter", "aws_sqs_queue.karpenter_interruption"],
    ["helm_release", "karpenter", "aws_eks_access_entry.karpenter_node"],
    ["helm_release", "karpenter", "helm_release.karpenter_crd"],
    ["aws_eks_addon", "coredns", "aws_eks_fargate_profile.coredns"],
    ["aws_eks_addon", "metrics_server", "helm_release.karpenter_node_pools"],
    // Node agents before node capacity (and removed after it): terraform-aws-eks's `before_compute`.
    ["helm_release", "karpenter_node_pools", "aws_eks_addon.vpc_cni"],
    ["helm_release", "karpenter_node_pools", "aws_eks_addon.kube_proxy"],
    ["helm_release", "karpenter_node_pools", "aws_eks_addon.eks_pod_identity_agent"],
    ["helm_release", "reloader", "helm_release.karpenter_node_pools"],
  ])("%s.%s waits for %s", (type, name, dependency) => {
    expect(dependsOn(type, name)).toContain(dependency);
  });

  it("makes every in-cluster resource wait for Terraform's access", () => {
    const inCluster = ["helm_release", "aws_eks_addon"].flatMap((type) =>
      Object.keys(resources[type] ?? {}).map((name) => [type, name]),
    );
    // At least every foundation add-on delivered as an EKS add-on or a release, and Karpenter's CRDs and node pools.
    const expected = [
      ...ADDONS.filter((addon) => addon.layer === "foundation" && addon.defaultDelivery !== "manifests").map((addon) =>
        logicalName(addon.name),
      ),
      "karpenter_crd",
      "karpenter_node_pools",
    ];
    expect(inCluster.map(([, name]) => name)).toEqual(expect.arrayContaining(expected));
    for (const [type, name] of inCluster)
      expect({ [`${type}.${name}`]: dependsOn(type, name) }).toEqual({
        [`${type}.${name}`]: expect.arrayContaining(["aws_eks_access_policy_association.terraform"]),
      });
  });

  it("never uses kubernetes_manifest", () => {
    expect(Object.keys(resources)).not.toContain("kubernetes_manifest");
  });
});

describe("access entries", () => {
  const entries = () => Object.values(resources.aws_eks_access_entry) as Json[];
  const association = (arn: string) =>
    (Object.values(resources.aws_eks_access_policy_association) as Json[]).find((a) => {
      const entry = Object.entries(resources.aws_eks_access_entry).find(([, e]) => (e as Json).principal_arn === arn)!;
      return a.principal_arn === `\${aws_eks_access_entry.${entry[0]}.principal_arn}`;
    });

  it.each([
    [ADMIN, "AmazonEKSClusterAdminPolicy", { type: "cluster" }],
    [OPS, "AmazonEKSAdminPolicy", { type: "cluster" }],
    [DEVELOPER, "AmazonEKSEditPolicy", { type: "namespace", namespaces: ["apps", "jobs"] }],
    [READER, "AmazonEKSViewPolicy", { type: "cluster" }],
  ])("%s gets %s", (arn, policy, scope) => {
    expect(entries().find((entry) => entry.principal_arn === arn)).toMatchObject({ type: "STANDARD" });
    expect(association(arn)).toMatchObject({
      policy_arn: `arn:aws:eks::aws:cluster-access-policy/${policy}`,
      access_scope: scope,
    });
  });

  it("gives a groups-only principal its Kubernetes groups and no access policy", () => {
    expect(entries().find((entry) => entry.principal_arn === TEAM)).toMatchObject({ kubernetes_groups: ["team-a"] });
    expect(association(TEAM)).toBeUndefined();
  });

  it("grants Terraform cluster-admin and leaves the spot service-linked role off by default", () => {
    expect(only("aws_eks_access_policy_association", "terraform")).toMatchObject({
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      access_scope: { type: "cluster" },
    });
    expect(resources.aws_iam_service_linked_role).toBeUndefined();
  });
});
