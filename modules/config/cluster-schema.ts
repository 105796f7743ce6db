import { z } from "zod";
import { DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS, type KubernetesVersion } from "../versions";
import { bounded, namespace } from "./text";
import { fields } from "./fields";
import { accessLevels, type AccessLevel } from "../access-names";

/** `cluster`: the EKS control plane, its version, endpoint, logging, encryption key and who may use it. */

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

export type ClusterConfig = z.output<typeof clusterSchema>;
