import type { GraphNode } from "./graph";

/**
 * Typical create and destroy times per resource type, in minutes, for the rehearsal's stand-ins. These are
 * typical wall times of a healthy run, not the provider's default timeouts (those are upper bounds, quoted in
 * `source` where they are the only published figure). Every row says where its figure comes from; "operator
 * experience" means no published typical figure was found and the number is what runs of this kind usually
 * take. Rows are matched in order: the first whose `type` matches (exact, or a prefix ending in `*`) and whose
 * `when` holds gives the times; nothing matching gives DEFAULT_TIMES.
 */
export interface TypicalTime {
  /** Resource type (`aws_eks_cluster`), or a prefix ending in `*` (`aws_iam_*`). */
  readonly type: string;
  /** Only when this top-level argument of the block has this value (e.g. a helm_release with `wait: false`). */
  readonly when?: { readonly argument: string; readonly equals: unknown };
  readonly createMinutes: number;
  readonly destroyMinutes: number;
  readonly source: string;
}

const PROVIDER = "terraform-provider-aws default timeouts";

export const TYPICAL_TIMES: ReadonlyArray<TypicalTime> = [
  {
    type: "aws_eks_cluster",
    createMinutes: 10,
    destroyMinutes: 5,
    source:
      "EKS CreateCluster API reference ('in most cases, it takes several minutes to create a cluster'); aws/containers-roadmap#1227 measured ~15 min on average before EKS sped it up; " +
      `${PROVIDER} create 30m / delete 15m (upper bounds); 10 / 5 min is operator experience on current EKS`,
  },
  {
    type: "aws_eks_fargate_profile",
    createMinutes: 2.5,
    destroyMinutes: 3.5,
    source:
      "EKS user guide (delete-fargate-profile): only one profile per cluster may be CREATING or DELETING at a time; " +
      `${PROVIDER} create 10m / delete 10m (upper bounds); 2-3 min create, 2-5 min delete is operator experience`,
  },
  {
    type: "aws_eks_addon",
    createMinutes: 1.5,
    destroyMinutes: 1,
    source: `${PROVIDER} create 20m / delete 40m (upper bounds); 1-2 min until ACTIVE is operator experience`,
  },
  {
    type: "aws_eks_node_group",
    createMinutes: 4,
    destroyMinutes: 5,
    source: `${PROVIDER} create 60m / delete 60m (upper bounds); operator experience`,
  },
  {
    type: "aws_nat_gateway",
    createMinutes: 2,
    destroyMinutes: 1,
    source: `${PROVIDER} create 10m / delete 30m (upper bounds); ~2 min to available, ~1 min to deleted is operator experience`,
  },
  {
    type: "aws_acm_certificate_validation",
    createMinutes: 3,
    destroyMinutes: 0,
    source:
      "ACM user guide: DNS validation completes minutes after the CNAME resolves; provider default create timeout 75m (upper bound); destroy only forgets it (no API call)",
  },
  {
    type: "aws_route53_record",
    createMinutes: 0.75,
    destroyMinutes: 0.75,
    source:
      "Route 53 API reference (ChangeResourceRecordSets): changes reach all authoritative servers, INSYNC, generally within 60 s; the provider waits for INSYNC",
  },
  {
    type: "helm_release",
    when: { argument: "wait", equals: false },
    createMinutes: 0.2,
    destroyMinutes: 0.2,
    source: "helm provider: without `wait` the release is done when the manifests are accepted; operator experience",
  },
  {
    type: "helm_release",
    createMinutes: 3,
    destroyMinutes: 1,
    source:
      "helm provider `wait` (default true) waits for Deployments, Services and Jobs to be ready, up to `timeout` (300 s default); 1-5 min for controllers such as Karpenter and the AWS Load Balancer Controller (image pull, Fargate pod start) is operator experience",
  },
  {
    type: "kubernetes_ingress_v1",
    when: { argument: "wait_for_load_balancer", equals: true },
    createMinutes: 3,
    destroyMinutes: 1,
    source:
      "waits for the ALB the AWS Load Balancer Controller provisions: as aws_lb (~3 min); destroy waits for the controller's finalizer to delete it (operator experience)",
  },
  {
    type: "kubernetes_deployment*",
    createMinutes: 1,
    destroyMinutes: 0.3,
    source:
      "kubernetes provider waits for the rollout (`wait_for_rollout`, default true); ~1 min is operator experience",
  },
  {
    type: "kubernetes_namespace*",
    createMinutes: 0.1,
    destroyMinutes: 0.5,
    source: "kubernetes provider waits for the namespace to finish terminating on delete; operator experience",
  },
  {
    type: "kubernetes_*",
    createMinutes: 0.1,
    destroyMinutes: 0.1,
    source: "one Kubernetes API call; seconds (operator experience)",
  },
  {
    type: "aws_efs_mount_target",
    createMinutes: 1.5,
    destroyMinutes: 1,
    source: `${PROVIDER} create 30m / delete 10m (upper bounds); ~90 s until available is operator experience`,
  },
  {
    type: "aws_efs_file_system",
    createMinutes: 0.5,
    destroyMinutes: 0.5,
    source: "provider waits for the file system to be available / deleted; operator experience",
  },
  {
    type: "aws_lb",
    createMinutes: 3,
    destroyMinutes: 1,
    source: `${PROVIDER} create 10m (upper bound); a load balancer is 'provisioning' a few minutes (ELB user guide); operator experience`,
  },
  {
    type: "aws_eks_access_*",
    createMinutes: 0.1,
    destroyMinutes: 0.1,
    source: "synchronous EKS API calls (CreateAccessEntry, AssociateAccessPolicy); seconds (operator experience)",
  },
  {
    type: "aws_iam_*",
    createMinutes: 0.1,
    destroyMinutes: 0.1,
    source:
      "synchronous IAM API calls; seconds, plus the provider's retries on eventual consistency (operator experience)",
  },
  {
    type: "aws_internet_gateway",
    createMinutes: 0.1,
    destroyMinutes: 0.5,
    source: "detach waits until no public addresses remain mapped in the VPC; operator experience",
  },
  {
    type: "aws_vpc_endpoint",
    createMinutes: 1.5,
    destroyMinutes: 1.5,
    source: `${PROVIDER} create 10m / delete 10m (upper bounds); interface endpoints take 1-2 min (operator experience)`,
  },
];

