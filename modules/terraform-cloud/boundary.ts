import { Aspects, type IAspect, type TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { EnvironmentConfig } from "../config/schema";
import { stackRoleBoundaryArn, type StackOwner } from "./settings";

/**
 * Every IAM role of an environment's stack carries the environment's permissions boundary:
 *   - the organization's (`iam.permissionsBoundaryArn`), when configured: on the platform's layers and on team
 *     stacks alike, since the organization requires it on every role;
 *   - otherwise, on the platform's layers only, the platform's own (`tfc-<cluster>-boundary`) when Terraform
 *     Cloud runs build the platform (dynamic credentials, no assumeRoleArn): the run roles may create and change
 *     roles only with it (run-role-policy.ts), and it is what keeps a broad `<cluster>-*` policy from becoming an
 *     escalation (boundary-policy.ts). Team stacks are not built by the platform's run roles, and the platform's
 *     boundary (the platform's services only) would cap their roles, so they get none.
 * An aspect, so every role is covered whoever builds it (the cluster, Fargate, add-ons' identities through the
 * engine's roleWithPolicies, Karpenter's node role, a team's own): a new add-on gets it for free, and the policy
 * pack's IAM_PERMISSIONS_BOUNDARY catches a role that escapes the organization's (one written as a raw override).
 * The ARN is computed: no reference into the terraform-cloud stack, which is applied first. Adding it to an
 * existing role is an in-place update (PutRolePermissionsBoundary). Service-linked roles (Karpenter's spot role) are another
 * resource type and take no boundary: IAM refuses one on them.
 */
class PermissionsBoundary implements IAspect {
  constructor(private readonly arn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.permissionsBoundary = this.arn;
  }
}

export function applyPermissionsBoundary(
  stack: TerraformStack,
  environment: EnvironmentConfig,
  owner: StackOwner,
): void {
  const arn = stackRoleBoundaryArn(environment, owner);
  if (arn) Aspects.of(stack).add(new PermissionsBoundary(arn));
}
