import { Aspects, type IAspect, type TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { EnvironmentConfig } from "../config/schema";
import { boundaryPolicyArn, runRolesBuild } from "./settings";

/**
 * Every IAM role of a platform stack carries the environment's permissions boundary when Terraform Cloud runs
 * build the platform (dynamic credentials, no assumeRoleArn): the run roles may create and change roles only
 * with it (run-role-policy.ts), and it is what keeps a broad `<cluster>-*` policy from becoming an escalation
 * (boundary-policy.ts). An aspect, so every role is covered whoever builds it (the cluster, Fargate, add-ons'
 * identities, Karpenter's node role). The ARN is computed: no reference into the terraform-cloud stack, which
 * is applied first. Adding it to an existing role is an in-place update (PutRolePermissionsBoundary).
 */
class PermissionsBoundary implements IAspect {
  constructor(private readonly arn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.permissionsBoundary = this.arn;
  }
}

export function applyRunRoleBoundary(stack: TerraformStack, environment: EnvironmentConfig): void {
  if (runRolesBuild(environment)) Aspects.of(stack).add(new PermissionsBoundary(boundaryPolicyArn(environment)));
}
