import {
  asList,
  asString,
  dataSources,
  firstBlock,
  addressesInExpression,
  isObject,
  referencedBlocks,
  resources,
  type JsonObject,
  type StackJson,
} from "../../modules/terraform-json";

/**
 * The dependency graph Terraform builds from one synthesized stack, as far as ordering goes: one node per
 * resource, data source and ephemeral resource (and module call), with an edge for every `${...}` reference to
 * another node, every `depends_on` entry, and every reference in the configuration of the provider the block
 * uses (Terraform configures a provider before any of its resources, so a helm_release waits for whatever the
 * helm provider's `host`, `cluster_ca_certificate` and `token` reference). References through `local.<name>`
 * are followed to the nodes the local references. `var.*`, `path.*`, `count.*`, `each.*`, `self.*` add no edge.
 */

export type NodeMode = "resource" | "data" | "ephemeral" | "module";

export interface GraphNode {
  /** Terraform address: `aws_eks_cluster.cluster`, `data.x.y`, `ephemeral.aws_eks_cluster_auth.cluster`, `module.m`. */
  readonly address: string;
  readonly mode: NodeMode;
  readonly type: string;
  readonly name: string;
  /** Addresses this node waits for at apply (its own references, depends_on, its provider's references). */
  readonly deps: ReadonlyArray<string>;
  /** Provider configuration key: `helm`, `kubernetes.other` (alias), `aws`; empty for module calls. */
  readonly provider: string;
  readonly createBeforeDestroy: boolean;
  /** A real destroy refuses these; the stand-in drops the flag and destroys them anyway. */
  readonly preventDestroy: boolean;
  readonly body: JsonObject;
}

/** How a provider configuration authenticates to the cluster (helm and kubernetes providers). */
export type ClusterAuth =
  | { readonly kind: "token"; readonly tokens: ReadonlyArray<string> }
  | { readonly kind: "exec" }
  | { readonly kind: "none" };

export interface ProviderConfigView {
  readonly key: string;
  readonly deps: ReadonlyArray<string>;
  readonly auth: ClusterAuth;
  readonly body: JsonObject;
}

export interface StackGraph {
  readonly stack: string;
  readonly nodes: ReadonlyMap<string, GraphNode>;
  readonly providers: ReadonlyMap<string, ProviderConfigView>;
}

/** `depends_on` entries are bare addresses (`aws_x.y`, `data.x.y`, `module.m`), sometimes wrapped in `${}`. */
function dependsOn(body: JsonObject): string[] {
  return asList(body.depends_on)
    .filter((entry): entry is string => typeof entry === "string")
    .map((entry) => entry.replace(/^\$\{(.*)\}$/s, "$1").trim())
    .flatMap((entry) => addressesInExpression(entry).slice(0, 1));
}

function ephemeralBlocks(json: StackJson): { type: string; name: string; body: JsonObject }[] {
  const blocks: { type: string; name: string; body: JsonObject }[] = [];
  const byType = json.ephemeral;
  if (!isObject(byType)) return blocks;
  for (const [type, named] of Object.entries(byType))
    if (isObject(named))
      for (const [name, body] of Object.entries(named)) {
        const block = firstBlock(body);
        if (block) blocks.push({ type, name, body: block });
      }
  return blocks;
}

/** `provider = "helm.alias"` (or `${helm.alias}`), else the type's prefix: `helm_release` -> `helm`. */
function providerKeyOf(type: string, body: JsonObject): string {
  const explicit = asString(body.provider)?.replace(/^\$\{(.*)\}$/s, "$1");
  return (
    explicit ?? (type === "terraform_data" || type === "terraform_remote_state" ? "terraform" : type.split("_")[0])
  );
}

function providerConfigs(json: StackJson): { key: string; body: JsonObject }[] {
  const configs: { key: string; body: JsonObject }[] = [];
  if (!isObject(json.provider)) return configs;
  for (const [name, list] of Object.entries(json.provider))
    for (const body of asList(list).filter(isObject)) {
      const alias = asString(body.alias);
      configs.push({ key: alias ? `${name}.${alias}` : name, body });
    }
  return configs;
}

