import { ADMIN_POLICY_NAMES } from "../../../modules/policy/admin-policies";
import { addResource, policyOf, resource, setPolicy, type Json, type RuleCase } from "./edit";

/**
 * Cases for IAM policies and trusts (modules/policy/iam.ts, iam-trust.ts): literal JSON, wildcard actions, admin
 * policies, IRSA and Pod Identity trusts, PassRole, service principals.
 */
export const IAM_CASES: RuleCase[] = [
  {
    rule: "IAM_POLICY_LITERAL_JSON",
    what: "a policy from a data source",
    layer: "foundation",
    address: "aws_iam_policy.karpenter",
    breakIt: (j) =>
      void (resource(j, "aws_iam_policy.karpenter").policy = "${data.aws_iam_policy_document.karpenter.json}"),
  },
  ...["*", "iam:*"].map((action): RuleCase => ({
    rule: "IAM_NO_WILDCARD_ACTION",
    what: `Action ${action}`,
    layer: "network",
    address: "aws_iam_policy.external_dns",
    breakIt: (j) => {
      const policy = policyOf(j, "aws_iam_policy.external_dns");
      policy.Statement.push({ Effect: "Allow", Action: action, Resource: "arn:aws:iam::111111111111:role/x" });
      setPolicy(j, "aws_iam_policy.external_dns", policy);
    },
  })),
  {
    rule: "IAM_NO_ADMIN_POLICY",
    what: "AdministratorAccess attached",
    layer: "operators",
    address: "aws_iam_role_policy_attachment.external_secrets",
    breakIt: (j) =>
      void (resource(j, "aws_iam_role_policy_attachment.external_secrets").policy_arn =
        "arn:aws:iam::aws:policy/AdministratorAccess"),
  },
  ...[
    [
      "a wildcard service account",
      (condition: Json, key: string) =>
        void (condition.StringEquals[`${key}:sub`] = "system:serviceaccount:karpenter:*"),
    ],
    [
      "StringLike instead of StringEquals on :sub",
      (condition: Json, key: string) => {
        condition.StringLike = { [`${key}:sub`]: condition.StringEquals[`${key}:sub`] };
        delete condition.StringEquals[`${key}:sub`];
      },
    ],
    ["no :aud", (condition: Json, key: string) => void delete condition.StringEquals[`${key}:aud`]],
  ].map(([what, edit]): RuleCase => ({
    rule: "IAM_IRSA_TRUST_SCOPED",
    what: what as string,
    layer: "foundation",
    address: "aws_iam_role.karpenter",
    breakIt: (j) => {
      const trust = policyOf(j, "aws_iam_role.karpenter", "assume_role_policy");
      (edit as (condition: Json, key: string) => void)(trust.Statement[0].Condition, "${local.oidc_issuer}");
      setPolicy(j, "aws_iam_role.karpenter", trust, "assume_role_policy");
    },
  })),
  {
    rule: "IAM_POD_IDENTITY_TRUST",
    what: "sts:TagSession missing",
    layer: "network",
    address: "aws_iam_role.external_dns",
    breakIt: (j) => {
      const trust = policyOf(j, "aws_iam_role.external_dns", "assume_role_policy");
      trust.Statement[0].Action = ["sts:AssumeRole"];
      setPolicy(j, "aws_iam_role.external_dns", trust, "assume_role_policy");
    },
  },
  {
    rule: "IAM_POD_IDENTITY_TRUST",
    what: "bound through Pod Identity but trusting EC2",
    layer: "operators",
    address: "aws_iam_role.external_secrets",
    breakIt: (j) =>
      setPolicy(
        j,
        "aws_iam_role.external_secrets",
        {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
        },
        "assume_role_policy",
      ),
  },
  {
    rule: "IAM_PASSROLE_SCOPED",
    what: "iam:PassRole on * without a condition",
    layer: "foundation",
    address: "aws_iam_policy.karpenter",
    breakIt: (j) => {
      const policy = policyOf(j, "aws_iam_policy.karpenter");
      for (const statement of policy.Statement)
        if (statement.Sid === "AllowPassingInstanceRole")
          Object.assign(statement, { Resource: "*", Condition: undefined });
      setPolicy(j, "aws_iam_policy.karpenter", policy);
    },
  },
  ...(["aws:SourceAccount", "aws:SourceArn"] as const).map((key): RuleCase => ({
    rule: "IAM_POD_IDENTITY_TRUST",
    what: `a Pod Identity trust without its ${key} condition (any cluster or account could use the role)`,
    layer: "operators",
    address: "aws_iam_role.external_secrets",
    breakIt: (j) => {
      const document = policyOf(j, "aws_iam_role.external_secrets", "assume_role_policy");
      for (const statement of document.Statement)
        for (const operator of Object.values(statement.Condition ?? {}) as Json[]) delete operator[key];
      setPolicy(j, "aws_iam_role.external_secrets", document, "assume_role_policy");
    },
  })),
  {
    rule: "IAM_POD_IDENTITY_TRUST",
    what: "a Pod Identity trust whose aws:SourceArn names another cluster",
    layer: "operators",
    address: "aws_iam_role.external_secrets",
    breakIt: (j) => {
      const document = policyOf(j, "aws_iam_role.external_secrets", "assume_role_policy");
      for (const statement of document.Statement)
        if (statement.Condition?.ArnEquals)
          statement.Condition.ArnEquals["aws:SourceArn"] = "arn:aws:eks:eu-west-1:111111111111:cluster/*";
      setPolicy(j, "aws_iam_role.external_secrets", document, "assume_role_policy");
    },
  },
  // Issue 22 item 6: what grants every action or every IAM action, however the pattern is spelled.
  ...["iam:?*", "IAM:*", "i?m:*", "*am:*", "iam:**", "?*:*", "*:?*"].map((action): RuleCase => ({
    rule: "IAM_NO_WILDCARD_ACTION",
    what: `a team policy allowing ${action}`,
    layer: "operators",
    address: "aws_iam_policy.team",
    setup: (j) =>
      addResource(j, "aws_iam_policy.team", {
        name: "dev-team",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
        }),
      }),
    breakIt: (j) =>
      setPolicy(j, "aws_iam_policy.team", {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: action, Resource: "*" }],
      }),
  })),
  ...(
    [
      [
        "aws_iam_role_policy_attachments_exclusive.team",
        "policy_arns",
        ["arn:aws:iam::aws:policy/AdministratorAccess"],
      ],
      ["aws_iam_role_policy_attachments_exclusive.team", "policy_arns", ["arn:aws:iam::aws:policy/IAMFullAccess"]],
      ["aws_iam_policy_attachment.team", "policy_arn", "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"],
      // Every admin-class managed policy the rule knows, by each attachment that takes one ARN.
      ...ADMIN_POLICY_NAMES.map(
        (name) => ["aws_iam_role_policy_attachment.team", "policy_arn", `arn:aws:iam::aws:policy/${name}`] as const,
      ),
      ["aws_iam_role_policy_attachments_exclusive.team", "policy_arns", ["arn:aws:iam::aws:policy/PowerUserAccess"]],
    ] as const
  ).map(([address, attribute, value]): RuleCase => ({
    rule: "IAM_NO_ADMIN_POLICY",
    what: `${address} attaching ${JSON.stringify(value)}`,
    layer: "operators",
    address,
    setup: (j) =>
      addResource(j, address, {
        role_name: "dev-team",
        [attribute]: Array.isArray(value)
          ? ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
          : "arn:aws:iam::aws:policy/ReadOnlyAccess",
      }),
    breakIt: (j) => void (resource(j, address)[attribute] = value),
  })),
  {
    // Issue 25 fix 7: a queue that trusts events.amazonaws.com with no source condition takes messages from any
    // account's EventBridge rule (the confused deputy AWS documents).
    rule: "SERVICE_PRINCIPAL_SOURCE_SCOPED",
    what: "the interruption queue trusting EventBridge without aws:SourceArn",
    layer: "foundation",
    address: "aws_sqs_queue_policy.karpenter_interruption",
    breakIt: (j) => {
      const document = policyOf(j, "aws_sqs_queue_policy.karpenter_interruption");
      for (const statement of document.Statement) if (statement.Effect === "Allow") delete statement.Condition;
      setPolicy(j, "aws_sqs_queue_policy.karpenter_interruption", document);
    },
  },
];
