import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { parseConfigText } from "../../modules/plan";
import type { EnvironmentConfig } from "../../modules/config/schema";
import { evaluatePolicy, POLICY_RULES } from "../../modules/policy";
import { Platform } from "../../stacks/platform";
import { DEFAULTS_AND_VALUES_CASES, type ExtraRuleCase } from "../helpers/policy-rule-cases";
import { POD_SECURITY_CASES } from "../helpers/pod-security-rule-cases";

/**
 * Every rule, against the synthesized example: the example passes, and breaking the example the way the rule
 * forbids makes exactly that rule report the broken resource. Rules whose resources the example lacks
 * (launch templates, VPCs the platform creates) get a small fixture added to the example first.
 */

type Json = Record<string, any>;
type Layer = "foundation" | "network" | "storage" | "operators";

let environment: EnvironmentConfig;
const example = {} as Record<Layer, Json>;

beforeAll(() => {
  const config = parseConfigText(
    readFileSync(join(__dirname, "..", "..", "config", "example.yaml"), "utf8"),
    "example.yaml",
  );
  const platform = new Platform(Testing.app(), { config });
  const stacks = platform.environments[0];
  environment = stacks.environment;
  for (const layer of ["foundation", "network", "storage", "operators"] as const)
    example[layer] = JSON.parse(Testing.synth(stacks[layer]!));
});

const stackName = (layer: Layer) => `dev-${layer}`;

function resource(json: Json, address: string): Json {
  const [type, name] = address.split(".");
  // `provider.<type>`: the stack's (first) provider configuration of that type.
  // `terraform.backend.<type>`: the stack's backend block (STATE_LOCKING).
  const body =
    type === "data"
      ? json.data?.[name]?.[address.split(".")[2]]
      : type === "provider"
        ? json.provider?.[name]?.[0]
        : address === "terraform.required_version"
          ? json.terraform
          : type === "terraform"
            ? json.terraform?.[name]?.[address.split(".")[2]]
            : json.resource?.[type]?.[name];
  if (!body) throw new Error(`the example has no ${address}`);
  return body;
}

function policyOf(json: Json, address: string, attribute = "policy"): Json {
  return JSON.parse(resource(json, address)[attribute]);
}

function setPolicy(json: Json, address: string, document: Json, attribute = "policy"): void {
  resource(json, address)[attribute] = JSON.stringify(document);
}

/** Edits the spec of the EC2NodeClass the node-pools release ships. */
function editNodeClass(json: Json, edit: (spec: Json) => void): void {
  const release = resource(json, "helm_release.karpenter_node_pools");
  const values = JSON.parse(release.values[0]);
  for (const object of values.objects) if (object.kind === "EC2NodeClass") edit(object.spec);
  release.values = [JSON.stringify(values)];
}

