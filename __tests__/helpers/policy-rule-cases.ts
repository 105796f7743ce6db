/**
 * Cases for the rules about switched-off defaults (modules/policy/defaults.ts) and add-on values
 * (modules/policy/values.ts), and for EKS_PUBLIC_ENDPOINT's reading of CIDRs, in the shape of policy-rules.test.ts's CASES (which spreads them in): each
 * breaks the synthesized example the way the rule forbids. No tests in here.
 */

import type { EnvironmentConfig } from "../../modules/config/schema";
import {
  cluster,
  editConfigurationValues,
  editValues,
  policyOf,
  resource,
  setPolicy,
  type Json,
  type RuleCase,
} from "./policy-rule-cases/edit";

/** Edits the objects the manifests release `address` ships. */
const editObjects = (json: Json, address: string, edit: (objects: Json[]) => void) =>
  editValues(json, address, (values) => edit(values.objects));

const ISSUER = {
  apiVersion: "cert-manager.io/v1",
  kind: "ClusterIssuer",
  metadata: { name: "acme" },
  spec: { acme: { email: "ops@example.com", server: "https://acme-v02.api.letsencrypt.org/directory" } },
};

const publicEndpoint = (json: Json, cidrs: string[]) =>
  Object.assign(cluster(json).vpc_config, {
    endpoint_public_access: true,
    public_access_cidrs: cidrs,
  });

export const DEFAULTS_AND_VALUES_CASES: RuleCase[] = [
  // EKS_PUBLIC_ENDPOINT judges what the CIDRs cover (modules/config/cidr.ts), as the config check does.
  ...([["0.0.0.0/1", "128.0.0.0/1"], ["1.2.3.4/0"], ["00.0.0.0/0"]] as const).map((cidrs): RuleCase => ({
    rule: "EKS_PUBLIC_ENDPOINT",
    what: `public endpoint open to ${cidrs.join(" + ")}`,
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    setup: (j) => void publicEndpoint(j, ["203.0.113.0/24"]),
    breakIt: (j) => void publicEndpoint(j, [...cidrs]),
  })),
  {
    rule: "EKS_DELETION_PROTECTION",
    what: "deletion protection off",
    layer: "foundation",
    address: "aws_eks_cluster.cluster",
    breakIt: (j) => void (resource(j, "aws_eks_cluster.cluster").deletion_protection = false),
  },
  {
    rule: "ALB_TLS_POLICY",
    what: "IngressClassParams with ELBSecurityPolicy-2016-08",
    layer: "network",
    address: "helm_release.alb_ingress_class_params",
    breakIt: (j) =>
      editObjects(
        j,
        "helm_release.alb_ingress_class_params",
        (objects) => void (objects[0].spec.sslPolicy = "ELBSecurityPolicy-2016-08"),
      ),
  },
  {
    rule: "ALB_TLS_POLICY",
    what: "an Ingress annotated with a TLS 1.0 policy",
    layer: "network",
    address: "kubernetes_ingress_v1.ingress_group",
    breakIt: (j) =>
      void (resource(j, "kubernetes_ingress_v1.ingress_group").metadata.annotations[
        "alb.ingress.kubernetes.io/ssl-policy"
      ] = "ELBSecurityPolicy-TLS13-1-0-2021-06"),
  },
  {
    rule: "ACME_HTTPS",
    what: "an ACME directory over http://",
    layer: "network",
    address: "helm_release.alb_ingress_class_params",
    setup: (j) =>
      editObjects(j, "helm_release.alb_ingress_class_params", (objects) => void objects.push(structuredClone(ISSUER))),
    breakIt: (j) =>
      editObjects(
        j,
        "helm_release.alb_ingress_class_params",
        (objects) => void (objects[objects.length - 1].spec.acme.server = "http://acme.internal/directory"),
      ),
  },
  {
    rule: "SSM_READ_SCOPED",
    what: "ssm:GetParameter* on every parameter",
    layer: "operators",
    address: "aws_iam_policy.external_secrets",
    breakIt: (j) => {
      const policy = policyOf(j, "aws_iam_policy.external_secrets");
      for (const statement of policy.Statement)
        if (statement.Sid === "ReadParametersUnderPrefixes")
          statement.Resource = ["arn:aws:ssm:eu-west-1:111111111111:parameter/*"];
      setPolicy(j, "aws_iam_policy.external_secrets", policy);
    },
  },
  {
    rule: "STATE_LOCKING",
    what: "S3 state without use_lockfile",
    layer: "foundation",
    address: "terraform.backend.s3",
    setup: (j) =>
      void (j.terraform.backend = {
        s3: { bucket: "state", key: "dev/foundation.tfstate", region: "eu-west-1", encrypt: true, use_lockfile: true },
      }),
    breakIt: (j) => void delete j.terraform.backend.s3.use_lockfile,
  },
  {
    rule: "VALUES_NO_HOST_NAMESPACES",
    what: "reloader on the host network",
    layer: "foundation",
    address: "helm_release.reloader",
    breakIt: (j) =>
      editValues(j, "helm_release.reloader", (values) => void (values.reloader.deployment.hostNetwork = true)),
  },
  {
    rule: "VALUES_NO_HOST_NAMESPACES",
    what: "hostPID through a set block",
    layer: "foundation",
    address: "helm_release.karpenter",
    breakIt: (j) => void (resource(j, "helm_release.karpenter").set = [{ name: "hostPID", value: "true" }]),
  },
  {
    rule: "VALUES_NO_PRIVILEGED",
    what: "reloader allowed to escalate",
    layer: "foundation",
    address: "helm_release.reloader",
    breakIt: (j) =>
      editValues(
        j,
        "helm_release.reloader",
        (values) => void (values.reloader.deployment.containerSecurityContext.allowPrivilegeEscalation = true),
      ),
  },
  {
    rule: "VALUES_NO_PRIVILEGED",
    what: "a privileged container",
    layer: "foundation",
    address: "helm_release.reloader",
    breakIt: (j) =>
      editValues(
        j,
        "helm_release.reloader",
        (values) => void (values.reloader.deployment.containerSecurityContext.privileged = true),
      ),
  },
  {
    rule: "VALUES_TLS_VERIFIED",
    what: "metrics-server with --kubelet-insecure-tls",
    layer: "foundation",
    address: "aws_eks_addon.metrics_server",
    breakIt: (j) =>
      void (resource(j, "aws_eks_addon.metrics_server").configuration_values = JSON.stringify({
        args: ["--kubelet-insecure-tls"],
      })),
  },
  {
    rule: "VALUES_TLS_VERIFIED",
    what: "insecureSkipVerify",
    layer: "network",
    address: "helm_release.cert_manager",
    breakIt: (j) =>
      editValues(j, "helm_release.cert_manager", (values) => void (values.webhook.insecureSkipVerify = true)),
  },
  {
    rule: "EFS_DIRECTORY_PERMS",
    what: "volume root directories open to every POSIX user (777)",
    layer: "storage",
    address: "kubernetes_storage_class_v1.efs",
    breakIt: (j) => void (resource(j, "kubernetes_storage_class_v1.efs").parameters.directoryPerms = "777"),
  },
  {
    rule: "COREDNS_VPC_RESOLVER",
    what: "a Corefile forwarding every query to 8.8.8.8",
    layer: "foundation",
    address: "aws_eks_addon.coredns",
    breakIt: (j) =>
      editConfigurationValues(
        j,
        "aws_eks_addon.coredns",
        (values) =>
          void (values.corefile =
            ".:53 {\n    errors\n    kubernetes cluster.local\n    forward . 8.8.8.8\n    cache 30\n}\n"),
      ),
  },
  // The echo server's listener rule: open to the internet, or with no source-ip condition at all.
  ...(
    [
      [
        "a source-ip condition covering the internet",
        [{ field: "source-ip", sourceIpConfig: { values: ["0.0.0.0/0"] } }],
      ],
      ["no source-ip condition", []],
    ] as const
  ).map(([what, conditions]): RuleCase => ({
    rule: "ECHO_SERVER_RESTRICTED",
    what: `the echo server's Ingress with ${what}`,
    layer: "network",
    address: "kubernetes_ingress_v1.echo_server",
    breakIt: (j) =>
      void (resource(j, "kubernetes_ingress_v1.echo_server").metadata.annotations[
        "alb.ingress.kubernetes.io/conditions.echo-server"
      ] = JSON.stringify(conditions)),
  })),
  {
    rule: "ECHO_SERVER_RESTRICTED",
    what: "the echo server's Ingress without its conditions annotation",
    layer: "network",
    address: "kubernetes_ingress_v1.echo_server",
    breakIt: (j) =>
      void delete resource(j, "kubernetes_ingress_v1.echo_server").metadata.annotations[
        "alb.ingress.kubernetes.io/conditions.echo-server"
      ],
  },
  ...(["domainFilters", "extraArgs", "txtOwnerId"] as const).map((key): RuleCase => ({
    rule: "EXTERNAL_DNS_SCOPED",
    what: `external-dns without ${key}`,
    layer: "network",
    address: "helm_release.external_dns",
    breakIt: (j) => editValues(j, "helm_release.external_dns", (values) => void delete values[key]),
  })),
];

