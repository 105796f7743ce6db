import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { IamRoleWithPolicies } from "../../iam/addon-identity";
import type { ResolvedAddon } from "../resolve";
import type { NamespacePodSecurity } from "../pod-security";
import type { AddonContext, Values } from "../types";

/** Everything a renderer needs; values are already merged in the documented order. */
export interface RenderInput {
  readonly scope: Construct;
  readonly ctx: AddonContext;
  readonly addon: ResolvedAddon;
  readonly values: Values;
  readonly role?: IamRoleWithPolicies;
  readonly dependsOn: ITerraformDependable[];
  /** Its namespace's Pod Security (level and declarations); undefined in kube-system, which stays unlabeled. */
  readonly namespaceSecurity?: NamespacePodSecurity;
}
