import { foundationStack, actionsOf, only, statementsOf, values } from "../helpers/foundation-stack";

/**
 * Karpenter in the foundation stack of the `foundation-defaults` fixture (an existing VPC, every default): its
 * identity and policy, interruption handling and chart values, and the node pools. The rest of the stack:
 * foundation.test.ts.
 */

type Json = Record<string, any>;

let stack: Json;
let resources: Json;

beforeAll(() => {
  stack = foundationStack();
  resources = stack.resource;
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
