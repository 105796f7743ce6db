import { TerraformStack, Testing } from "cdktf";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { referenceFromData, validateStacks, type ControllerPolicyReference, type Finding } from "../../tools/validate";
import { actionCovers } from "../../modules/terraform-json";

/**
 * IAM coverage and wildcards on stacks laid out as the project lays them out (`aws_iam_role.<addon>`,
 * `aws_iam_policy.<addon>[_N]`, attachments), against fixture upstream policies: a policy JSON (ALB
 * controller shape) and a CloudFormation template with `!Sub` intrinsics (Karpenter shape).
 */

type Json = Record<string, any>;

const ALB_UPSTREAM = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
      Effect: "Allow",
      Action: ["ec2:DescribeVpcs", "ec2:DescribeSubnets", "elasticloadbalancing:DescribeLoadBalancers"],
      Resource: "*",
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:AddTags"],
      Resource: "*",
    },
  ],
});

const KARPENTER_UPSTREAM = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  ClusterName:
    Type: String
Resources:
  KarpenterNodeRole:
    Type: "AWS::IAM::Role"
    Properties:
      RoleName: !Sub "KarpenterNodeRole-\${ClusterName}"
      ManagedPolicyArns:
        - !Sub "arn:\${AWS::Partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy"
  NodeLifecyclePolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: !Sub "KarpenterControllerNodeLifecyclePolicy-\${ClusterName}"
      PolicyDocument: !Sub |
        {
          "Version": "2012-10-17",
          "Statement": [
            { "Effect": "Allow", "Resource": "arn:\${AWS::Partition}:ec2:\${AWS::Region}:*:launch-template/*", "Action": ["ec2:RunInstances", "ec2:CreateFleet"] }
          ]
        }
  InterruptionPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: !Sub "KarpenterControllerInterruptionPolicy-\${ClusterName}"
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Resource: !GetAtt KarpenterInterruptionQueue.Arn
            Action: [sqs:DeleteMessage, sqs:ReceiveMessage]
  KarpenterInterruptionQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "\${ClusterName}"
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref KarpenterInterruptionQueue]
`;

const EFS_UPSTREAM = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["elasticfilesystem:CreateAccessPoint"], Resource: "*" }],
});

const TABLE: ControllerPolicyReference[] = [
  { controller: "aws-load-balancer-controller", role: "aws_load_balancer_controller", file: "alb.json" },
  {
    controller: "karpenter",
    role: "karpenter",
    file: "karpenter.yaml",
    cloudFormationPolicyFilter: "KarpenterController",
  },
  {
    controller: "aws-efs-csi-driver",
    role: "aws_efs_csi_driver",
    file: "efs.json",
    equivalentManagedPolicies: ["AmazonEFSCSIDriverPolicy"],
  },
];

const reference = referenceFromData({
  iamPolicies: { "alb.json": ALB_UPSTREAM, "karpenter.yaml": KARPENTER_UPSTREAM, "efs.json": EFS_UPSTREAM },
});

type Statement = { Effect: string; Action: string | string[]; Resource: string; Condition?: Json };

/** One add-on role, its literal policies as `<name>`, `<name>_2`, ..., attached as the project attaches them. */
function addonRole(stack: TerraformStack, name: string, policies: Statement[][], managed: string[] = []): void {
  const role = new IamRole(stack, `${name}-role`, {
    name: `dev-${name}`,
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "pods.eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
        },
      ],
    }),
  });
  role.overrideLogicalId(name);
  policies.forEach((statements, index) => {
    const suffix = index === 0 ? "" : `_${index + 1}`;
    const policy = new IamPolicy(stack, `${name}-policy${suffix}`, {
      name: `dev-${name}${suffix}`,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    });
    policy.overrideLogicalId(`${name}${suffix}`);
    new IamRolePolicyAttachment(stack, `${name}-attach${suffix}`, {
      role: role.name,
      policyArn: policy.arn,
    }).overrideLogicalId(`${name}${suffix}`);
  });
  for (const policy of managed) {
    new IamRolePolicyAttachment(stack, `${name}-${policy}`, {
      role: role.name,
      policyArn: `arn:aws:iam::aws:policy/service-role/${policy}`,
    }).overrideLogicalId(`${name}_${policy.toLowerCase()}`);
  }
}

const ALB_STATEMENTS: Statement[][] = [
  [
    {
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    { Effect: "Allow", Action: ["ec2:Describe*", "elasticloadbalancing:Describe*"], Resource: "*" },
  ],
  [
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:AddTags"],
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestTag/elbv2.k8s.aws/cluster": "dev" } },
    },
  ],
];

function synthStacks(
  options: { alb?: Statement[][]; karpenter?: Statement[][] } = {},
): Array<{ name: string; json: Json }> {
  const app = Testing.app();
  const foundation = new TerraformStack(app, "dev-foundation");
  const queue = "${aws_sqs_queue.karpenter_interruption.arn}";
  addonRole(
    foundation,
    "karpenter",
    options.karpenter ?? [
      [
        {
          Effect: "Allow",
          Action: ["ec2:RunInstances", "ec2:CreateFleet"],
          Resource: "arn:aws:ec2:eu-west-1:*:launch-template/*",
        },
        { Effect: "Allow", Action: ["sqs:DeleteMessage", "sqs:ReceiveMessage"], Resource: queue },
      ],
    ],
  );
  const network = new TerraformStack(app, "dev-network");
  addonRole(network, "aws_load_balancer_controller", options.alb ?? ALB_STATEMENTS);
  const storage = new TerraformStack(app, "dev-storage");
  addonRole(storage, "aws_efs_csi_driver", [], ["AmazonEFSCSIDriverPolicy"]);
  return [foundation, network, storage].map((stack) => ({
    name: stack.node.id,
    json: JSON.parse(Testing.synth(stack)),
  }));
}

function validate(stacks: Array<{ name: string; json: Json }>): Finding[] {
  return validateStacks(stacks, reference, { checks: ["iam"], iamReferences: TABLE });
}

const lines = (findings: Finding[], severity = "error"): string[] =>
  findings.filter((f) => f.severity === severity).map((f) => `${f.stack} ${f.address}: ${f.message}`);

describe("IAM", () => {
  test("roles granting every upstream action (wildcards count, split policies and interpolations included) pass", () => {
    const findings = validate(synthStacks());
    expect(lines(findings)).toEqual([]);
    expect(lines(findings, "skipped")).toEqual([
      "dev-storage aws_iam_role.aws_efs_csi_driver: aws-efs-csi-driver: relies on AWS managed policy AmazonEFSCSIDriverPolicy, which upstream documents as equivalent to efs.json; its contents are not checked offline",
    ]);
  });

  test("a missing upstream action is reported on the role, naming the action and the reference", () => {
    const alb = [
      [...ALB_STATEMENTS[0]],
      [{ ...ALB_STATEMENTS[1][0], Action: ["elasticloadbalancing:CreateLoadBalancer"] }],
    ];
    const karpenter = [
      [
        { Effect: "Allow", Action: ["ec2:RunInstances"], Resource: "*" },
        { Effect: "Deny", Action: ["ec2:CreateFleet", "sqs:*"], Resource: "*" },
      ],
    ];
    expect(lines(validate(synthStacks({ alb, karpenter })))).toEqual([
      "dev-foundation aws_iam_role.karpenter: karpenter: grants 1 of 4 actions in upstream karpenter.yaml; missing ec2:CreateFleet, sqs:DeleteMessage, sqs:ReceiveMessage",
      "dev-network aws_iam_role.aws_load_balancer_controller: aws-load-balancer-controller: grants 5 of 6 actions in upstream alb.json; missing elasticloadbalancing:AddTags",
    ]);
  });

  test("a controller whose role is in no stack is skipped, not failed", () => {
    const stacks = synthStacks().filter((stack) => stack.name !== "dev-network");
    expect(lines(validate(stacks))).toEqual([]);
    expect(lines(validate(stacks), "skipped")).toContain(
      "* aws_iam_role.aws_load_balancer_controller: aws-load-balancer-controller: role not in any stack (add-on disabled); policy coverage not checked",
    );
  });

  test("`*`, `iam:*` and Allow+NotAction are errors on whatever resource carries them; service wildcards are not", () => {
    const stacks = synthStacks({
      karpenter: [
        [
          { Effect: "Allow", Action: ["ec2:RunInstances", "ec2:CreateFleet", "sqs:*"], Resource: "*" },
          { Effect: "Allow", Action: "*", Resource: "*" },
        ],
        [{ Effect: "Allow", Action: ["IAM:*"], Resource: "*" }],
      ],
    });
    const foundation = stacks[0].json;
    foundation.resource.aws_iam_role_policy = {
      inline: {
        role: "${aws_iam_role.karpenter.name}",
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }] }),
      },
    };
    foundation.resource.aws_iam_role.karpenter.inline_policy = [{ name: "broken", policy: "{not json" }];
    expect(lines(validate(stacks))).toEqual([
      'dev-foundation aws_iam_policy.karpenter: policy: Statement[1] allows "*"',
      'dev-foundation aws_iam_policy.karpenter_2: policy: Statement[0] allows "IAM:*"',
      "dev-foundation aws_iam_role.karpenter: inline_policy[0].policy: not a JSON policy document: Flow map must end with a } at line 1, column 10",
      "dev-foundation aws_iam_role_policy.inline: policy: Statement[0] allows every action except iam:* (Allow with NotAction)",
    ]);
  });

  test("policy document data sources count, both for wildcards and for coverage", () => {
    const stacks = synthStacks();
    const network = stacks[1].json;
    network.data = {
      aws_iam_policy_document: {
        alb: {
          statement: [
            {
              effect: "Allow",
              actions: ["elasticloadbalancing:*", "ec2:Describe*", "iam:CreateServiceLinkedRole"],
              resources: ["*"],
            },
            { actions: ["*"], resources: ["*"] },
          ],
        },
      },
    };
    network.resource.aws_iam_policy.aws_load_balancer_controller.policy = "${data.aws_iam_policy_document.alb.json}";
    delete network.resource.aws_iam_policy.aws_load_balancer_controller_2;
    expect(lines(validate(stacks))).toEqual([
      'dev-network data.aws_iam_policy_document.alb: statement: Statement[1] allows "*"',
    ]);
  });

  test("action globs cover the actions they match, case-insensitively, and nothing else", () => {
    expect(actionCovers("ec2:Describe*", "ec2:DescribeSubnets")).toBe(true);
    expect(actionCovers("EC2:describe*", "ec2:DescribeSubnets")).toBe(true);
    expect(actionCovers("ec2:Describe*", "ec2:DescribeInstance*")).toBe(true);
    expect(actionCovers("ec2:Describe?ubnets", "ec2:DescribeSubnets")).toBe(true);
    expect(actionCovers("ec2:Describe*", "ec2:CreateTags")).toBe(false);
    expect(actionCovers("ec2:*", "ec2messages:GetMessages")).toBe(false);
  });
});
