import {
  POD_SECURITY_DECLARED,
  POD_SECURITY_LABEL,
  isPodSecurityLevel,
  type PodSecurityLevel,
} from "../engine/pod-security";
import {
  asObject,
  asStrings,
  firstBlock,
  isObject,
  referencedAddresses,
  resources,
  type JsonObject,
  type ResourceBlock,
  type StackJson,
} from "../terraform-json";
import { eachPair, valuesDocuments, type ValuesDocument } from "./values-documents";

/**
 * What the Pod Security rules read of a stack's JSON: the namespaces it creates and their labels, where each
 * workload (Helm release, EKS add-on, Kubernetes object) is installed, its values, and the level a value needs.
 */

/** A namespace the stack creates (`kubernetes_namespace_v1`) or labels (`kubernetes_labels` on a Namespace). */
export interface StackNamespace {
  readonly resource: ResourceBlock;
  readonly name: string;
  readonly labels: Readonly<Record<string, unknown>>;
  /** What the platform's add-ons in it declare (its `cdktf-eks-platform/pod-security` annotation), by add-on. */
  readonly declared: ReadonlyMap<string, PodSecurityLevel>;
}

const NAMESPACE_TYPES = new Set(["kubernetes_namespace_v1", "kubernetes_namespace"]);

export function stackNamespaces(json: StackJson): Map<string, StackNamespace> {
  const found = new Map<string, StackNamespace>();
  const add = (resource: ResourceBlock, metadata: JsonObject | undefined, labels: unknown) => {
    const name = metadata?.name;
    if (typeof name !== "string") return;
    const existing = found.get(name);
    const declared = new Map(existing?.declared ?? []);
    for (const [addon, level] of parseDeclared(asObject(metadata?.annotations)?.[POD_SECURITY_DECLARED]))
      declared.set(addon, level);
    found.set(name, {
      resource: existing?.resource ?? resource,
      name,
      labels: { ...existing?.labels, ...(isObject(labels) ? labels : {}) },
      declared,
    });
  };
  for (const resource of resources(json).filter((block) => NAMESPACE_TYPES.has(block.type))) {
    const metadata = firstBlock(resource.body.metadata);
    add(resource, metadata, metadata?.labels);
  }
  for (const resource of resources(json, "kubernetes_labels"))
    if (resource.body.kind === "Namespace") add(resource, firstBlock(resource.body.metadata), resource.body.labels);
  return found;
}

/** `cert-manager=restricted,other=baseline` -> its pairs; anything else in it is ignored. */
function parseDeclared(value: unknown): Array<[string, PodSecurityLevel]> {
  if (typeof value !== "string") return [];
  return value.split(",").flatMap((pair): Array<[string, PodSecurityLevel]> => {
    const [addon, level] = pair.split("=").map((part) => part.trim());
    return addon && isPodSecurityLevel(level) ? [[addon, level]] : [];
  });
}

/** The enforce level a namespace's labels give, or undefined when it has none (or one PSA would not read). */
export function enforceLevel(namespace: StackNamespace | undefined): PodSecurityLevel | undefined {
  const level = namespace?.labels[POD_SECURITY_LABEL.enforce];
  return isPodSecurityLevel(level) ? level : undefined;
}

/** A values document (values-documents.ts, shared with the values rules) and the namespace its pods run in. */
export interface Workload extends ValuesDocument {
  readonly namespace: string;
}

/** The namespace resource of the stack an address names, if it is one. */
const namespaceAt = (address: string, namespaces: Map<string, StackNamespace>) =>
  NAMESPACE_TYPES.has(address.split(".")[0])
    ? [...namespaces.values()].find((namespace) => namespace.resource.address === address)
    : undefined;

/**
 * An EKS add-on's namespace: its `namespace_config`, or the namespace resource it waits for (the engine creates
 * an add-on's namespace outside kube-system first); undefined otherwise (kube-system, or unknown).
 */
function eksAddonNamespace(addon: ResourceBlock, namespaces: Map<string, StackNamespace>): string | undefined {
  const configured = firstBlock(addon.body.namespace_config)?.namespace;
  if (typeof configured === "string") return configured;
  const waitsFor = asStrings(addon.body.depends_on).flatMap((address) => namespaceAt(address, namespaces) ?? []);
  return waitsFor.length === 1 ? waitsFor[0].name : undefined;
}

/** The namespace an object's metadata names, a reference to a namespace resource of the stack resolved. */
function objectNamespace(metadata: JsonObject | undefined, namespaces: Map<string, StackNamespace>): string {
  const value = metadata?.namespace;
  if (typeof value !== "string") return "default";
  const referenced = referencedAddresses(value).flatMap((address) => namespaceAt(address, namespaces) ?? []);
  return referenced[0]?.name ?? value;
}

/**
 * The namespace a values document's pods run in: a Helm release's `namespace`, an EKS add-on's (above), a namespaced
 * Kubernetes object's; undefined for what has no pods in a namespace (namespaces, their labels, cluster-scoped
 * objects) or an EKS add-on whose namespace is unknown.
 */