export const DEFAULT_TIMES: TypicalTime = {
  type: "*",
  createMinutes: 0.1,
  destroyMinutes: 0.1,
  source: "unknown type: one API call, a few seconds (operator experience)",
};

/** Data sources are read (plan time, or apply time when they wait for a resource); never destroyed. */
export const DATA_SOURCE_TIMES: TypicalTime = {
  type: "data.*",
  createMinutes: 0.05,
  destroyMinutes: 0,
  source: "one read API call; data sources are not destroyed",
};

/** Opening an ephemeral resource (minting a token) is one local presign or API call. */
export const EPHEMERAL_TIMES: TypicalTime = {
  type: "ephemeral.*",
  createMinutes: 0.05,
  destroyMinutes: 0,
  source: "aws_eks_cluster_auth signs an STS GetCallerIdentity request locally; closing does nothing",
};

function matches(row: TypicalTime, node: GraphNode): boolean {
  const typeMatches = row.type.endsWith("*") ? node.type.startsWith(row.type.slice(0, -1)) : node.type === row.type;
  return typeMatches && (!row.when || node.body[row.when.argument] === row.when.equals);
}

/** The typical times of one node (see TYPICAL_TIMES). */
export function timesOf(node: GraphNode, table: ReadonlyArray<TypicalTime> = TYPICAL_TIMES): TypicalTime {
  if (node.mode === "data") return DATA_SOURCE_TIMES;
  if (node.mode === "ephemeral") return EPHEMERAL_TIMES;
  return table.find((row) => matches(row, node)) ?? DEFAULT_TIMES;
}