/** Token references and `exec` blocks of a provider configuration (nested `kubernetes` block for helm). */
function clusterAuthOf(body: JsonObject, tokens: ReadonlyArray<string>): ClusterAuth {
  if (tokens.length > 0) return { kind: "token", tokens };
  const hasExec = (value: unknown): boolean =>
    isObject(value) &&
    Object.entries(value).some(([key, child]) => key === "exec" || asList(child).some((item) => hasExec(item)));
  return hasExec(body) ? { kind: "exec" } : { kind: "none" };
}

const isClusterAuthToken = (address: string): boolean => /^(ephemeral|data)\.aws_eks_cluster_auth\./.test(address);

/** Builds the graph of one stack (see the file comment). */
export function buildGraph(stack: string, json: StackJson): StackGraph {
  const locals: Record<string, unknown> = {};
  for (const block of asList(json.locals).filter(isObject)) Object.assign(locals, block);

  const raw: { address: string; mode: NodeMode; type: string; name: string; body: JsonObject }[] = [
    ...resources(json).map((b) => ({ ...b, mode: "resource" as const })),
    ...dataSources(json).map((b) => ({ ...b, mode: "data" as const })),
    ...ephemeralBlocks(json).map((b) => ({
      ...b,
      address: `ephemeral.${b.type}.${b.name}`,
      mode: "ephemeral" as const,
    })),
  ];
  if (isObject(json.module))
    for (const [name, body] of Object.entries(json.module))
      if (isObject(body)) raw.push({ address: `module.${name}`, mode: "module", type: "module", name, body });
  const known = new Set(raw.map((node) => node.address));

  // local.<name> -> the node addresses it resolves to (locals referencing locals are followed, cycles cut).
  const localCache = new Map<string, string[]>();
  const resolve = (addresses: ReadonlyArray<string>, seen: Set<string> = new Set()): string[] => {
    const out = new Set<string>();
    for (const address of addresses) {
      if (address.startsWith("local.")) {
        const name = address.slice("local.".length);
        if (seen.has(name)) continue;
        let resolved = localCache.get(name);
        if (!resolved) {
          resolved = resolve(referencedBlocks(locals[name]), new Set([...seen, name]));
          localCache.set(name, resolved);
        }
        resolved.forEach((item) => out.add(item));
      } else if (known.has(address)) out.add(address);
    }
    return [...out];
  };

  const providers = new Map<string, ProviderConfigView>();
  for (const { key, body } of providerConfigs(json)) {
    const deps = resolve(referencedBlocks(body));
    providers.set(key, { key, deps, auth: clusterAuthOf(body, deps.filter(isClusterAuthToken)), body });
  }

  const nodes = new Map<string, GraphNode>();
  for (const node of raw) {
    const provider = node.mode === "module" ? "" : providerKeyOf(node.type, node.body);
    const rest = Object.fromEntries(Object.entries(node.body).filter(([key]) => key !== "depends_on"));
    const deps = new Set([
      ...resolve(referencedBlocks(rest)),
      ...resolve(dependsOn(node.body)),
      ...(providers.get(provider)?.deps ?? []),
    ]);
    deps.delete(node.address);
    const lifecycle = firstBlock(node.body.lifecycle);
    nodes.set(node.address, {
      address: node.address,
      mode: node.mode,
      type: node.type,
      name: node.name,
      deps: [...deps].sort(),
      provider,
      createBeforeDestroy: lifecycle?.create_before_destroy === true,
      preventDestroy: lifecycle?.prevent_destroy === true,
      body: node.body,
    });
  }
  return { stack, nodes, providers };
}

/** Resources that call the cluster's API: every helm_release and kubernetes_* resource. */
export function isInCluster(node: GraphNode): boolean {
  return node.mode === "resource" && (node.type === "helm_release" || node.type.startsWith("kubernetes_"));
}

/** Every address `address` depends on, directly or not (apply order: these finish before it starts). */
export function ancestorsOf(graph: StackGraph, address: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.nodes.get(address)?.deps ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.nodes.get(next)?.deps ?? []));
  }
  return seen;
}
