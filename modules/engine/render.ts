import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { IamRoleWithPolicies } from "../iam/addon-identity";
import { atPath, deepMerge } from "../merge";
import { addonRole } from "./renderers/addon-role";
import { renderEksAddon } from "./renderers/eks-addon";
import { renderHelm } from "./renderers/helm";
import { renderManifests } from "./renderers/manifests";
import { platformNamespace } from "./renderers/namespace";
import { namespacePodSecurity } from "./pod-security";
import type { RenderInput } from "./renderers/render-input";
import { CapabilityRegistry, NODE_AGENTS, type Capability } from "./capabilities";
import { imageValuesFor } from "./images";
import { needsOf, providesOf } from "./install-order";
import type { ResolvedAddon } from "./addon-plan";
import type { AddonContext, CompanionContext, Delivery, Values } from "./types";

/**
 * Turns resolved add-ons into constructs. One renderer per delivery kind; adding an add-on never touches this
 * file. Values merge in one documented order: engine-computed < add-on defaults < environment overrides.
 */

export interface RenderedAddon {
  readonly addon: ResolvedAddon;
  /** What dependants wait for: the release, the EKS add-on, or the add-on's objects. */
  readonly resources: ReadonlyArray<ITerraformDependable>;
  readonly role?: IamRoleWithPolicies;
}

export interface RenderOptions {
  /** Everything in-cluster waits for these (Terraform's access entry in the foundation stack). */
  readonly apiAccess?: ReadonlyArray<ITerraformDependable>;
  /** The layer's capabilities: what its own resources provided, and where add-on companions provide more. */
  readonly capabilities?: CapabilityRegistry;
  /** Import the namespaces the layer creates (`adoptExistingNamespaces`: they exist on a cluster built before). */
  readonly adoptNamespaces?: boolean;
}

const renderers: {
  [K in Delivery["kind"]]: (input: RenderInput, delivery: Extract<Delivery, { kind: K }>) => ITerraformDependable[];
} = {
  "eks-addon": (input, delivery) => renderEksAddon(input, delivery),
  helm: renderHelm,
  manifests: renderManifests,
};

function render<K extends Delivery["kind"]>(
  input: RenderInput,
  delivery: Extract<Delivery, { kind: K }>,
): ITerraformDependable[] {
  return (
    renderers[delivery.kind as K] as (
      input: RenderInput,
      delivery: Extract<Delivery, { kind: K }>,
    ) => ITerraformDependable[]
  )(input, delivery);
}

/**
 * Engine-computed values: what the engine knows that the add-on's defaults should not have to repeat (the
 * service account, the IRSA annotation, and with `imageRegistryMirror` the images of an add-on with an AWS
 * identity, pulled from the mirror).
 */
export function engineValues(addon: ResolvedAddon, role: IamRoleWithPolicies | undefined, mirror?: string): Values {
  const delivery = addon.delivery;
  const images =
    delivery.kind === "helm" && addon.definition.identity ? imageValuesFor(delivery.images ?? [], mirror) : {};
  return deepMerge(images, serviceAccountValues(addon, role));
}

function serviceAccountValues(addon: ResolvedAddon, role: IamRoleWithPolicies | undefined): Values {
  const delivery = addon.delivery;
  // EKS add-ons name their service accounts themselves; charts and manifests are told which one to create.
  if (delivery.kind === "eks-addon" || !addon.serviceAccount) return {};
  const path = (delivery.kind === "helm" ? delivery.serviceAccountValuesPath : undefined) ?? ["serviceAccount"];
  const serviceAccount: Values = { create: true, name: addon.serviceAccount };
  if (role && addon.identity === "irsa") serviceAccount.annotations = { "eks.amazonaws.com/role-arn": role.role.arn };
  return atPath([...path], serviceAccount);
}

/** The values an add-on is installed with, merged in the documented order. */
export function mergedValues(addon: ResolvedAddon, ctx: AddonContext, role?: IamRoleWithPolicies): Values {
  const delivery = addon.delivery;
  const defaults = delivery.kind === "manifests" ? {} : (delivery.values?.(ctx) ?? {});
  return deepMerge(engineValues(addon, role, ctx.environment.imageRegistryMirror), defaults, addon.userValues);
}

/**
 * Renders a layer's add-ons in plan order (`addonsOfLayer`: dependencies and capability providers first). Per
 * add-on: its namespace (outside kube-system, labeled with its Pod Security level), its role, its companions'
 * `before` parts, the delivery (waiting for those, for its dependencies and for every capability it needs), then
 * its companions' `after` parts, which may provide capabilities.
 */
