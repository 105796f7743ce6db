import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { TerraformStack } from "cdktf";
import { logicalName, stableId } from "../../naming";
import { forgetWithoutDestroying } from "../../terraform-blocks";
import type { EksAddonDelivery } from "../types";
import { podIdentityAssociation } from "./pod-identity";
import type { RenderInput } from "./render-input";

/**
 * `aws_eks_addon`: pinned `addon_version`, values as `configuration_values`, conflicts resolved by overwriting
 * (Terraform is the source of truth), identity through a Pod Identity association or an IRSA role ARN.
 */
export function renderEksAddon(
  input: RenderInput,
  delivery: EksAddonDelivery,
  options: { readonly preserve: boolean } = { preserve: false },
): EksAddon[] {
  const { scope, ctx, addon, values, role, dependsOn } = input;
  // Helm -> EKS with Pod Identity: the association the Helm delivery made stays a resource of its own, at the same
  // address, so it is neither destroyed nor created again by the add-on (which would fail with "already exists").
  const keptAssociation = addon.migrateFrom === "helm" ? podIdentityAssociation(input) : undefined;
  const addonResource = new EksAddon(scope, "eks-addon", {
    clusterName: ctx.cluster.name,
    addonName: delivery.addonName,
    addonVersion: addon.version,
    configurationValues: Object.keys(values).length > 0 ? JSON.stringify(values) : undefined,
    resolveConflictsOnCreate: "OVERWRITE",
    resolveConflictsOnUpdate: "OVERWRITE",
    // `preserve` is read from state when the add-on is deleted: true keeps its objects in the cluster.
    preserve: options.preserve,
    podIdentityAssociation:
      role && addon.identity === "pod-identity" && !keptAssociation
        ? [{ roleArn: role.role.arn, serviceAccount: addon.serviceAccount ?? addon.name }]
        : undefined,
    serviceAccountRoleArn: role && addon.identity === "irsa" ? role.role.arn : undefined,
    dependsOn: [...dependsOn, ...(role?.attachments ?? []), ...(keptAssociation ? [keptAssociation] : [])],
  });
  stableId(addonResource, addon.name);
  if (addon.migrateFrom === "helm") {
    // Helm -> EKS: Terraform forgets the release without `helm uninstall`; OVERWRITE above lets EKS adopt the objects.
    forgetWithoutDestroying(TerraformStack.of(scope), `helm_release.${logicalName(addon.name)}`);
  }
  return [addonResource];
}
