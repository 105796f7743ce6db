import {
  asList,
  asStrings,
  isObject,
  parseTemplateJson,
  resources,
  type JsonObject,
  type ResourceBlock,
  type StackJson,
} from "../terraform-json";
import { defineRule, type PolicyRule, type Violation } from "./types";

/**
 * Rules over the values every add-on is installed with, as synthesized: Helm release `values` (and `set`
 * blocks), EKS add-on `configuration_values`, and the Kubernetes provider's own objects. Config validation
 * refuses overrides of what the platform wires (modules/engine/values-checks.ts); these catch values that widen
 * a pod's privileges, which a team may accept for a reason, so they are findings that take a waiver.
 */

interface ValuesDocument {
  readonly resource: ResourceBlock;
  readonly document: unknown;
}

/** The values documents of the stack's Helm releases and EKS add-ons, and the bodies of its Kubernetes objects. */
function valuesDocuments(json: StackJson): ValuesDocument[] {
  const documents: ValuesDocument[] = [];
  for (const release of resources(json, "helm_release")) {
    for (const text of asStrings(release.body.values)) {
      const parsed = text.trimStart().startsWith("{") ? parseTemplateJson(text) : undefined;
      if (parsed !== undefined) documents.push({ resource: release, document: parsed });
    }
    // `set { name = "a.b", value = "true" }` blocks: one nested document each.
    for (const set of [...asList(release.body.set), ...asList(release.body.set_sensitive)].filter(isObject)) {
      if (typeof set.name !== "string") continue;
      const path = set.name.split(/(?<!\\)\./).map((part) => part.replace(/\\\./g, "."));
      documents.push({
        resource: release,
        document: path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), set.value),
      });
    }
  }
  for (const addon of resources(json, "aws_eks_addon")) {
    const text = addon.body.configuration_values;
    const parsed = typeof text === "string" ? parseTemplateJson(text) : undefined;
    if (parsed !== undefined) documents.push({ resource: addon, document: parsed });
  }
  for (const object of resources(json).filter((block) => block.type.startsWith("kubernetes_")))
    documents.push({ resource: object, document: object.body });
  return documents;
}

const isTrue = (value: unknown) => value === true || value === "true";

