import type { ITerraformDependable } from "cdktf";
import { namespaceMetadata } from "../pod-security";
import type { ManifestsDelivery } from "../types";
import { podIdentityAssociation } from "./pod-identity";
import type { RenderInput } from "./render-input";

/**
 * Plain Kubernetes objects: the add-on's own `render` builds them with the Kubernetes provider. An AWS identity
 * reaches it like a chart's: `values.serviceAccount` (name, and the IRSA role annotation) from the engine, and
 * with Pod Identity an association its objects wait for.
 */
export function renderManifests(input: RenderInput, delivery: ManifestsDelivery): ITerraformDependable[] {
  const association = podIdentityAssociation(input);
  const dependsOn = [...input.dependsOn, ...(input.role?.attachments ?? []), ...(association ? [association] : [])];
  const security = input.namespaceSecurity;
  return delivery.render(input.scope, input.ctx, {
    version: input.addon.version,
    values: input.values,
    dependsOn,
    namespaceMetadata: security ? namespaceMetadata(security) : { labels: {}, annotations: {} },
  });
}
