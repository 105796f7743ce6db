import type { ITerraformDependable } from "cdktf";
import { defineCapability } from "../../engine/capabilities";

/** The IngressClass (and its IngressClassParams) the platform creates for the controller: see `ingress-group.ts`. */
export const ALB_INGRESS_CLASS = "alb";
export const ALB_CONTROLLER = "ingress.k8s.aws/alb";

/** The environment's shared ALB: an Ingress that joins it waits for its class, params and owner Ingress. */
export interface SharedIngressGroup {
  readonly groupName: string;
  readonly members: ReadonlyArray<ITerraformDependable>;
}

export const INGRESS_GROUP = defineCapability<SharedIngressGroup>("the shared ALB ingress group", {
  waitFor: (group) => group.members,
});
