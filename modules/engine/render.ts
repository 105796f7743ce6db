import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { addonRole, type IamRoleWithPolicies } from "../iam/addon-identity";
import { atPath, deepMerge } from "../merge";
import type { ResolvedAddon } from "./resolve";
import { renderEksAddon } from "./renderers/eks-addon";
import { renderHelm } from "./renderers/helm";
import { renderManifests } from "./renderers/manifests";
import type { RenderInput } from "./renderers/render-input";
import { deliveryOf, type AddonContext, type Delivery, type EksAddonDelivery, type Values } from "./types";

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
  readonly dependsOn?: ReadonlyArray<ITerraformDependable>;
  /** Extra prerequisites per add-on, e.g. Karpenter's interruption queue. */
  readonly prerequisites?: Readonly<Record<string, ReadonlyArray<ITerraformDependable>>>;
  /**
   * Builds what `runsOn: "nodes"` add-ons wait for (the node pools that let Karpenter launch nodes). Called once,
   * when the first such add-on renders, with the add-ons rendered so far (their dependencies come first).
   */
  readonly nodeCapacity?: (rendered: ReadonlyMap<string, RenderedAddon>) => ReadonlyArray<ITerraformDependable>;
}

const renderers: { [K in Delivery["kind"]]: (input: RenderInput, delivery: Extract<Delivery, { kind: K }>) => ITerraformDependable[] } = {
  "eks-addon": (input, delivery) => renderEksAddon(input, delivery),
  helm: renderHelm,
  manifests: renderManifests,
};

function render<K extends Delivery["kind"]>(input: RenderInput, delivery: Extract<Delivery, { kind: K }>): ITerraformDependable[] {
  return (renderers[delivery.kind as K] as (input: RenderInput, delivery: Extract<Delivery, { kind: K }>) => ITerraformDependable[])(input, delivery);
}

/** Engine-computed values: what the engine knows that the add-on's defaults should not have to repeat. */
export function engineValues(addon: ResolvedAddon, role: IamRoleWithPolicies | undefined): Values {
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
  const defaults = delivery.kind === "manifests" ? {} : delivery.values?.(ctx) ?? {};
  return deepMerge(engineValues(addon, role), defaults, addon.userValues);
}

export function renderAddons(scope: Construct, ctx: AddonContext, addons: ReadonlyArray<ResolvedAddon>, options: RenderOptions = {}): Map<string, RenderedAddon> {
  const rendered = new Map<string, RenderedAddon>();
  let capacity: ReadonlyArray<ITerraformDependable> | undefined;
  for (const addon of addons) {
    const addonScope = new Construct(scope, addon.name);
    const role = addonRole(addonScope, ctx, addon);
    const dependsOn: ITerraformDependable[] = [...(options.dependsOn ?? []), ...(options.prerequisites?.[addon.name] ?? [])];
    if (addon.definition.runsOn === "nodes" && options.nodeCapacity) {
      capacity ??= options.nodeCapacity(rendered);
      dependsOn.push(...capacity);
    }
    for (const dependency of addon.dependsOn) dependsOn.push(...(rendered.get(dependency.name)?.resources ?? []));
    const input: RenderInput = { scope: addonScope, ctx, addon, values: mergedValues(addon, ctx, role), role, dependsOn };

    let resources: ITerraformDependable[];
    const installedWith = addon.migrateFrom === "eks-addon" ? (deliveryOf(addon.definition, "eks-addon") as EksAddonDelivery | undefined) : undefined;
    if (installedWith) {
      // EKS -> Helm, phase 1 of 2: keep the EKS add-on but mark it `preserve`, so deleting it in phase 2 leaves
      // its objects running for Helm to adopt. The Helm release is created in phase 2 (README runbook).
      const version = installedWith.pins.find((pin) => pin.kubernetes.includes(ctx.cluster.kubernetesVersion))?.version ?? addon.version;
      const eksAddon: ResolvedAddon = { ...addon, delivery: installedWith, version };
      resources = renderEksAddon({ ...input, addon: eksAddon, values: installedWith.values?.(ctx) ?? {} }, installedWith, { preserve: true });
    } else {
      resources = render(input, addon.delivery);
    }
    rendered.set(addon.name, { addon, resources, role });
  }
  return rendered;
}