/** Runs `check` on every key/value pair of every values document; each problem is a violation on its resource. */
function eachValue(
  json: StackJson,
  check: (key: string, value: unknown, path: string) => string | undefined,
): Violation[] {
  const violations: Violation[] = [];
  for (const { resource, document } of valuesDocuments(json)) {
    const visit = (value: unknown, path: string): void => {
      if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${path}[${index}]`));
      else if (isObject(value)) {
        for (const [key, inner] of Object.entries(value)) {
          if (key === "//") continue;
          const at = path ? `${path}.${key}` : key;
          const problem = check(key, inner, at);
          if (problem) violations.push({ resource, problem: `${problem} (values ${at})` });
          visit(inner, at);
        }
      } else if (typeof value === "string") {
        const problem = check("", value, path);
        if (problem) violations.push({ resource, problem: `${problem} (values ${path})` });
      }
    };
    visit(document, "");
  }
  return violations;
}

const HOST_NAMESPACES = new Set(["hostNetwork", "hostPID", "hostIPC", "host_network", "host_pid", "host_ipc"]);
const INSECURE_TLS_KEY =
  /^(insecure[-_]?skip[-_]?(tls[-_]?)?verify|skip[-_]?tls[-_]?verify|tls[-_]?skip[-_]?verify|insecure[-_]?tls|kubelet[-_]?insecure[-_]?tls)$/i;
const INSECURE_TLS_ARG =
  /^--(kubelet-insecure-tls|insecure-skip-tls-verify|insecure-skip-verify|tls-skip-verify|skip-tls-verify)(=true)?$|^--tls-min-version=VersionTLS1[01]$/;

export const VALUES_RULES: PolicyRule[] = [
  defineRule({
    id: "VALUES_NO_HOST_NAMESPACES",
    area: "values",
    title: "No add-on runs pods in the node's network, PID or IPC namespace (hostNetwork, hostPID, hostIPC)",
    scanners: {
      checkov: ["CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19"],
      trivy: ["AVD-KSV-0008", "AVD-KSV-0009", "AVD-KSV-0010"],
    },
    fix: "remove hostNetwork/hostPID/hostIPC from the add-on's values",
    check: ({ json }) =>
      eachValue(json, (key, value) =>
        HOST_NAMESPACES.has(key) && isTrue(value) ? `${key} is true: the pods share the node's namespace` : undefined,
      ),
  }),
  defineRule({
    id: "VALUES_NO_PRIVILEGED",
    area: "values",
    title: "No add-on's values make a container privileged, allow privilege escalation or add Linux capabilities",
    scanners: {
      checkov: ["CKV_K8S_16", "CKV_K8S_20", "CKV_K8S_39"],
      trivy: ["AVD-KSV-0017", "AVD-KSV-0001", "AVD-KSV-0022"],
    },
    fix: "remove privileged, allowPrivilegeEscalation: true and capabilities.add from the add-on's values",
    check: ({ json }) =>
      eachValue(json, (key, value) => {
        if (key === "privileged" && isTrue(value))
          return "privileged is true: the container has every capability of the node";
        if ((key === "allowPrivilegeEscalation" || key === "allow_privilege_escalation") && isTrue(value))
          return "allowPrivilegeEscalation is true";
        if (key === "capabilities" && isObject(value) && asList(value.add).length > 0)
          return `capabilities.add grants ${asStrings(value.add).join(", ")}`;
        return undefined;
      }),
  }),
  defineRule({
    id: "VALUES_TLS_VERIFIED",
    area: "values",
    title:
      "No add-on's values turn TLS verification off or allow TLS below 1.2 (insecureSkipVerify, --kubelet-insecure-tls ...)",
    scanners: {},
    fix: "remove the insecure flag; give the component the CA it needs instead",
    check: ({ json }) =>
      eachValue(json, (key, value) => {
        if (key && INSECURE_TLS_KEY.test(key) && isTrue(value))
          return `${key} is true: TLS certificates are not verified`;
        if (key === "" && typeof value === "string" && INSECURE_TLS_ARG.test(value))
          return `${value} turns TLS verification off or allows old TLS`;
        return undefined;
      }),
  }),
  defineRule({
    id: "EXTERNAL_DNS_SCOPED",
    area: "values",
    title:
      "external-dns is limited to the environment's domain (domainFilters) and hosted zone (--zone-id-filter) and owns its records (txtOwnerId)",
    scanners: {},
    fix: "keep the values external-dns is installed with (domainFilters, extraArgs --zone-id-filter, txtOwnerId come from dns.domain and dns.hostedZoneId)",
    check: ({ json }) => {
      const releases = valuesDocuments(json).filter(
        ({ resource }) =>
          (resource.type === "helm_release" && resource.body.chart === "external-dns") ||
          (resource.type === "aws_eks_addon" && resource.body.addon_name === "external-dns"),
      );
      const byResource = new Map<ResourceBlock, JsonObject[]>();
      for (const { resource, document } of releases)
        if (isObject(document)) byResource.set(resource, [...(byResource.get(resource) ?? []), document]);
      return [...byResource].flatMap(([resource, documents]): Violation[] => {
        const merged: JsonObject = Object.assign({}, ...documents);
        const problems: string[] = [];
        if (asStrings(merged.domainFilters).length === 0)
          problems.push("no domainFilters: it may manage records for any domain its zone holds");
        if (!asStrings(merged.extraArgs).some((arg) => arg.startsWith("--zone-id-filter=")))
          problems.push("no --zone-id-filter in extraArgs: it may change any zone its role can see");
        if (typeof merged.txtOwnerId !== "string" || merged.txtOwnerId === "")
          problems.push("no txtOwnerId: it cannot tell its records from another cluster's");
        return problems.map((problem) => ({ resource, problem }));
      });
    },
  }),
];
