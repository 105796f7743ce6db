import type { ConfigIssue } from "../errors";
import { layerOrder } from "../layers";
import type { ResolvedAddon } from "./addon-plan";
import { dependencyTarget, type AddonDefinition } from "./types";

/** Dependency checks of a resolved plan: every dependency known, in the same or an earlier layer, enabled; no cycle. */

export function dependencyIssues(
  addons: ReadonlyArray<ResolvedAddon>,
  catalog: ReadonlyArray<AddonDefinition>,
  pathPrefix: string,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const byName = new Map(addons.map((addon) => [addon.name, addon]));
  for (const addon of addons) {
    for (const dependency of addon.definition.dependsOn ?? []) {
      const { addon: target } = dependencyTarget(dependency);
      const resolved = byName.get(target.name);
      if (!resolved || !catalog.includes(target)) {
        issues.push({
          path: `${pathPrefix}.${addon.name}`,
          message: `${addon.name} depends on ${target.name}, which is not a known add-on`,
          allowed: catalog.map((a) => a.name).join(", "),
          fix: `register ${target.name} in modules/addons/catalog.ts`,
        });
        continue;
      }
      if (layerOrder(resolved.layer) > layerOrder(addon.layer)) {
        issues.push({
          path: `${pathPrefix}.${addon.name}`,
          message: `${addon.name} (${addon.layer}) depends on ${target.name} (${resolved.layer}), a later layer`,
          fix: "move one of them so the dependency is in the same or an earlier layer",
        });
      }
      if (addon.enabled && !resolved.enabled) {
        issues.push({
          path: `${pathPrefix}.${target.name}.enabled`,
          message: `${addon.name} depends on ${target.name}, which is disabled (or its layer is off)`,
          value: false,
          fix: `enable ${target.name} or disable ${addon.name}`,
        });
      }
    }
  }
  const cycle = findCycle(catalog);
  if (cycle)
    issues.push({
      path: `${pathPrefix}.${cycle[0]}`,
      message: `add-on dependencies form a cycle: ${cycle.join(" -> ")}`,
      fix: "remove one of the dependencies",
    });
  return issues;
}

/** The first dependency cycle among the definitions, as names, or undefined. */
export function findCycle(catalog: ReadonlyArray<AddonDefinition>): string[] | undefined {
  const state = new Map<AddonDefinition, "visiting" | "done">();
  const stack: AddonDefinition[] = [];
  const visit = (addon: AddonDefinition): string[] | undefined => {
    if (state.get(addon) === "done") return undefined;
    if (state.get(addon) === "visiting") return [...stack.slice(stack.indexOf(addon)), addon].map((a) => a.name);
    state.set(addon, "visiting");
    stack.push(addon);
    for (const dependency of addon.dependsOn ?? []) {
      const found = visit(dependencyTarget(dependency).addon);
      if (found) return found;
    }
    stack.pop();
    state.set(addon, "done");
    return undefined;
  };
  for (const addon of catalog) {
    const found = visit(addon);
    if (found) return found;
  }
  return undefined;
}
