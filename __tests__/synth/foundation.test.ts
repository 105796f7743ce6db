import { Testing } from "cdktf";
import { ADDONS } from "../../modules/addons/catalog";
import { logicalName } from "../../modules/naming";
import { validateConfig } from "../../modules/plan";
import { DEFAULT_KARPENTER_AMI_ALIAS } from "../../modules/versions";
import { Platform } from "../../stacks/platform";

/**
 * The foundation stack of an environment with an existing VPC, every default, and one principal per access
 * level: the security defaults, Karpenter's identity and policy, node pools, ordering and access.
 */

type Json = Record<string, any>;

const ADMIN = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_abc";
const OPS = "arn:aws:iam::111111111111:role/ops";
const DEVELOPER = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developer_abc";
const READER = "arn:aws:iam::111111111111:role/readonly";
const TEAM = "arn:aws:iam::111111111111:role/team-rbac";

let stack: Json;
let resources: Json;

beforeAll(() => {
  const config = validateConfig({
    environments: [
      {
        name: "dev",
        account: "111111111111",
        region: "eu-west-1",
        vpc: {
          id: "vpc-0a1b2c3d4e5f60718",
          privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
          publicSubnetIds: [],
        },
        dns: { domain: "dev.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" },
        cluster: {
          access: {
            terraformRoleArn: "arn:aws:iam::111111111111:role/platform-terraform",
            principals: [
              { arn: ADMIN, level: "cluster-admin" },
              { arn: OPS, level: "admin" },
              { arn: DEVELOPER, level: "edit", namespaces: ["apps", "jobs"] },
              { arn: READER, level: "view" },
              { arn: TEAM, groups: ["team-a"] },
            ],
          },
        },
      },
    ],
  });
  const platform = new Platform(Testing.app(), { config });
  stack = JSON.parse(Testing.synth(platform.environments[0].foundation!));
  resources = stack.resource;
});

const only = (type: string, name: string): Json => {
  const found = resources[type]?.[name];
  if (!found) throw new Error(`${type}.${name} not synthesized; have ${Object.keys(resources[type] ?? {}).join(", ")}`);
  return found;
};
const values = (release: string): Json => JSON.parse(only("helm_release", release).values[0]);
const statementsOf = (...policies: string[]): Json[] =>
  policies.flatMap((name) => JSON.parse(only("aws_iam_policy", name).policy).Statement);
const actionsOf = (statement: Json): string[] => [statement.Action].flat();

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

describe("Karpenter identity", () => {
  it("trusts exactly the karpenter service account of this cluster's OIDC provider (sub and aud)", () => {
    // The issuer is a local (`replace(issuer URL, "https://", "")`), so the trust stays literal, parseable JSON.
    expect(stack.locals.oidc_issuer).toBe(
      '${replace(aws_eks_cluster.cluster.identity[0].oidc[0].issuer, "https://", "")}',
    );
    const document = only("aws_iam_role", "karpenter").assume_role_policy as string;
    const [statement, ...rest] = JSON.parse(document.split("${local.oidc_issuer}").join("ISSUER")).Statement;
    expect(rest).toHaveLength(0);
    expect(statement.Principal).toEqual({ Federated: "${aws_iam_openid_connect_provider.cluster.arn}" });
    expect(statement.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(statement.Condition).toEqual({
      StringEquals: { "ISSUER:sub": "system:serviceaccount:karpenter:karpenter", "ISSUER:aud": "sts.amazonaws.com" },
    });
  });

  it.each([
    "ec2:RunInstances",
    "ec2:CreateFleet",
    "ec2:CreateLaunchTemplate",
    "ec2:CreateTags",
    "ec2:TerminateInstances",
    "ec2:DeleteLaunchTemplate",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeSubnets",
    "iam:PassRole",
    "iam:CreateInstanceProfile",
    "iam:AddRoleToInstanceProfile",
    "iam:GetInstanceProfile",
    "eks:DescribeCluster",
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "ssm:GetParameter",
    "pricing:GetProducts",
  ])("grants the upstream action %s", (action) => {
    expect(statementsOf("karpenter", "karpenter_2").flatMap(actionsOf)).toContain(action);
  });

  it("scopes mutations like upstream: deletions by the cluster's ownership tag, pass-role to the node role, queue and cluster by ARN", () => {
    const statements = statementsOf("karpenter", "karpenter_2");
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid)!;
    expect(bySid("AllowScopedDeletion").Condition).toEqual({
      StringEquals: { "aws:ResourceTag/kubernetes.io/cluster/dev": "owned" },
      StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
    });
    expect(bySid("AllowPassingInstanceRole").Resource).toBe("arn:aws:iam::111111111111:role/dev-karpenter-node");
    expect(bySid("AllowInterruptionQueueActions").Resource).toBe("arn:aws:sqs:eu-west-1:111111111111:dev-karpenter");
    expect(bySid("AllowAPIServerEndpointDiscovery").Resource).toBe("arn:aws:eks:eu-west-1:111111111111:cluster/dev");
    expect(only("aws_sqs_queue", "karpenter_interruption").name).toBe("dev-karpenter");
    expect(only("aws_iam_role", "karpenter_node").name).toBe("dev-karpenter-node");
    const unscopedWrites = statements.filter(
      (s) => s.Resource === "*" && !s.Condition && actionsOf(s).some((a) => !/:(Get|Describe|List)/.test(a)),
    );
    expect(unscopedWrites).toEqual([]);
  });

  it("gives the node role the four node policies and an EC2_LINUX access entry", () => {
    const attached = (Object.values(resources.aws_iam_role_policy_attachment) as Json[])
      .filter((a: Json) => a.role === "${aws_iam_role.karpenter_node.name}")
      .map((a: Json) => a.policy_arn);
    expect(attached.sort()).toEqual(
      [
        "AmazonEC2ContainerRegistryPullOnly",
        "AmazonEKSWorkerNodePolicy",
        "AmazonEKS_CNI_Policy",
        "AmazonSSMManagedInstanceCore",
      ].map((p) => `arn:aws:iam::aws:policy/${p}`),
    );
    expect(only("aws_eks_access_entry", "karpenter_node")).toMatchObject({
      type: "EC2_LINUX",
      principal_arn: "${aws_iam_role.karpenter_node.arn}",
    });
  });
});

