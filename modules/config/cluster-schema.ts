import { z } from "zod";
import { DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS, type KubernetesVersion } from "../versions";
import { parseCidr } from "../cidr";
import { bounded, hostname, namespace, organization, project, text, visible, workspacePrefix } from "./text";
import { INTERFACE_ENDPOINT_SERVICES } from "../vpc-endpoint-services";
import { accessLevels, type AccessLevel } from "../access-names";

/** Shared field shapes with messages that say what is allowed. */
export const fields = {
  account: z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" }),
  region: z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central)(east|west)?-\d{1,2}$/, {
    message: "must be an AWS region such as eu-west-1 or us-east-2",
  }),
  roleArn: bounded(2048).regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@\-/]+$/, {
    message: "must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)",
  }),
  principalArn: bounded(2048).regex(
    /^arn:aws(-cn|-us-gov)?:(iam|sts)::\d{12}:(role|user|assumed-role)\/[\w+=,.@\-/]+$/,
    {
      message: "must be an IAM role or user ARN (arn:aws:iam::<12 digits>:role/<name>)",
    },
  ),
  // Customer managed only: an AWS managed policy (account `aws`) is not the organization's, and IAM names
  // policies in its own account. Account and partition against the environment: reference-semantics.ts.
  policyArn: bounded(2048).regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:policy\/([\w+=,.@-]+\/)*[\w+=,.@-]+$/, {
    message:
      "must be a customer managed IAM policy ARN (arn:<aws|aws-cn|aws-us-gov>:iam::<12-digit account>:policy/<path/name>)",
  }),
  kmsKeyArn: bounded(2048).regex(/^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[\w/-]+$/, {
    message: "must be a KMS key or alias ARN",
  }),
  // Parsed as a network (cidr.ts): leading zeros and host bits are refused with the canonical form as the fix.
  cidr: z.string().superRefine((text, ctx) => {
    const parsed = parseCidr(text);
    if (!parsed.ok)
      ctx.addIssue({
        code: "custom",
        message: parsed.problem,
        input: text,
        params: parsed.canonical ? { fix: `write ${parsed.canonical}` } : undefined,
      });
  }),
  dnsLabel: z.string().regex(/^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/, {
    message: "must be DNS-safe: lowercase letters, digits and '-', starting with a letter, at most 32 characters",
  }),
  // AWS reserves the `aws:` prefix (case-insensitive) and refuses control characters in tags; invisible characters
  // (zero-width, bidi controls) it stores as given, to be shown and matched as something else: refused here.
  tags: z.record(
    text(128).refine((key) => !/^aws:/i.test(key), { message: "must not start with 'aws:' (reserved by AWS)" }),
    visible(bounded(256)),
  ),
};

const logTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
export const ALL_CONTROL_PLANE_LOG_TYPES = logTypes;
const LOG_RETENTION_DAYS: ReadonlyArray<number> = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

// The levels are the access policies there are (modules/access-names.ts, which imports nothing of config).
export { accessLevels, type AccessLevel };

const accessPrincipal = z.strictObject({
  arn: fields.principalArn.describe(
    "IAM role or user that gets an access entry (SSO permission-set roles, CI roles); one entry per principal.",
  ),
  level: z
    .enum(accessLevels)
    .optional()
    .describe(
      "EKS access policy level (`cluster-admin` is AmazonEKSClusterAdminPolicy, `view` AmazonEKSViewPolicy ...); omit to give only `groups`.",
    ),
  namespaces: z
    .array(namespace)
    .min(1)
    .optional()
    .describe("Limit `level` to these namespaces; omitted, it applies to the whole cluster. Needs a `level`."),
  groups: z
    .array(
      bounded(128)
        .regex(/^[a-zA-Z0-9:_.-]+$/, { message: "must be letters, digits, ':', '_', '.' and '-'" })
        .refine((g) => !g.startsWith("system:"), {
          message: "must not start with 'system:' (reserved by Kubernetes)",
        }),
    )
    .min(1)
    .optional()
    .describe("Kubernetes groups of the access entry, for teams that bring their own RBAC (not `system:*`)."),
});