function workloadNamespace(resource: ResourceBlock, namespaces: Map<string, StackNamespace>): string | undefined {
  if (resource.type === "helm_release")
    return typeof resource.body.namespace === "string" ? resource.body.namespace : "default";
  if (resource.type === "aws_eks_addon") return eksAddonNamespace(resource, namespaces);
  if (NAMESPACE_TYPES.has(resource.type) || resource.type === "kubernetes_labels") return undefined;
  const metadata = firstBlock(resource.body.metadata);
  return metadata?.namespace === undefined ? undefined : objectNamespace(metadata, namespaces);
}

/**
 * The stack's values documents as the values rules read them (Helm's coalesced values, YAML 1.1, `--set` typing;
 * EKS `configuration_values`; Kubernetes objects' bodies), each with the namespace its pods run in.
 */
export function stackWorkloads(json: StackJson, namespaces: Map<string, StackNamespace>): Workload[] {
  return valuesDocuments(json).flatMap((document) => {
    const namespace = workloadNamespace(document.resource, namespaces);
    return namespace === undefined ? [] : [{ ...document, namespace }];
  });
}

// Capabilities baseline allows adding (the container runtime's defaults); restricted allows only NET_BIND_SERVICE.
const BASELINE_CAPABILITIES = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

/** Without the reader's own truthiness (a bare document): only `true` and `"true"` are on. */
const strictlyTrue = (value: unknown) => value === true || value === "true";
const falsy = (value: unknown) => value === false || value === "false";
/** A switch as the receiver reads it, the nested `{ enabled: ... }` form some charts use included. */
const switchOn = (value: unknown, truthy: (value: unknown) => boolean) =>
  isObject(value) && "enabled" in value ? truthy(value.enabled) : truthy(value);
/** camelCase (Helm values, EKS configuration) and snake_case (Kubernetes provider) keys alike. */
const normalized = (key: string) => key.replace(/_/g, "").toLowerCase();

/** A value that only a weaker level admits: the level it needs, and why. */
export interface LevelNeed {
  readonly needs: "privileged" | "baseline";
  readonly what: string;
}

/**
 * The Pod Security level one key/value pair needs, when it is weaker than restricted (the Standards, v1.25+).
 * `truthy` is how the document's receiver reads a switch (`helmTruthy` for Helm and EKS values, Terraform's bool
 * for Kubernetes provider attributes: values-documents.ts), so every spelling of "on" counts, as in the VALUES rules.
 */
export function levelNeeded(
  key: string,
  value: unknown,
  truthy: (value: unknown) => boolean = strictlyTrue,
): LevelNeed | undefined {
  const k = normalized(key);
  const on = switchOn(value, truthy);
  if ((k === "hostnetwork" || k === "hostpid" || k === "hostipc") && on)
    return { needs: "privileged", what: `${key} is true (the node's namespaces)` };
  if (k === "privileged" && on) return { needs: "privileged", what: "privileged is true" };
  if (k === "hostprocess" && on) return { needs: "privileged", what: "hostProcess is true" };
  if (k === "hostpath" && isObject(value)) return { needs: "privileged", what: "a hostPath volume" };
  if (k === "hostport" && Number(value) > 0) return { needs: "privileged", what: `hostPort ${String(value)}` };
  if (k === "seccompprofile" && isObject(value) && value.type === "Unconfined")
    return { needs: "privileged", what: "seccompProfile Unconfined" };
  if (k === "capabilities" && isObject(value)) {
    const added = asStrings(value.add).map((capability) => capability.replace(/^CAP_/, ""));
    const beyondBaseline = added.filter((capability) => !BASELINE_CAPABILITIES.has(capability));
    if (beyondBaseline.length > 0)
      return { needs: "privileged", what: `capabilities.add ${beyondBaseline.join(", ")}` };
    const beyondRestricted = added.filter((capability) => capability !== "NET_BIND_SERVICE");
    if (beyondRestricted.length > 0)
      return { needs: "baseline", what: `capabilities.add ${beyondRestricted.join(", ")}` };
  }
  if (k === "allowprivilegeescalation" && on) return { needs: "baseline", what: "allowPrivilegeEscalation is true" };
  if (k === "runasnonroot" && falsy(value)) return { needs: "baseline", what: "runAsNonRoot is false" };
  if (k === "runasuser" && (value === 0 || value === "0")) return { needs: "baseline", what: "runAsUser is 0 (root)" };
  return undefined;
}

/** Every pair of a document whose value needs a weaker level than restricted, with its path. */
export function weakeningValues(
  document: unknown,
  truthy?: (value: unknown) => boolean,
): Array<LevelNeed & { readonly path: string }> {
  const found: Array<LevelNeed & { readonly path: string }> = [];
  eachPair(document, (key, value, path) => {
    const need = levelNeeded(key, value, truthy);
    if (need) found.push({ ...need, path });
  });
  return found;
}