describe("Karpenter interruption handling and chart values", () => {
  it("encrypts the queue and only lets EventBridge/SQS send, over TLS", () => {
    expect(only("aws_sqs_queue", "karpenter_interruption")).toMatchObject({
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 300,
    });
    const [allow, deny] = JSON.parse(only("aws_sqs_queue_policy", "karpenter_interruption").policy).Statement;
    expect(allow).toMatchObject({
      Effect: "Allow",
      Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
      Action: "sqs:SendMessage",
    });
    expect(deny).toMatchObject({
      Effect: "Deny",
      Principal: "*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it.each([
    ["karpenter_spot_interruption", "aws.ec2", "EC2 Spot Instance Interruption Warning"],
    ["karpenter_rebalance", "aws.ec2", "EC2 Instance Rebalance Recommendation"],
    ["karpenter_instance_state_change", "aws.ec2", "EC2 Instance State-change Notification"],
    ["karpenter_scheduled_change", "aws.health", "AWS Health Event"],
  ])("routes %s events to the queue", (name, source, detailType) => {
    expect(JSON.parse(only("aws_cloudwatch_event_rule", name).event_pattern)).toEqual({
      source: [source],
      "detail-type": [detailType],
    });
    expect(only("aws_cloudwatch_event_target", name)).toMatchObject({
      rule: `\${aws_cloudwatch_event_rule.${name}.name}`,
      arn: "${aws_sqs_queue.karpenter_interruption.arn}",
    });
  });

  it("installs and upgrades the CRDs from karpenter-crd at the controller's version, not from the controller chart", () => {
    expect(only("helm_release", "karpenter").skip_crds).toBe(true);
    expect(only("helm_release", "karpenter_crd")).toMatchObject({
      repository: "oci://public.ecr.aws/karpenter",
      chart: "karpenter-crd",
      version: only("helm_release", "karpenter").version,
    });
  });

  it("configures the chart for this cluster and for Fargate", () => {
    const release = only("helm_release", "karpenter");
    expect(release).toMatchObject({
      repository: "oci://public.ecr.aws/karpenter",
      chart: "karpenter",
      version: "1.14.1",
      namespace: "karpenter",
    });
    expect(values("karpenter")).toMatchObject({
      settings: {
        clusterName: "dev",
        clusterEndpoint: "${aws_eks_cluster.cluster.endpoint}",
        interruptionQueue: "dev-karpenter",
      },
      replicas: 2,
      dnsPolicy: "Default",
      serviceAccount: {
        name: "karpenter",
        annotations: { "eks.amazonaws.com/role-arn": "${aws_iam_role.karpenter.arn}" },
      },
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