export function renderAddons(
  scope: Construct,
  ctx: AddonContext,
  addons: ReadonlyArray<ResolvedAddon>,
  options: RenderOptions = {},
): Map<string, RenderedAddon> {
  const rendered = new Map<string, RenderedAddon>();
  const registry = options.capabilities ?? new CapabilityRegistry();
  const apiAccess = options.apiAccess ?? [];
  const security = namespacePodSecurity(
    addons.map((addon) => ({ ...addon, podSecurity: addon.definition.podSecurity })),
  );
  const namespaces = new Map<string, ITerraformDependable>();
  // One Namespace per namespace of the layer, created before the first add-on installed in it.
  const namespaceOf = (addon: ResolvedAddon): ITerraformDependable[] => {
    const labeled = security.get(addon.namespace);
    if (labeled === undefined || addon.delivery.kind === "manifests") return [];
    let namespace = namespaces.get(addon.namespace);
    if (!namespace) {
      namespace = platformNamespace(scope, {
        name: addon.namespace,
        security: labeled,
        dependsOn: apiAccess,
        adopt: options.adoptNamespaces ?? false,
      });
      namespaces.set(addon.namespace, namespace);
    }
    return [namespace];
  };
  for (const addon of addons) {
    const addonScope = new Construct(scope, addon.name);
    const namespace = namespaceOf(addon);
    const role = addonRole(addonScope, ctx, addon);
    const needs = needsOf(addon.definition);
    const values = mergedValues(addon, ctx, role);
    const companions =
      addon.definition.companions?.(
        addonScope,
        companionContext(ctx, addon, values, { apiAccess, namespace }, registry),
      ) ?? {};
    const dependsOn: ITerraformDependable[] = [
      ...apiAccess,
      ...namespace,
      ...needs.flatMap((capability) => registry.waitFor(capability)),
      ...(companions.before ?? []),
    ];
    for (const dependency of addon.dependsOn) dependsOn.push(...(rendered.get(dependency.name)?.resources ?? []));
    const input: RenderInput = {
      scope: addonScope,
      ctx,
      addon,
      values,
      role,
      dependsOn: unique(dependsOn),
      namespaceSecurity: security.get(addon.namespace),
    };

    let resources: ITerraformDependable[];
    if (addon.installedWith) {
      // EKS -> Helm, phase 1 of 2: keep the EKS add-on but mark it `preserve`, so deleting it in phase 2 leaves
      // its objects running for Helm to adopt. The Helm release is created in phase 2 (README runbook).
      const { delivery, version } = addon.installedWith;
      resources = renderEksAddon(
        { ...input, addon: { ...addon, delivery, version }, values: delivery.values?.(ctx) ?? {} },
        delivery,
        { preserve: true },
      );
    } else {
      resources = render(input, addon.delivery);
    }
    companions.after?.(resources);
    // A DaemonSet on every node is a node agent: node capacity waits for it, and it outlives the nodes on destroy.
    if (providesOf(addon.definition).includes(NODE_AGENTS) && !(addon.definition.provides ?? []).includes(NODE_AGENTS))
      registry.provide(NODE_AGENTS, resources);
    rendered.set(addon.name, { addon, resources, role });
  }
  return rendered;
}

/** The companion context of one add-on: `need` and `provide` only for the capabilities it declares. */
function companionContext(
  ctx: AddonContext,
  addon: ResolvedAddon,
  values: Values,
  cluster: Pick<CompanionContext, "apiAccess" | "namespace">,
  registry: CapabilityRegistry,
): CompanionContext {
  const declared = (list: ReadonlyArray<Capability<unknown>>, capability: Capability<unknown>, verb: string) => {
    if (!list.includes(capability))
      throw new Error(
        `add-on ${addon.name} ${verb} "${capability.description}" without declaring it in \`${verb === "needs" ? "needs" : "provides"}\``,
      );
  };
  return {
    ...ctx,
    addon,
    values,
    ...cluster,
    need: <T>(capability: Capability<T>) => {
      declared(needsOf(addon.definition), capability, "needs");
      return registry.all(capability);
    },
    provide: <T>(capability: Capability<T>, value: T) => {
      declared(providesOf(addon.definition), capability, "provides");
      registry.provide(capability, value);
    },
  };
}

/** depends_on is a set: the same target through two paths (a dependency and a capability) is listed once. */
function unique(dependables: ReadonlyArray<ITerraformDependable>): ITerraformDependable[] {
  return [...new Set(dependables)];
}
