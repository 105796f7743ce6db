import { asList, asStrings, isObject, type JsonObject, type ResourceBlock } from "../terraform-json";
import { defineRule, type PolicyRule, type Violation } from "./types";
import { eachValue, flagOn, mapFlagOn, valuesDocuments } from "./values-documents";

/**
 * Rules over the values every add-on is installed with, as synthesized: Helm release `values` (and `set`
 * blocks), EKS add-on `configuration_values`, and the Kubernetes provider's own objects. Config validation
 * refuses overrides of what the platform wires (modules/engine/values-checks.ts); these catch values that widen
 * a pod's privileges, which a team may accept for a reason, so they are findings that take a waiver. A value
 * counts as on when its receiver would read it as on (values-documents.ts): Go template truthiness for Helm and
 * EKS values, Terraform's conversion for Kubernetes provider attributes, strconv.ParseBool for flags.
 */

const HOST_NAMESPACES = new Set(["hostNetwork", "hostPID", "hostIPC", "host_network", "host_pid", "host_ipc"]);
const INSECURE_TLS_NAME =
  /^(insecure[-_]?skip[-_]?(tls[-_]?)?verify|skip[-_]?tls[-_]?verify|tls[-_]?skip[-_]?verify|insecure[-_]?tls|kubelet[-_]?insecure[-_]?tls)$/i;
const TLS_MIN_VERSION_NAME = /^tls[-_]?min[-_]?version$/i;
/** TLS 1.0 and 1.1 as Go components and their flags spell them. */
const OLD_TLS = /^(VersionTLS1[01]|TLS_?1[01]|TLSv?1(\.[01])?|1\.[01])$/i;
/** `--name=value`, `-name=value` or `--name` (Go's flag package takes one dash as well as two). */
const FLAG = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/s;

/**
 * A host namespace switched on: `hostNetwork: <truthy>`, or the nested form some charts use
 * (metrics-server's `hostNetwork.enabled`). `hostNetwork: { enabled: false }` and `{}` are off.
 */
/** `true`, or how a value that is read as on was written: `on ("yes")`. */
const shown = (value: unknown) => (value === true ? "true" : `on (${JSON.stringify(value)})`);

function hostNamespaceOn(value: unknown, truthy: (value: unknown) => boolean): boolean {
  return isObject(value) && !Array.isArray(value) ? truthy(value.enabled) : truthy(value);
}

/** An insecure-TLS setting: a value key read by a template, or a flag name (map-form `extraArgs`). */
function insecureTlsProblem(key: string, value: unknown, truthy: (value: unknown) => boolean): string | undefined {
  const name = key.replace(/^-+/, "");
  const isFlagName = name.includes("-") || key.startsWith("-");
  if (INSECURE_TLS_NAME.test(name) && (isFlagName ? mapFlagOn(value) : truthy(value)))
    return `${key} is ${shown(value)}: TLS certificates are not verified`;
  if (TLS_MIN_VERSION_NAME.test(name) && typeof value === "string" && OLD_TLS.test(value))
    return `${key} is ${value}: TLS below 1.2 is allowed`;
  return undefined;
}

/** The same, for one command-line argument (`args`, `extraArgs` lists). */
function insecureTlsArg(arg: string): string | undefined {
  const flag = FLAG.exec(arg.trim());
  if (!flag) return undefined;
  const [, name, value] = flag;
  if (INSECURE_TLS_NAME.test(name) && flagOn(value)) return `${arg} turns TLS verification off`;
  if (TLS_MIN_VERSION_NAME.test(name) && value !== undefined && OLD_TLS.test(value))
    return `${arg} allows TLS below 1.2`;
  return undefined;
}

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
      eachValue(json, ({ key, value, truthy }) =>
        HOST_NAMESPACES.has(key) && hostNamespaceOn(value, truthy)
          ? `${key} is ${shown(value)}: the pods share the node's namespace`
          : undefined,
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
      eachValue(json, ({ key, value, truthy }) => {
        if (key === "privileged" && truthy(value))
          return `privileged is ${shown(value)}: the container has every capability of the node`;
        if ((key === "allowPrivilegeEscalation" || key === "allow_privilege_escalation") && truthy(value))
          return `allowPrivilegeEscalation is ${shown(value)}`;
        if (key === "capabilities")
          for (const capabilities of asList(value).filter(isObject))
            if (asList(capabilities.add).length > 0)
              return `capabilities.add grants ${asStrings(capabilities.add).join(", ")}`;
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
      eachValue(json, ({ key, value, truthy }) =>
        key ? insecureTlsProblem(key, value, truthy) : typeof value === "string" ? insecureTlsArg(value) : undefined,
      ),
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
