import { cluster, type RuleCase } from "./edit";

/**
 * Cases for the cluster's own rules (modules/policy/eks.ts, support.ts): control-plane logs, secrets encryption,
 * endpoints, the Kubernetes version and its support window, access.
 */
export const EKS_CASES: RuleCase[] = [
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
];