function addResource(json: Json, address: string, body: Json): void {
  const [type, name] = address.split(".");
  json.resource[type] = { ...json.resource[type], [name]: body };
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

/** `setup` makes the stack exercise the rule while still passing it (when the example alone does not). */
type RuleCase = ExtraRuleCase;

const PUBLIC_SUBNET = "subnet-0a1b2c3d4e5f60011";
const cluster = (json: Json) => resource(json, "aws_eks_cluster.cluster");

const CASES: RuleCase[] = [
  {
    rule: "EKS_CONTROL_PLANE_LOGS",
    what: "audit and authenticator logs off",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    breakIt: (j) => void (cluster(j).enabled_cluster_log_types = ["api", "scheduler"]),
  },
  {
    rule: "EKS_SECRETS_ENCRYPTION",
    what: "no encryption_config",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    breakIt: (j) => void delete cluster(j).encryption_config,
  },
  {
    rule: "EKS_SECRETS_ENCRYPTION",
    what: "an AWS-managed key",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    breakIt: (j) =>
      void (cluster(j).encryption_config.provider.key_arn = "arn:aws:kms:eu-west-1:111111111111:alias/aws/eks"),
  },
  {
    rule: "EKS_PRIVATE_ENDPOINT",
    what: "private endpoint off",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    breakIt: (j) => void (cluster(j).vpc_config.endpoint_private_access = false),
  },
  {
    rule: "EKS_PUBLIC_ENDPOINT",
    what: "public endpoint open to 0.0.0.0/0 (listed CIDRs pass)",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    setup: (j) =>
      Object.assign(cluster(j).vpc_config, { endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] }),
    breakIt: (j) => void (cluster(j).vpc_config.public_access_cidrs = ["203.0.113.0/24", "0.0.0.0/0"]),
  },
  {
    rule: "EKS_PUBLIC_ENDPOINT",
    what: "public endpoint on without CIDRs",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    breakIt: (j) => void delete cluster(j).vpc_config.endpoint_public_access,
  },
  {
    rule: "EKS_SUPPORTED_VERSION",
    what: "Kubernetes 1.29",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    breakIt: (j) => void (cluster(j).version = "1.29"),
  },
  {
    rule: "EKS_SUPPORT_WINDOW",
    what: "STANDARD support one day before 1.34 leaves it",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    setup: (j) => void (cluster(j).upgrade_policy = { support_type: "STANDARD" }),
    breakIt: (j) => void (cluster(j).version = "1.34"),
  },
  {
    rule: "EKS_AUTHENTICATION_MODE",
    what: "aws-auth ConfigMap still in use",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    breakIt: (j) => void (cluster(j).access_config.authentication_mode = "API_AND_CONFIG_MAP"),
  },
  {
    rule: "EKS_NO_CREATOR_ADMIN",
    what: "creator admin on",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    breakIt: (j) => void (cluster(j).access_config.bootstrap_cluster_creator_admin_permissions = true),
  },
  {
    rule: "KMS_ROTATION",
    what: "rotation off",
    layer: "foundation",
    address: "aws_kms_key.cluster",
    breakIt: (j) => void (resource(j, "aws_kms_key.cluster").enable_key_rotation = false),
  },
  {
    rule: "KMS_KEY_POLICY",
    what: "no key policy",
    layer: "storage",
    address: "aws_kms_key.efs",
    breakIt: (j) => void delete resource(j, "aws_kms_key.efs").policy,
  },
  {
    rule: "KMS_NO_PUBLIC_PRINCIPAL",
    what: "principal * without condition",
    layer: "foundation",
    address: "aws_kms_key.cluster",
    breakIt: (j) => {
      const policy = policyOf(j, "aws_kms_key.cluster");
      policy.Statement.push({
        Sid: "Everyone",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "kms:Decrypt",
        Resource: "*",
      });
      setPolicy(j, "aws_kms_key.cluster", policy);
    },
  },
  {
    rule: "LOGS_KMS",
    what: "log group without a key",
    layer: "foundation",
    address: "aws_cloudwatch_log_group.cluster",
    breakIt: (j) => void delete resource(j, "aws_cloudwatch_log_group.cluster").kms_key_id,
  },
  {
    rule: "LOGS_RETENTION",
    what: "log group kept forever",
    layer: "foundation",
    address: "aws_cloudwatch_log_group.cluster",
    breakIt: (j) => void delete resource(j, "aws_cloudwatch_log_group.cluster").retention_in_days,
  },
  {
    rule: "SQS_ENCRYPTED",
    what: "queue without SSE",
    layer: "foundation",
    address: "aws_sqs_queue.karpenter_interruption",
    breakIt: (j) => void delete resource(j, "aws_sqs_queue.karpenter_interruption").sqs_managed_sse_enabled,
  },
  {
    rule: "EFS_ENCRYPTED",
    what: "unencrypted file system",
    layer: "storage",
    address: "aws_efs_file_system.efs",
    breakIt: (j) => void (resource(j, "aws_efs_file_system.efs").encrypted = false),
  },
  {
    rule: "EFS_ENCRYPTED",
    what: "AWS-managed key",
    layer: "storage",
    address: "aws_efs_file_system.efs",
    breakIt: (j) => void delete resource(j, "aws_efs_file_system.efs").kms_key_id,
  },
  {
    rule: "EFS_BACKUPS",
    what: "backups disabled",
    layer: "storage",
    address: "aws_efs_file_system.efs",
    breakIt: (j) => void (resource(j, "aws_efs_backup_policy.efs").backup_policy.status = "DISABLED"),
  },
  {
    rule: "EFS_TLS_ONLY",
    what: "no Deny for plain-text access",
    layer: "storage",
    address: "aws_efs_file_system.efs",
    breakIt: (j) => {
      const policy = policyOf(j, "aws_efs_file_system_policy.efs");
      policy.Statement = policy.Statement.filter((statement: Json) => statement.Effect !== "Deny");
      setPolicy(j, "aws_efs_file_system_policy.efs", policy);
    },
  },
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
  ...(["aws_kms_key.cluster", "aws_cloudwatch_log_group.cluster"] as const).map((address): RuleCase => ({
    rule: "STATEFUL_PREVENT_DESTROY",
    what: `${address} unprotected`,
    layer: "foundation",
    address,
    breakIt: (j) => void delete resource(j, address).lifecycle,
  })),
  {
    rule: "STATEFUL_PREVENT_DESTROY",
    what: "EFS unprotected",
    layer: "storage",
    address: "aws_efs_file_system.efs",
    breakIt: (j) => void delete resource(j, "aws_efs_file_system.efs").lifecycle,
  },
  ...["latest", "~1.14", "1.x", ""].map((version): RuleCase => ({
    rule: "VERSIONS_PINNED",
    what: `chart version "${version}"`,
    layer: "foundation",
    address: "helm_release.karpenter",
    breakIt: (j) => void (resource(j, "helm_release.karpenter").version = version),
  })),
  {
    rule: "VERSIONS_PINNED",
    what: "add-on without a version",
    layer: "foundation",
    address: "aws_eks_addon.coredns",
    breakIt: (j) => void delete resource(j, "aws_eks_addon.coredns").addon_version,
  },
  {
    rule: "INCLUSTER_AFTER_ACCESS",
    what: "a release not ordered after the access entry",
    layer: "foundation",
    address: "helm_release.reloader",
    breakIt: (j) => void (resource(j, "helm_release.reloader").depends_on = []),
  },
  {
    rule: "INCLUSTER_AFTER_ACCESS",
    what: "no Terraform access entry at all",
    layer: "foundation",
    address: "helm_release.karpenter",
    breakIt: (j) => void delete j.resource.aws_eks_access_policy_association.terraform,
  },
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
      ["aws_iam_role_policy_attachment.team", "policy_arn", "arn:aws:iam::aws:policy/IAMFullAccess"],
      [
        "aws_iam_role_policy_attachments_exclusive.team",
        "policy_arns",
        ["arn:aws:iam::aws:policy/AdministratorAccess"],
      ],
      ["aws_iam_role_policy_attachments_exclusive.team", "policy_arns", ["arn:aws:iam::aws:policy/IAMFullAccess"]],
      ["aws_iam_policy_attachment.team", "policy_arn", "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"],
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
    // Issue 25 fix 5: with prefix delegation and maxPods 110, a 1-vCPU Graviton .medium holds 96 pod IPs.
    rule: "NODES_FIT_MAX_PODS",
    what: "a NodePool that may pick 1-vCPU instances for EC2NodeClass maxPods 110",
    layer: "foundation",
    address: "helm_release.karpenter_node_pools",
    breakIt: (j) => {
      const release = resource(j, "helm_release.karpenter_node_pools");
      const values = JSON.parse(release.values[0]);
      for (const object of values.objects)
        if (object.kind === "NodePool")
          object.spec.template.spec.requirements = object.spec.template.spec.requirements.filter(
            (requirement: Json) => requirement.key !== "karpenter.k8s.aws/instance-cpu",
          );
      release.values = [JSON.stringify(values)];
    },
  },
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
  {
    rule: "TERRAFORM_VERSION_FOR_BLOCKS",
    what: "no required_version in a stack with ephemeral blocks",
    layer: "foundation",
    address: "terraform.required_version",
    breakIt: (j) => void delete j.terraform.required_version,
  },
  {
    rule: "TERRAFORM_VERSION_FOR_BLOCKS",
    what: "required_version >= 1.7 in a stack with S3-native locking",
    layer: "operators",
    address: "terraform.required_version",
    setup: (j) => void (j.terraform.backend = { s3: { bucket: "state", key: "k", use_lockfile: true } }),
    breakIt: (j) => {
      j.terraform.required_version = ">= 1.7";
      delete j.ephemeral;
    },
  },
  {
    rule: "TERRAFORM_VERSION_FOR_BLOCKS",
    what: "no required_version in a stack with removed blocks (exec auth: no ephemeral block)",
    layer: "foundation",
    address: "terraform.required_version",
    setup: (j) => void (j.removed = [{ from: "aws_eks_addon.old", lifecycle: { destroy: false } }]),
    breakIt: (j) => {
      delete j.ephemeral;
      delete j.terraform.required_version;
    },
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
  ...terraformCloudCases(),
  ...DEFAULTS_AND_VALUES_CASES,
  ...POD_SECURITY_CASES,
  {
    rule: "NO_BLOCKING_SERVICE_WEBHOOK",
    what: "the ALB controller's Service mutator webhook on and unscoped",
    layer: "network",
    address: "helm_release.aws_load_balancer_controller",
    breakIt: (j) => {
      const release = resource(j, "helm_release.aws_load_balancer_controller");
      release.values = [JSON.stringify({ ...JSON.parse(release.values[0]), enableServiceMutatorWebhook: true })];
    },
  },
];

