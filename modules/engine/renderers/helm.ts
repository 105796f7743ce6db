import { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { stableId } from "../../naming";
import type { HelmDelivery } from "../types";
import { podIdentityAssociation } from "./pod-identity";
import type { RenderInput } from "./render-input";

/**
 * `helm_release`: pinned chart version, its own namespace (created by the engine, labeled for Pod Security), `wait`
 * so webhooks serve before dependants install, `atomic` + `cleanup_on_fail` so a failed install leaves nothing
 * half-done. With Pod Identity the role is bound by an `aws_eks_pod_identity_association` created before the
 * release, so the first pods get credentials.
 */
export function renderHelm(input: RenderInput, delivery: HelmDelivery): ITerraformDependable[] {
  const { scope, addon, values, role, dependsOn } = input;
  const before: ITerraformDependable[] = [...dependsOn, ...(role?.attachments ?? [])];
  const association = podIdentityAssociation(input);
  if (association) before.push(association);
  const release = new Release(scope, "helm-release", {
    name: addon.name,
    namespace: addon.namespace,
    // The engine creates the namespace first, with its Pod Security labels (renderers/namespace.ts).
    createNamespace: false,
    repository: delivery.repository,
    chart: delivery.chart,
    version: addon.version,
    values: [JSON.stringify(values)],
    skipCrds: delivery.installCrds === false,
    wait: true,
    waitForJobs: true,
    atomic: true,
    cleanupOnFail: true,
    timeout: delivery.timeoutSeconds ?? 600,
    maxHistory: 10,
    dependsOn: before,
  });
  return [stableId(release, addon.name)];
}