export const clusterSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9-_]{0,99}$/, {
      message: "must be 1-100 letters, digits, '-' or '_', starting with a letter",
    })
    .optional()
    .describe(
      "EKS cluster name, also the prefix of its IAM role names (`<cluster>-<purpose>`), so unique per account; defaults to the environment name.",
    ),
  kubernetesVersion: z
    .enum(SUPPORTED_KUBERNETES_VERSIONS as [KubernetesVersion, ...KubernetesVersion[]])
    .default(DEFAULT_KUBERNETES_VERSION)
    .describe(
      "Kubernetes minor version of the EKS control plane; every add-on gets its newest pin that supports it, so changing this also moves add-on versions.",
    ),
  endpoint: z
    .strictObject({
      privateAccess: z
        .boolean()
        .default(true)
        .describe(
          "Private endpoint access: nodes and pods reach the API server inside the VPC, not through the internet. Turning it off needs a policy waiver (EKS_PRIVATE_ENDPOINT) and `publicAccessCidrs`.",
        ),
      publicAccessCidrs: z
        .array(fields.cidr)
        .default([])
        .describe(
          "IPv4 CIDRs allowed to reach the public API endpoint, as network addresses (no host bits, no leading zeros); empty (the default) keeps the public endpoint off.",
        ),
      acknowledgeOpenToInternet: z
        .boolean()
        .default(false)
        .describe(
          "Required when `publicAccessCidrs` cover the internet: 0.0.0.0/0, or blocks that together cover more public addresses than a /8 (however they are split up). The API server is then reachable from the whole internet, and EKS_PUBLIC_ENDPOINT needs a waiver too.",
        ),
    })
    .prefault({})
    .describe(
      "Where the Kubernetes API server can be reached from: privately inside the VPC, publicly only from listed CIDRs.",
    ),
  logs: z
    .strictObject({
      types: z
        .array(z.enum(logTypes))
        .default([...logTypes])
        .describe(
          "Control-plane log types sent to CloudWatch Logs; the default, all five, is what the policy pack (EKS_CONTROL_PLANE_LOGS) requires.",
        ),
      retentionDays: z
        .number()
        .refine((days) => LOG_RETENTION_DAYS.includes(days), {
          message: `must be one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
        })
        .default(90)
        .describe(
          "Days the KMS-encrypted log group `/aws/eks/<cluster>/cluster` keeps control-plane logs; one of CloudWatch's retention periods.",
        ),
    })
    .prefault({})
    .describe("Control-plane logging into a log group the platform creates before the cluster."),
  kmsKeyArn: fields.kmsKeyArn
    .optional()
    .describe(
      "An existing customer-managed KMS key for Kubernetes secrets, control-plane logs and EFS: the key's ARN (not an alias), in the environment's account and region; omitted, the platform creates its own keys (rotation on, `prevent_destroy`).",
    ),
  kubernetesAuth: z
    .enum(["ephemeral", "exec", "token"])
    .default("ephemeral")
    .describe(
      "How Terraform's Kubernetes and Helm providers authenticate: `ephemeral` (Terraform >= 1.10) mints a token at every plan and apply and never stores it: no AWS CLI needed (Terraform Cloud), and a long apply or a late-confirmed run still authenticates; `exec` runs `aws eks get-token` as the assumed role (no `externalId`: the CLI cannot pass one); `token` is the `aws_eks_cluster_auth` data source, minted at plan time and valid 15 minutes, which fails long or late applies (needs a waiver of K8S_AUTH_NOT_AT_PLAN_TIME).",
    ),
  supportType: z
    .enum(["EXTENDED", "STANDARD"])
    .default("EXTENDED")
    .describe(
      "EKS support policy (`upgrade_policy.support_type`). EXTENDED (the AWS default) keeps a version running after standard support ends, at extra cost; with STANDARD, EKS upgrades the control plane itself at the end of standard support and the next plan tries a downgrade, so the policy pack (EKS_SUPPORT_WINDOW) refuses STANDARD within 30 days of that date.",
    ),
  deletionProtection: z
    .boolean()
    .default(true)
    .describe(
      "EKS deletion protection: the AWS API refuses to delete the cluster, so `terraform destroy` fails while it is on (see Deleting stateful resources in the README).",
    ),
  access: z
    .strictObject({
      terraformRoleArn: fields.principalArn
        .optional()
        .describe(
          "The identity the Kubernetes and Helm providers call the cluster API as, which gets cluster-admin (the in-cluster layers need it). Default: `assumeRoleArn` when set, else the foundation workspace's run role with Terraform Cloud dynamic credentials; required otherwise (the role you run Terraform as: a plan-time precondition checks the caller is it). A different role than `assumeRoleArn` is an error.",
        ),
      principals: z
        .array(accessPrincipal)
        .default([])
        .describe(
          "People and pipelines with access: one EKS access entry each, with an access policy (`level`) and/or Kubernetes `groups`.",
        ),
    })
    .prefault({})
    .describe(
      "Who may use the cluster, through EKS access entries; nobody gets access implicitly (cluster-creator admin is off).",
    ),
  spotServiceLinkedRole: z
    .boolean()
    .default(false)
    .describe(
      "Create the account-wide spot service-linked role, for accounts that never launched spot capacity; off by default because there is one per account and it may already exist.",
    ),
});

export const vpcSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^vpc-[0-9a-f]{8,17}$/, { message: "must be a VPC id such as vpc-0123456789abcdef0" })
      .optional()
      .describe("An existing VPC to run in; required unless `create` is given."),
    privateSubnetIds: z
      .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { message: "must be a subnet id such as subnet-0123abcd" }))
      .optional()
      .describe(
        "Private subnets of `id`, at least two in different AZs: control plane, Fargate, EFS mount targets, internal ALBs. Tag them for Karpenter (docs/foundation.md).",
      ),
    publicSubnetIds: z
      .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { message: "must be a subnet id such as subnet-0123abcd" }))
      .optional()
      .describe(
        "Public subnets of `id` for internet-facing ALBs; required unless `create` is given, `[]` for a private-only VPC.",
      ),
    create: z
      .strictObject({
        cidr: fields.cidr.describe(
          "IPv4 CIDR of the new VPC (a network address, /16 to /28): its first half becomes the private subnets, public ones are a quarter of their size.",
        ),
        azs: z
          .array(
            bounded(32).regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, {
              message: "must be an availability zone such as eu-west-1a",
            }),
          )
          .min(2, { message: "needs at least two availability zones" })
          .describe(
            "Availability zones in the environment's region, one private and one public subnet each; taken from config, never looked up at plan time.",
          ),
        natGateways: z
          .enum(["single", "one-per-az"])
          .default("one-per-az")
          .describe(
            "NAT gateways for the private subnets' egress: `one-per-az` keeps one AZ's outage from cutting the others' egress; `single` is cheaper.",
          ),
        endpoints: z
          .strictObject({
            s3Gateway: z
              .boolean()
              .default(true)
              .describe(
                "An S3 gateway endpoint on the private route tables: image layers from ECR (stored in S3) and other S3 traffic skip the NAT gateways. Free.",
              ),
            interface: z
              .array(z.enum(INTERFACE_ENDPOINT_SERVICES))
              .default([])
              .describe(
                "Interface endpoints with private DNS for these services, in the private subnets behind a security group that admits HTTPS from the VPC only: the platform's own calls (ECR, STS, EC2, SQS, EKS Auth, EKS, SSM, Elastic Load Balancing) skip the NAT gateways. Priced per endpoint and AZ (about 7.30 USD a month each in us-east-1, plus data): none by default. docs/foundation.md lists the costs.",
              ),
          })
          .default({ s3Gateway: true, interface: [] })
          .describe("VPC endpoints, which keep the platform's AWS calls off the NAT gateways."),
      })
      .optional()
      .describe(
        "Create the VPC instead: private subnets behind NAT and public subnets for load balancers, laid out from `cidr` at synth time.",
      ),
  })
  .superRefine((vpc, ctx) => {
    if (vpc.create && (vpc.id || vpc.privateSubnetIds || vpc.publicSubnetIds)) {
      ctx.addIssue({
        code: "custom",
        message: "give either `create` or an existing `id` with subnets, not both",
        input: vpc,
      });
    } else if (!vpc.create) {
      if (!vpc.id)
        ctx.addIssue({ code: "custom", path: ["id"], message: "is required unless `create` is given", input: vpc.id });
      if (!vpc.privateSubnetIds || vpc.privateSubnetIds.length < 2) {
        ctx.addIssue({
          code: "custom",
          path: ["privateSubnetIds"],
          message:
            "needs at least two private subnets in different AZs (Fargate and the Karpenter controller spread across zones)",
          input: vpc.privateSubnetIds,
        });
      }
      if (!vpc.publicSubnetIds)
        ctx.addIssue({
          code: "custom",
          path: ["publicSubnetIds"],
          message: "is required unless `create` is given (use [] for a private-only VPC)",
          input: vpc.publicSubnetIds,
        });
    }
  });

export const backendSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("local"),
    path: text(1024)
      .optional()
      .describe(
        "State file path relative to `<outdir>/stacks/<stack>`; `{stack}` is replaced by the stack name. Each stack needs its own file (so a path shared by two stacks is refused: put `{stack}` in it), and a relative path may not climb out of the project with `..`. Default: `terraform.<stack>.tfstate` in the project root.",
      ),
  }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "must be an S3 bucket name" })
      .describe(
        "S3 bucket of the state files, one per stack at `<keyPrefix>/<env>/<layer>.tfstate`, always encrypted.",
      ),
    region: fields.region.optional().describe("Region of the bucket; default: the environment's region."),
    keyPrefix: bounded(512)
      .regex(/^[\w.\-/]*$/, { message: "must be letters, digits, '_', '.', '-' and '/'" })
      .default("eks-platform")
      .describe('Key prefix of the state files; `""` puts them at `<env>/<layer>.tfstate`.'),
    useLockfile: z
      .boolean()
      .default(true)
      .describe(
        "S3-native state locking (`use_lockfile`, Terraform 1.10 or later): a lock file next to the state, no DynamoDB table.",
      ),
    kmsKeyId: fields.kmsKeyArn
      .optional()
      .describe("KMS key the state objects are encrypted with; omitted, they are encrypted with S3-managed keys."),
  }),
  z.strictObject({
    type: z.literal("cloud"),
    organization: organization.describe("Terraform Cloud / Enterprise organization that holds the workspaces."),
    hostname: hostname
      .default("app.terraform.io")
      .describe("Terraform Cloud or Terraform Enterprise host name; the default is Terraform Cloud."),
    project: project
      .optional()
      .describe("Project the workspaces belong to; omitted, the organization's default project."),
    workspacePrefix: workspacePrefix
      .default("")
      .describe("Prefix of the workspace names: one workspace per stack, `<workspacePrefix><env>-<layer>`."),
    // Terraform Cloud as code (modules/terraform-cloud). executionMode and awsAuth have no zod default, so that
    // setting one without `manageWorkspaces` stays visible to the config checks (and is refused); their defaults
    // are applied in modules/terraform-cloud/settings.ts.
    manageWorkspaces: z
      .boolean()
      .default(false)
      .describe(
        "Create and wire this environment's workspaces from the config, in the `terraform-cloud` stack: one workspace per stack (this name, project and tags), remote state shared only with the layers that read it, run triggers from the foundation, and AWS dynamic credentials (`awsAuth`). Off: create the workspaces yourself.",
      ),
    executionMode: z
      .enum(["remote", "agent"])
      .optional()
      .describe(
        "Where the managed workspaces run (default `remote`, HCP Terraform's hosted runners): `agent` runs on your agent pool (`agentPoolId`), which a private-only cluster endpoint needs. Only with `manageWorkspaces`.",
      ),
    agentPoolId: bounded(64)
      .regex(/^apool-[A-Za-z0-9]+$/, { message: "must be an agent pool id such as apool-AbCd1234" })
      .optional()
      .describe(
        "The agent pool the workspaces run on (`apool-...`); required with `executionMode: agent`, refused otherwise.",
      ),
    awsAuth: z
      .enum(["dynamic", "none"])
      .optional()
      .describe(
        "AWS credentials of the runs (default `dynamic`): an IAM OIDC provider for the host name and, per workspace, a read-only plan role and an apply role, each trusted by that workspace's plan or apply phase only, set through TFC_AWS_PROVIDER_AUTH, TFC_AWS_PLAN_ROLE_ARN and TFC_AWS_APPLY_ROLE_ARN; `none` leaves the credentials to you (variable sets, agents' instance roles). Only with `manageWorkspaces`.",
      ),
  }),
]);

export type ClusterConfig = z.output<typeof clusterSchema>;
export type VpcConfig = z.output<typeof vpcSchema>;
export type BackendConfig = z.output<typeof backendSchema>;
