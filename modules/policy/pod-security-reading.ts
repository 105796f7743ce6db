import {
  POD_SECURITY_DECLARED,
  POD_SECURITY_LABEL,
  isPodSecurityLevel,
  type PodSecurityLevel,
} from "../engine/pod-security";
import {
  asList,
  asObject,
  asStrings,
  firstBlock,
  isObject,
  parseTemplateJson,
  referencedAddresses,
  resources,
  type JsonObject,
  type ResourceBlock,
  type StackJson,
} from "../terraform-json";

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

/** A workload resource and the namespace its pods run in. */
export interface Workload {
  readonly resource: ResourceBlock;
  readonly namespace: string;
  /** Its values documents: Helm values and `set` blocks, EKS `configuration_values`, or the object's body. */
  readonly documents: ReadonlyArray<unknown>;
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

function releaseDocuments(release: ResourceBlock): unknown[] {
  const documents: unknown[] = [];
  for (const text of asStrings(release.body.values)) {
    const parsed = text.trimStart().startsWith("{") ? parseTemplateJson(text) : undefined;
    if (parsed !== undefined) documents.push(parsed);
  }
  for (const set of [...asList(release.body.set), ...asList(release.body.set_sensitive)].filter(isObject)) {
    if (typeof set.name !== "string") continue;
    const path = set.name.split(/(?<!\\)\./).map((part) => part.replace(/\\\./g, "."));
    documents.push(path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), set.value));
  }
  return documents;
}

export function stackWorkloads(json: StackJson, namespaces: Map<string, StackNamespace>): Workload[] {
  const workloads: Workload[] = [];
  for (const release of resources(json, "helm_release")) {
    const namespace = typeof release.body.namespace === "string" ? release.body.namespace : "default";
    workloads.push({ resource: release, namespace, documents: releaseDocuments(release) });
  }
  for (const resource of resources(json, "aws_eks_addon")) {
    const namespace = eksAddonNamespace(resource, namespaces);
    if (namespace === undefined) continue;
    const text = resource.body.configuration_values;
    const parsed = typeof text === "string" ? parseTemplateJson(text) : undefined;
    workloads.push({ resource, namespace, documents: parsed === undefined ? [] : [parsed] });
  }
  for (const object of resources(json).filter(
    (block) =>
      block.type.startsWith("kubernetes_") && !NAMESPACE_TYPES.has(block.type) && block.type !== "kubernetes_labels",
  )) {
    const metadata = firstBlock(object.body.metadata);
    if (metadata?.namespace === undefined) continue; // cluster-scoped
    workloads.push({ resource: object, namespace: objectNamespace(metadata, namespaces), documents: [object.body] });
  }
  return workloads;
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

const truthy = (value: unknown) => value === true || value === "true";
const falsy = (value: unknown) => value === false || value === "false";
/** camelCase (Helm values, EKS configuration) and snake_case (Kubernetes provider) keys alike. */
const normalized = (key: string) => key.replace(/_/g, "").toLowerCase();

/** A value that only a weaker level admits: the level it needs, and why. */
export interface LevelNeed {
  readonly needs: "privileged" | "baseline";
  readonly what: string;
}

/** The Pod Security level one key/value pair needs, when it is weaker than restricted (the Standards, v1.25+). */
export function levelNeeded(key: string, value: unknown): LevelNeed | undefined {
  const k = normalized(key);
  if ((k === "hostnetwork" || k === "hostpid" || k === "hostipc") && truthy(value))
    return { needs: "privileged", what: `${key} is true (the node's namespaces)` };
  if (k === "privileged" && truthy(value)) return { needs: "privileged", what: "privileged is true" };
  if (k === "hostprocess" && truthy(value)) return { needs: "privileged", what: "hostProcess is true" };
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
  if (k === "allowprivilegeescalation" && truthy(value))
    return { needs: "baseline", what: "allowPrivilegeEscalation is true" };
  if (k === "runasnonroot" && falsy(value)) return { needs: "baseline", what: "runAsNonRoot is false" };
  if (k === "runasuser" && (value === 0 || value === "0")) return { needs: "baseline", what: "runAsUser is 0 (root)" };
  return undefined;
}

/** Every pair of a document whose value needs a weaker level than restricted, with its path. */
export function weakeningValues(document: unknown): Array<LevelNeed & { readonly path: string }> {
  const found: Array<LevelNeed & { readonly path: string }> = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${path}[${index}]`));
    else if (isObject(value))
      for (const [key, inner] of Object.entries(value)) {
        if (key === "//") continue;
        const at = path ? `${path}.${key}` : key;
        const need = levelNeeded(key, inner);
        if (need) found.push({ ...need, path: at });
        visit(inner, at);
      }
  };
  visit(document, "");
  return found;
}
