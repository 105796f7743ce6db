import { NODE_AGENTS, NODE_CAPACITY, type Capability } from "./capabilities";
import type { AddonPlan, ResolvedAddon } from "./addon-plan";
import type { AddonDefinition, Layer } from "./types";

/** The order add-ons are installed in within a layer: by dependencies and by the capabilities they need and provide. */

/** What an add-on waits for: the capabilities it declares, plus node capacity when it runs on EC2 nodes. */
export function needsOf(definition: AddonDefinition): ReadonlyArray<Capability<unknown>> {
  const declared = definition.needs ?? [];
  return definition.runsOn === "nodes" && !declared.includes(NODE_CAPACITY) ? [...declared, NODE_CAPACITY] : declared;
}

/** What an add-on provides: the capabilities it declares, plus node agents when it runs on every node. */
export function providesOf(definition: AddonDefinition): ReadonlyArray<Capability<unknown>> {
  const declared = definition.provides ?? [];
  return definition.runsOn === "every-node" && !declared.includes(NODE_AGENTS) ? [...declared, NODE_AGENTS] : declared;
}

/** Enabled add-ons of a layer: dependencies first, and the providers of a capability before those that need it. */
export function addonsOfLayer(plan: AddonPlan, layer: Layer): ResolvedAddon[] {
  const inLayer = plan.addons.filter((addon) => addon.enabled && addon.layer === layer);
  const ordered: ResolvedAddon[] = [];
  const visiting = new Set<ResolvedAddon>();
  const place = (addon: ResolvedAddon) => {
    if (ordered.includes(addon) || visiting.has(addon)) return;
    visiting.add(addon);
    for (const dependency of addon.dependsOn) {
      const target = inLayer.find((candidate) => candidate.name === dependency.name);
      if (target) place(target);
    }
    for (const capability of needsOf(addon.definition)) {
      inLayer
        .filter((candidate) => candidate !== addon && providesOf(candidate.definition).includes(capability))
        .forEach(place);
    }
    ordered.push(addon);
  };
  inLayer.forEach(place);
  return ordered;
}
