import {
  Aspects,
  DefaultTokenResolver,
  StringConcat,
  TerraformDataSource,
  TerraformResource,
  Tokenization,
  type TerraformProvider,
  type TerraformStack,
} from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { asList, isObject, referencedBlocks } from "./terraform-json";
import { importWithProvider } from "./imports";
import { ephemeralResource } from "./terraform-blocks";

/** Where the Helm and Kubernetes providers reach the cluster (host and CA; the token is per call). */
export interface ClusterConnection {
  readonly host: string;
  readonly clusterCaCertificate: string;
}

/** How long EKS honours a token from aws_eks_cluster_auth (provider-aws cluster_auth_ephemeral.go: no renewal). */
export const CLUSTER_TOKEN_MINUTES = 15;

const kindOf = (type: string): "helm" | "kubernetes" | undefined =>
  type === "helm_release" || type === "helm_template"
    ? "helm"
    : type.startsWith("kubernetes_")
      ? "kubernetes"
      : undefined;

/**
 * One cluster token per call to the cluster, opened when that call is due. Terraform opens an ephemeral resource
 * as soon as what it depends on is done (internal/terraform/node_resource_ephemeral.go), and a token lives 15
 * minutes; one token for the whole stack opened at the start of the walk (a literal `name`) or right after the
 * cluster, and a first foundation apply (cluster, Fargate profiles, Karpenter, node pools, the add-ons on nodes)
 * outlived it. So every Helm release and Kubernetes resource of the stack gets a provider of its own whose token
 * depends on exactly what the resource depends on (its depends_on and the resources it references): the token
 * opens when the resource can start, and each call then has the token's whole lifetime, against Helm's own wait
 * (timeout) of at most 10 minutes. `npm run rehearse` judges it on a real Terraform walk.
 *
 * Runs after cdktf's own preparing resolve (which wires cross-stack references), so each resource's
 * dependencies are read resolved, as Terraform will see them.
 */
export function tokenPerClusterCall(stack: TerraformStack, connection: ClusterConnection, clusterName: string): void {
  const resolve = (value: unknown): unknown =>
    Tokenization.resolve(value, {
      scope: stack,
      preparing: true,
      resolver: new DefaultTokenResolver(new StringConcat()),
    });
  // The connection may point into another stack (the foundation's outputs, read through remote state). cdktf
  // creates those outputs when a stack is prepared, and prepares every stack before it writes the first; the
  // providers are added later (below), so the references are registered here, in this stack's prepare.
  const prepare = stack.prepareStack.bind(stack);
  stack.prepareStack = () => {
    prepare();
    resolve({ ...connection, clusterName });
  };
  let done = false;
  // An aspect: cdktf invokes aspects when it synthesizes (after its preparing resolve) and in Testing.synth,
  // once every construct of the stack exists. The stack itself is the first node visited.
  Aspects.of(stack).add({
    visit: (node) => {
      if (node !== stack || done) return;
      done = true;
      addTokens();
    },
  });
  const addTokens = () => {
    const name = String(resolve(clusterName));
    const providers: TerraformProvider[] = [];
    for (const element of stack.node.findAll()) {
      if (!(element instanceof TerraformResource || element instanceof TerraformDataSource)) continue;
      const kind = kindOf(element.terraformResourceType);
      if (!kind || element.provider) continue;
      const id = element.friendlyUniqueId;
      const dataPrefix = element instanceof TerraformDataSource ? "data." : "";
      const address = `${dataPrefix}${element.terraformResourceType}.${id}`;
      const dependencies = dependenciesOf(resolve(element.toTerraform()), address);
      // Unique per type and name: `release_karpenter`, `ingress_v1_echo_server`, `data_..._x`.
      const shortType = element.terraformResourceType.replace(/^helm_/, "").replace(/^kubernetes_/, "");
      const tokenName = `${dataPrefix ? "data_" : ""}${shortType}_${id}`;
      const token = ephemeralResource(stack, "aws_eks_cluster_auth", tokenName, { name }, "token", dependencies);
      const provider =
        kind === "helm"
          ? new HelmProvider(stack, `helm-${tokenName}`, { alias: tokenName, kubernetes: { ...connection, token } })
          : new KubernetesProvider(stack, `kubernetes-${tokenName}`, { alias: tokenName, ...connection, token });
      element.provider = provider;
      // An import (adoptExistingNamespaces) must read the object through the same provider configuration.
      if (element instanceof TerraformResource) importWithProvider(element, provider);
      providers.push(provider);
    }
    // The new providers reference the cluster connection: resolved like everything else before synthesis.
    for (const provider of providers) resolve(provider.toTerraform());
  };
}

/** depends_on and every referenced resource or data source of one element's synthesized body (not itself). */
function dependenciesOf(json: unknown, self: string): string[] {
  const bodies: unknown[] = [];
  for (const section of ["resource", "data"] as const) {
    const byType = isObject(json) ? json[section] : undefined;
    if (!isObject(byType)) continue;
    for (const byName of Object.values(byType)) if (isObject(byName)) bodies.push(...Object.values(byName));
  }
  const found = new Set<string>();
  for (const body of bodies) {
    if (!isObject(body)) continue;
    for (const target of asList(body.depends_on))
      if (typeof target === "string") found.add(target.replace(/^\$\{(.*)\}$/, "$1"));
    const { depends_on: _dependsOn, provider: _provider, lifecycle: _lifecycle, ...rest } = body;
    // Resources and data sources, what `depends_on` may name. Locals are not followed: the only one the calls
    // read (the OIDC issuer) comes from the cluster, which the foundation's token name already waits for.
    for (const target of referencedBlocks(rest)) if (!/^(local|module|ephemeral)\./.test(target)) found.add(target);
  }
  found.delete(self);
  return [...found].sort();
}
