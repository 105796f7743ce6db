import type { ITerraformDependable } from "cdktf";
import type { ManifestsDelivery } from "../types";
import type { RenderInput } from "./render-input";

/** Plain Kubernetes objects: the add-on's own `render` builds them with the Kubernetes provider. */
export function renderManifests(input: RenderInput, delivery: ManifestsDelivery): ITerraformDependable[] {
  return delivery.render(input.scope, input.ctx, { version: input.addon.version, values: input.values, dependsOn: input.dependsOn });
}