const ORGANIZATION_BOUNDARY = "arn:aws:iam::111111111111:policy/org/permissions-boundary";
const withOrganizationBoundary = (environment: EnvironmentConfig): EnvironmentConfig => ({
  ...environment,
  iam: { ...environment.iam, permissionsBoundaryArn: ORGANIZATION_BOUNDARY },
});
/** What the platform's aspect does with the organization's boundary configured: every role carries it. */
const boundEveryRole = (json: Json) => {
  for (const role of Object.values<Json>(json.resource.aws_iam_role ?? {}))
    role.permissions_boundary = ORGANIZATION_BOUNDARY;
};

/** IAM_PERMISSIONS_BOUNDARY: the example judged as if it configured an organization's boundary. */
export const BOUNDARY_CASES: RuleCase[] = [
  {
    rule: "IAM_PERMISSIONS_BOUNDARY",
    what: "a role without the organization's boundary",
    layer: "foundation",
    address: "aws_iam_role.karpenter",
    environment: withOrganizationBoundary,
    setup: boundEveryRole,
    breakIt: (j) => void delete resource(j, "aws_iam_role.karpenter").permissions_boundary,
  },
  {
    rule: "IAM_PERMISSIONS_BOUNDARY",
    what: "a role with another boundary than the organization's",
    layer: "operators",
    address: "aws_iam_role.external_secrets",
    environment: withOrganizationBoundary,
    setup: boundEveryRole,
    breakIt: (j) =>
      void (resource(j, "aws_iam_role.external_secrets").permissions_boundary =
        "arn:aws:iam::111111111111:policy/dev-external-secrets"),
  },
];
