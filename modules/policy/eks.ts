import { ALL_CONTROL_PLANE_LOG_TYPES } from "../config/cluster-schema";
import { coversInternet, parseCidr, parseCidrs, publicAddressCount } from "../cidr";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../versions";
import { asStrings, firstBlock, type ResourceBlock, type StackJson } from "../terraform-json";
import { checkEach, defineRule, type PolicyRule } from "./types";

/** The five control-plane log types (the config's default); audit and authenticator are the ones an incident needs. */
const LOG_TYPES: ReadonlyArray<string> = ALL_CONTROL_PLANE_LOG_TYPES;

const eachCluster = (json: StackJson, check: (cluster: ResourceBlock) => string | undefined) =>
  checkEach(json, "aws_eks_cluster", check);

export const EKS_RULES: PolicyRule[] = [
  defineRule({
    id: "EKS_CONTROL_PLANE_LOGS",
    area: "eks",
    title: "All five control-plane log types are enabled",
    scanners: { checkov: ["CKV_AWS_37"], trivy: ["AVD-AWS-0038"] },
    fix: "keep cluster.logs.types at its default (all five)",
    check: ({ json }) =>
      eachCluster(json, (cluster) => {
        const enabled = asStrings(cluster.body.enabled_cluster_log_types);
        const missing = LOG_TYPES.filter((type) => !enabled.includes(type));
        return missing.length ? `control-plane log types ${missing.join(", ")} are not enabled` : undefined;
      }),
  }),
  defineRule({
    id: "EKS_SECRETS_ENCRYPTION",
    area: "eks",
    title: "Kubernetes secrets are envelope-encrypted with a customer-managed KMS key",
    scanners: { checkov: ["CKV_AWS_58"], trivy: ["AVD-AWS-0039"] },
    fix: "keep encryption_config with resources [secrets] and a customer key (the platform key, or cluster.kmsKeyArn)",
    check: ({ json }) =>
      eachCluster(json, (cluster) => {
        const encryption = firstBlock(cluster.body.encryption_config);
        const keyArn = firstBlock(encryption?.provider)?.key_arn;
        if (!encryption || !asStrings(encryption.resources).includes("secrets"))
          return "secrets are not envelope-encrypted (no encryption_config for secrets)";
        if (typeof keyArn !== "string" || keyArn === "") return "encryption_config has no KMS key";
        if (keyArn.includes(":alias/aws/"))
          return `secrets use an AWS-managed key (${keyArn}), not a customer-managed one`;
        return undefined;
      }),
  }),
  defineRule({
    id: "EKS_PRIVATE_ENDPOINT",
    area: "eks",
    title: "The private API endpoint is on",
    scanners: { checkov: ["CKV_AWS_39"], trivy: ["AVD-AWS-0040"] },
    fix: "set cluster.endpoint.privateAccess: true",
    check: ({ json }) =>
      eachCluster(json, (cluster) =>
        firstBlock(cluster.body.vpc_config)?.endpoint_private_access === true
          ? undefined
          : "the private API endpoint is off: nodes and pods reach the API through the internet",
      ),
  }),
  defineRule({
    id: "EKS_PUBLIC_ENDPOINT",
    area: "eks",
    title:
      "The public API endpoint is off, or open only to listed CIDRs (never the internet: 0.0.0.0/0, or blocks covering more than a /8 of public addresses)",
    scanners: { checkov: ["CKV_AWS_38"], trivy: ["AVD-AWS-0041"] },
    fix: "list specific CIDRs in cluster.endpoint.publicAccessCidrs, or leave it empty to keep the public endpoint off",
    check: ({ json }) =>
      eachCluster(json, (cluster) => {
        const vpc = firstBlock(cluster.body.vpc_config);
        // The provider's default for endpoint_public_access is true, and for public_access_cidrs 0.0.0.0/0.
        if (vpc?.endpoint_public_access === false) return undefined;
        const cidrs = asStrings(vpc?.public_access_cidrs);
        if (cidrs.length === 0)
          return "the public API endpoint is on without public_access_cidrs, which means 0.0.0.0/0";
        // What the list covers, not how it is written (the config's guard uses the same parsing).
        const unparsed = cidrs.filter((cidr) => !parseCidr(cidr).ok);
        if (unparsed.length > 0)
          return `public_access_cidrs has ${unparsed.join(", ")}, which is not a canonical IPv4 CIDR block`;
        const parsed = parseCidrs(cidrs) ?? [];
        if (!coversInternet(parsed)) return undefined;
        return cidrs.includes("0.0.0.0/0")
          ? "the public API endpoint is open to 0.0.0.0/0"
          : `the public API endpoint is open to the internet: ${cidrs.join(", ")} cover ${publicAddressCount(parsed).toLocaleString("en-US")} public addresses`;
      }),
  }),
  defineRule({
    id: "EKS_SUPPORTED_VERSION",
    area: "eks",
    title: `Kubernetes version is one this release supports (${SUPPORTED_KUBERNETES_VERSIONS.join(", ")})`,
    scanners: { checkov: ["CKV_AWS_339"] },
    fix: `set cluster.kubernetesVersion to one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`,
    check: ({ json }) =>
      eachCluster(json, (cluster) => {
        const version = cluster.body.version;
        if (typeof version !== "string") return "no Kubernetes version: EKS would pick one at apply time";
        return (SUPPORTED_KUBERNETES_VERSIONS as ReadonlyArray<string>).includes(version)
          ? undefined
          : `Kubernetes ${version} is not supported by this release`;
      }),
  }),
  defineRule({
    id: "EKS_AUTHENTICATION_MODE",
    area: "eks",
    title: "Cluster access is managed by access entries only (authentication_mode = API)",
    scanners: {},
    fix: "keep access_config.authentication_mode = API; grant access with cluster.access.principals",
    check: ({ json }) =>
      eachCluster(json, (cluster) => {
        const mode = firstBlock(cluster.body.access_config)?.authentication_mode;
        return mode === "API"
          ? undefined
          : `authentication_mode is ${mode === undefined ? "unset (the aws-auth ConfigMap stays in use)" : String(mode)}, not API`;
      }),
  }),
  defineRule({
    id: "EKS_NO_CREATOR_ADMIN",
    area: "eks",
    title: "The identity that creates the cluster gets no implicit, invisible cluster-admin",
    scanners: {},
    fix: "keep access_config.bootstrap_cluster_creator_admin_permissions = false; Terraform gets access through aws_eks_access_entry.terraform",
    check: ({ json }) =>
      eachCluster(json, (cluster) =>
        firstBlock(cluster.body.access_config)?.bootstrap_cluster_creator_admin_permissions === false
          ? undefined
          : "the cluster creator gets implicit cluster-admin (bootstrap_cluster_creator_admin_permissions is not false)",
      ),
  }),
];
