import { z } from "zod";
import { DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS } from "../versions";

/** Shared field shapes with messages that say what is allowed. */
export const fields = {
  account: z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" }),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central)(east|west)?-\d{1,2}$/, {
      message: "must be an AWS region such as eu-west-1 or us-east-2",
    }),
  roleArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@\-/]+$/, {
    message: "must be an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)",
  }),
  principalArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:(iam|sts)::\d{12}:(role|user|assumed-role)\/[\w+=,.@\-/]+$/, {
    message: "must be an IAM role or user ARN (arn:aws:iam::<12 digits>:role/<name>)",
  }),
  kmsKeyArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[\w/-]+$/, {
    message: "must be a KMS key or alias ARN",
  }),
  cidr: z
    .string()
    .regex(/^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(3[0-2]|[12]?\d)$/, {
      message: "must be an IPv4 CIDR block such as 10.0.0.0/16",
    }),
  dnsLabel: z.string().regex(/^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/, {
    message: "must be DNS-safe: lowercase letters, digits and '-', starting with a letter, at most 32 characters",
  }),
  tags: z.record(z.string().min(1).max(128), z.string().max(256)),
};

const logTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
export const ALL_CONTROL_PLANE_LOG_TYPES = logTypes;
const LOG_RETENTION_DAYS: ReadonlyArray<number> = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const accessLevels = ["cluster-admin", "admin", "edit", "view"] as const;
export type AccessLevel = (typeof accessLevels)[number];

const accessPrincipal = z.strictObject({
  /** IAM role or user that gets access (SSO permission-set roles, CI roles). */
  arn: fields.principalArn,
  /** EKS access policy level; omit to give only `groups`. */
  level: z.enum(accessLevels).optional(),
  /** Limit `level` to these namespaces instead of the whole cluster. */
  namespaces: z.array(fields.dnsLabel).min(1).optional(),
  /** Kubernetes groups for teams that bring their own RBAC. */
  groups: z.array(z.string().regex(/^[a-zA-Z0-9:_.-]+$/).refine((g) => !g.startsWith("system:"), {
    message: "must not start with 'system:' (reserved by Kubernetes)",
  })).min(1).optional(),
});

export const clusterSchema = z.strictObject({
  /** Cluster name; defaults to the environment name. */
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9-_]{0,99}$/, { message: "must be 1-100 letters, digits, '-' or '_', starting with a letter" }).optional(),
  kubernetesVersion: z.enum(SUPPORTED_KUBERNETES_VERSIONS as [string, ...string[]]).default(DEFAULT_KUBERNETES_VERSION),
  endpoint: z
    .strictObject({
      /** Private endpoint access; turning it off also needs a policy waiver. */
      privateAccess: z.boolean().default(true),
      /** CIDRs allowed to reach the public endpoint; empty keeps the public endpoint off. */
      publicAccessCidrs: z.array(fields.cidr).default([]),
      /** Required to list 0.0.0.0/0: the API server is then reachable from the whole internet. */
      acknowledgeOpenToInternet: z.boolean().default(false),
    })
    .prefault({}),
  logs: z
    .strictObject({
      types: z.array(z.enum(logTypes)).default([...logTypes]),
      retentionDays: z
        .number()
        .refine((days) => LOG_RETENTION_DAYS.includes(days), { message: `must be one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}` })
        .default(90),
    })
    .prefault({}),
  /** Use an existing customer-managed key for secrets, logs and EFS instead of creating one per environment. */
  kmsKeyArn: fields.kmsKeyArn.optional(),
  /** How Terraform's Kubernetes and Helm providers authenticate: a short-lived token, or `aws eks get-token` for long applies. */
  kubernetesAuth: z.enum(["token", "exec"]).default("token"),
  /** Refuse `terraform destroy` of the cluster at the AWS API level. */
  deletionProtection: z.boolean().default(true),
  access: z
    .strictObject({
      /** The IAM role that runs Terraform: gets cluster-admin, which the in-cluster layers need. */
      terraformRoleArn: fields.principalArn.optional(),
      principals: z.array(accessPrincipal).default([]),
    })
    .prefault({}),
  /** Create the account-wide spot service-linked role (only once per account; off because it may exist). */
  spotServiceLinkedRole: z.boolean().default(false),
});

export const vpcSchema = z
  .strictObject({
    id: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { message: "must be a VPC id such as vpc-0123456789abcdef0" }).optional(),
    privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { message: "must be a subnet id such as subnet-0123abcd" })).optional(),
    publicSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { message: "must be a subnet id such as subnet-0123abcd" })).optional(),
    create: z
      .strictObject({
        cidr: fields.cidr,
        azs: z.array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { message: "must be an availability zone such as eu-west-1a" })).min(2, { message: "needs at least two availability zones" }),
        natGateways: z.enum(["single", "one-per-az"]).default("one-per-az"),
      })
      .optional(),
  })
  .superRefine((vpc, ctx) => {
    if (vpc.create && (vpc.id || vpc.privateSubnetIds || vpc.publicSubnetIds)) {
      ctx.addIssue({ code: "custom", message: "give either `create` or an existing `id` with subnets, not both", input: vpc });
    } else if (!vpc.create) {
      if (!vpc.id) ctx.addIssue({ code: "custom", path: ["id"], message: "is required unless `create` is given", input: vpc.id });
      if (!vpc.privateSubnetIds || vpc.privateSubnetIds.length < 2) {
        ctx.addIssue({ code: "custom", path: ["privateSubnetIds"], message: "needs at least two private subnets in different AZs (Fargate and the Karpenter controller spread across zones)", input: vpc.privateSubnetIds });
      }
      if (!vpc.publicSubnetIds) ctx.addIssue({ code: "custom", path: ["publicSubnetIds"], message: "is required unless `create` is given (use [] for a private-only VPC)", input: vpc.publicSubnetIds });
    }
  });

export const backendSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("local"),
    /** State file path relative to `<outdir>/stacks/<stack>`; `{stack}` is replaced by the stack name. */
    path: z.string().min(1).optional(),
  }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "must be an S3 bucket name" }),
    region: fields.region.optional(),
    keyPrefix: z.string().regex(/^[\w.\-/]*$/).default("eks-platform"),
    useLockfile: z.boolean().default(true),
    kmsKeyId: fields.kmsKeyArn.optional(),
  }),
  z.strictObject({
    type: z.literal("cloud"),
    organization: z.string().min(1),
    hostname: z.string().regex(/^[a-z0-9.-]+$/).default("app.terraform.io"),
    project: z.string().min(1).optional(),
    workspacePrefix: z.string().regex(/^[\w-]*$/).default(""),
  }),
]);

export type ClusterConfig = z.output<typeof clusterSchema>;
export type VpcConfig = z.output<typeof vpcSchema>;
export type BackendConfig = z.output<typeof backendSchema>;