/** A Terraform Cloud run role and a managed workspace, as the terraform-cloud stack writes them (policy/terraform-cloud.ts). */
function terraformCloudCases(): RuleCase[] {
  const subject = "organization:acme:project:platform:workspace:eks-dev-foundation:run_phase:*";
  const trust = (sub: string | string[]) => ({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: "${aws_iam_openid_connect_provider.tfc.arn}" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "app.terraform.io:aud": "aws.workload.identity" },
          StringLike: { "app.terraform.io:sub": sub },
        },
      },
    ],
  });
  const addRunRole = (j: Json) =>
    addResource(j, "aws_iam_role.tfc_run", {
      name: "tfc-dev-foundation",
      assume_role_policy: JSON.stringify(trust(subject)),
    });
  const addWorkspace = (j: Json) => {
    addResource(j, "tfe_workspace.dev_foundation", { name: "eks-dev-foundation", organization: "acme" });
    addResource(j, "tfe_workspace_settings.dev_foundation", {
      workspace_id: "${tfe_workspace.dev_foundation.id}",
      global_remote_state: false,
      remote_state_consumer_ids: [],
    });
  };
  const editTrust = (j: Json, edit: (statement: Json) => void) => {
    const document = policyOf(j, "aws_iam_role.tfc_run", "assume_role_policy");
    edit(document.Statement[0]);
    setPolicy(j, "aws_iam_role.tfc_run", document, "assume_role_policy");
  };
  const runRole = { layer: "foundation" as const, address: "aws_iam_role.tfc_run", setup: addRunRole };
  return [
    {
      ...runRole,
      rule: "TFC_TRUST_ONE_WORKSPACE",
      what: "any workspace of the organization",
      breakIt: (j) =>
        setPolicy(
          j,
          "aws_iam_role.tfc_run",
          trust("organization:acme:project:*:workspace:*:run_phase:*"),
          "assume_role_policy",
        ),
    },
    {
      ...runRole,
      rule: "TFC_TRUST_ONE_WORKSPACE",
      what: "two workspaces",
      breakIt: (j) =>
        setPolicy(
          j,
          "aws_iam_role.tfc_run",
          trust([subject, subject.replace("foundation", "network")]),
          "assume_role_policy",
        ),
    },
    {
      ...runRole,
      rule: "TFC_TRUST_ONE_WORKSPACE",
      what: "no :aud",
      breakIt: (j) => editTrust(j, (statement) => void delete statement.Condition.StringEquals),
    },
    {
      ...runRole,
      rule: "TFC_TRUST_ONE_WORKSPACE",
      what: "run_phase:* under StringEquals",
      breakIt: (j) =>
        editTrust(j, (statement) => {
          statement.Condition.StringEquals["app.terraform.io:sub"] = subject;
          delete statement.Condition.StringLike;
        }),
    },
    {
      ...runRole,
      rule: "IAM_TRUST_NO_WILDCARD_PRINCIPAL",
      what: "a run role trusting AWS *",
      breakIt: (j) => editTrust(j, (statement) => void (statement.Principal = { AWS: "*" })),
    },
    {
      rule: "IAM_TRUST_NO_WILDCARD_PRINCIPAL",
      what: "Principal * beside Pod Identity",
      layer: "network",
      address: "aws_iam_role.external_dns",
      breakIt: (j) => {
        const document = policyOf(j, "aws_iam_role.external_dns", "assume_role_policy");
        document.Statement.push({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" });
        setPolicy(j, "aws_iam_role.external_dns", document, "assume_role_policy");
      },
    },
    {
      rule: "TFC_STATE_SHARING_SCOPED",
      what: "state shared with the whole organization",
      layer: "foundation",
      address: "tfe_workspace_settings.dev_foundation",
      setup: addWorkspace,
      breakIt: (j) => void (resource(j, "tfe_workspace_settings.dev_foundation").global_remote_state = true),
    },
    {
      rule: "TFC_STATE_SHARING_SCOPED",
      what: "a workspace without settings",
      layer: "foundation",
      address: "tfe_workspace.dev_foundation",
      setup: addWorkspace,
      breakIt: (j) => void delete j.resource.tfe_workspace_settings,
    },
    {
      rule: "AWS_PROVIDER_ACCOUNT_LOCKED",
      what: "no allowed_account_ids",
      layer: "operators",
      address: "provider.aws",
      breakIt: (j) => void delete j.provider.aws[0].allowed_account_ids,
    },
  ];
}

function findingsOf(layer: Layer, json: Json, rule: string) {
  // A fixed "today", for the rules about dates (EKS_SUPPORT_WINDOW).
  return evaluatePolicy({
    stack: stackName(layer),
    json,
    environment,
    now: new Date("2026-12-01T00:00:00Z"),
  }).findings.filter((finding) => finding.rule === rule);
}

describe("policy pack on the example", () => {
  it.each(["foundation", "network", "storage", "operators"] as const)(
    "%s passes every rule without waivers",
    (layer) => {
      expect(environment.policy.waivers).toEqual([]);
      expect(evaluatePolicy({ stack: stackName(layer), json: example[layer], environment })).toEqual({
        stack: stackName(layer),
        findings: [],
        waived: [],
      });
    },
  );

  it("has a failing case for every rule", () => {
    const covered = new Set(CASES.map((testCase) => testCase.rule));
    expect(POLICY_RULES.map((rule) => rule.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  describe.each(CASES)("$rule: $what", ({ rule, layer, address, setup, breakIt }) => {
    it("passes before the change, with the resource in scope", () => {
      const json = structuredClone(example[layer]);
      setup?.(json);
      expect(resource(json, address)).toBeDefined();
      expect(findingsOf(layer, json, rule)).toEqual([]);
    });

    it(`reports ${address} after it`, () => {
      const json = structuredClone(example[layer]);
      setup?.(json);
      breakIt(json);
      const findings = findingsOf(layer, json, rule);
      expect(findings.map((finding) => finding.address)).toContain(address);
      expect(findings[0]).toMatchObject({
        rule,
        stack: stackName(layer),
        problem: expect.any(String),
        fix: expect.any(String),
      });
    });
  });
});

describe("docs/policy.md", () => {
  const rows = readFileSync(join(__dirname, "..", "..", "docs", "policy.md"), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("| `"));

  it.each(POLICY_RULES.map((rule) => [rule.id, rule] as const))("lists %s with its scanner ids", (id, rule) => {
    const row = rows.find((line) => line.startsWith(`| \`${id}\` |`));
    expect(row).toBeDefined();
    for (const scannerId of [...(rule.scanners.checkov ?? []), ...(rule.scanners.trivy ?? [])])
      expect(row).toContain(scannerId);
    // The table's format: | `ID` | area | requires | Checkov | Trivy | usual fix |
    const cells = row!
      .slice(1, -1)
      .split(" | ")
      .map((cell) => cell.trim());
    expect(cells).toHaveLength(6);
    expect(cells[1]).toBe(rule.area);
  });
});
