import { POD_SECURITY_LABEL, strictness, weakestLevel, type PodSecurityLevel } from "../engine/pod-security";
import { firstBlock, resources, type ResourceBlock } from "../terraform-json";
import {
  enforceLevel,
  stackNamespaces,
  stackWorkloads,
  weakeningValues,
  type StackNamespace,
} from "./pod-security-reading";
import { defineRule, type PolicyRule, type Violation } from "./types";
import { eksAddonDocuments } from "./values-documents";

/**
 * Pod Security Admission and NetworkPolicy enforcement (docs/foundation.md, Pod Security). The platform labels
 * every namespace it installs an add-on in (but kube-system) with the weakest level its add-ons declare; these
 * rules keep that true on the synthesized stack, and keep later values (a config's `values`, a new default) from
 * breaking the level silently: admission would reject the pods at apply, or a label would have been weakened.
 */

const moreThan = (level: PodSecurityLevel, other: PodSecurityLevel) => strictness(level) > strictness(other);

function namespaceProblems(namespace: StackNamespace): string[] {
  const expected = weakestLevel(namespace.declared.values());
  const enforce = enforceLevel(namespace);
  const names = [...namespace.declared].map(([name, level]) => `${name} (${level})`).join(", ");
  const problems: string[] = [];
  if (enforce === undefined) problems.push(`enforces no Pod Security level; its add-ons ${names} declare ${expected}`);
  else if (moreThan(expected, enforce))
    problems.push(`enforces ${enforce}, weaker than its add-ons declare (${names}): the labels were weakened`);
  else if (moreThan(enforce, expected))
    problems.push(`enforces ${enforce}, but ${names} only meet ${expected}: admission would reject their pods`);
  for (const mode of ["warn", "audit"] as const)
    if (namespace.labels[POD_SECURITY_LABEL[mode]] !== "restricted")
      problems.push(`${POD_SECURITY_LABEL[mode]} is not restricted: pods below restricted would go unnoticed`);
  return problems;
}

const isTrueString = (value: unknown) => value === true || value === "true";

export const POD_SECURITY_RULES: PolicyRule[] = [
  defineRule({
    id: "POD_SECURITY_NAMESPACES",
    area: "safety",
    title:
      "A namespace the platform creates for its add-ons enforces the weakest Pod Security level they declare (its cdktf-eks-platform/pod-security annotation), and warns and audits at restricted",
    scanners: {},
    fix: "keep the namespace the engine creates (kubernetes_namespace_v1.<namespace>) and its labels; an add-on that needs more privileges declares a weaker podSecurity level, with the reason, in its folder",
    check: ({ json }) =>
      [...stackNamespaces(json).values()]
        .filter((namespace) => namespace.declared.size > 0)
        .flatMap((namespace) =>
          namespaceProblems(namespace).map((problem): Violation => ({
            resource: namespace.resource,
            problem: `namespace ${namespace.name} ${problem}`,
          })),
        ),
  }),
  defineRule({
    id: "POD_SECURITY_VALUES",
    area: "values",
    title:
      "No values put pods below the Pod Security level their namespace enforces (host namespaces, privileged, hostPath, hostPort, added capabilities, privilege escalation, root)",
    scanners: { checkov: ["CKV_K8S_16", "CKV_K8S_17", "CKV_K8S_20", "CKV_K8S_23"] },
    fix: "remove the value: admission would reject the pods at apply; an add-on that really needs it declares the weaker level, with the reason, in its folder (modules/addons/<name>/index.ts)",
    check: ({ json }) => {
      const namespaces = stackNamespaces(json);
      const violations: Violation[] = [];
      for (const workload of stackWorkloads(json, namespaces)) {
        const enforce = enforceLevel(namespaces.get(workload.namespace));
        if (enforce === undefined || enforce === "privileged") continue;
        for (const need of weakeningValues(workload.document, workload.truthy))
          if (moreThan(enforce, need.needs))
            violations.push({
              resource: workload.resource,
              problem: `${need.what} needs Pod Security ${need.needs}, but namespace ${workload.namespace} enforces ${enforce} (values ${need.path})`,
            });
      }
      return violations;
    },
  }),
  defineRule({
    id: "NETWORK_POLICY_ENFORCED",
    area: "network",
    title: "The VPC CNI enforces Kubernetes NetworkPolicies (enableNetworkPolicy)",
    scanners: {},
    fix: 'keep network.policyEnforcement: true (the default): the vpc-cni add-on\'s configuration_values get enableNetworkPolicy: "true"',
    check: ({ json }) =>
      resources(json, "aws_eks_addon")
        .filter((addon) => addon.body.addon_name === "vpc-cni")
        .flatMap((addon: ResourceBlock): Violation[] => {
          const values = firstBlock(eksAddonDocuments(addon)[0]);
          return isTrueString(values?.enableNetworkPolicy)
            ? []
            : [
                {
                  resource: addon,
                  problem: 'enableNetworkPolicy is not "true": NetworkPolicies are accepted but not enforced',
                },
              ];
        }),
  }),
];
