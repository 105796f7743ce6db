import { editConfigurationValues, editValues, resource, type Json, type RuleCase } from "./edit";

const labels = (json: Json, address: string): Json => resource(json, address).metadata.labels;

const annotations = (json: Json, address: string): Json => resource(json, address).metadata.annotations;

const ENFORCE = "pod-security.kubernetes.io/enforce";

/**
 * Cases for the Pod Security and NetworkPolicy rules (modules/policy/pod-security.ts): namespaces whose labels no
 * longer match what their add-ons declare, values their namespace's enforce level rejects, the VPC CNI not
 * enforcing NetworkPolicies.
 */
export const POD_SECURITY_CASES: RuleCase[] = [
  {
    rule: "POD_SECURITY_NAMESPACES",
    what: "cert-manager's namespace enforcing privileged",
    layer: "network",
    address: "kubernetes_namespace_v1.cert_manager",
    breakIt: (j) => void (labels(j, "kubernetes_namespace_v1.cert_manager")[ENFORCE] = "privileged"),
  },
  {
    rule: "POD_SECURITY_NAMESPACES",
    what: "a namespace without its warn label",
    layer: "foundation",
    address: "kubernetes_namespace_v1.reloader",
    breakIt: (j) => void delete labels(j, "kubernetes_namespace_v1.reloader")["pod-security.kubernetes.io/warn"],
  },
  {
    rule: "POD_SECURITY_NAMESPACES",
    what: "restricted enforced where an add-on declares baseline",
    layer: "operators",
    address: "kubernetes_namespace_v1.external_secrets",
    breakIt: (j) =>
      void (annotations(j, "kubernetes_namespace_v1.external_secrets")["cdktf-eks-platform/pod-security"] =
        "external-secrets=baseline"),
  },
  {
    rule: "POD_SECURITY_NAMESPACES",
    what: "the echo server's own namespace without its enforce label",
    layer: "network",
    address: "kubernetes_namespace_v1.echo_server",
    breakIt: (j) => void delete labels(j, "kubernetes_namespace_v1.echo_server")[ENFORCE],
  },
  {
    rule: "POD_SECURITY_VALUES",
    what: "cert-manager's webhook on the host network (restricted namespace)",
    layer: "network",
    address: "helm_release.cert_manager",
    breakIt: (j) => editValues(j, "helm_release.cert_manager", (values) => void (values.webhook.hostNetwork = true)),
  },
  {
    rule: "POD_SECURITY_VALUES",
    what: "external-dns running as root",
    layer: "network",
    address: "helm_release.external_dns",
    breakIt: (j) =>
      editValues(j, "helm_release.external_dns", (values) => void (values.securityContext = { runAsNonRoot: false })),
  },
  {
    rule: "POD_SECURITY_VALUES",
    what: "a hostPath volume through a set block",
    layer: "operators",
    address: "helm_release.external_secrets",
    breakIt: (j) =>
      void (resource(j, "helm_release.external_secrets").set = [
        { name: "extraVolumes[0].hostPath.path", value: "/var" },
      ]),
  },
  {
    rule: "POD_SECURITY_VALUES",
    what: "a privileged echo server container (Kubernetes provider object)",
    layer: "network",
    address: "kubernetes_deployment_v1.echo_server",
    breakIt: (j) =>
      void (resource(
        j,
        "kubernetes_deployment_v1.echo_server",
      ).spec.template.spec.container[0].security_context.privileged = true),
  },
  {
    rule: "NETWORK_POLICY_ENFORCED",
    what: "the VPC CNI with enableNetworkPolicy false",
    layer: "foundation",
    address: "aws_eks_addon.vpc_cni",
    breakIt: (j) =>
      editConfigurationValues(j, "aws_eks_addon.vpc_cni", (values) => void (values.enableNetworkPolicy = "false")),
  },
];
