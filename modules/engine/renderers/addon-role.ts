import type { Construct } from "constructs";
import {
  irsaTrust,
  podIdentityTrust,
  roleName,
  roleWithPolicies,
  type IamRoleWithPolicies,
} from "../../iam/addon-identity";
import type { ResolvedAddon } from "../resolve";
import type { AddonContext } from "../types";

/** The AWS identity of an add-on: one role per add-on, trusted by Pod Identity or by IRSA for one service account. */
export function addonRole(scope: Construct, ctx: AddonContext, addon: ResolvedAddon): IamRoleWithPolicies | undefined {
  const spec = addon.definition.identity;
  if (!spec || addon.identity === "none") return undefined;
  const serviceAccount = addon.serviceAccount ?? addon.name;
  return roleWithPolicies(scope, {
    name: addon.name,
    iamName: roleName(ctx.cluster.name, addon.name),
    description: `${addon.name} on EKS cluster ${ctx.cluster.name} (${addon.identity})`,
    trust: addon.identity === "irsa" ? irsaTrust(ctx, addon.namespace, serviceAccount) : podIdentityTrust(ctx),
    statements: spec.statements?.(ctx),
    managedPolicies: spec.managedPolicies,
    region: ctx.region,
  });
}
