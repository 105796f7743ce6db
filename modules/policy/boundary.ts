import { LAYERS } from "../layers";
import { stackName } from "../naming";
import { stackRoleBoundaryArn, TERRAFORM_CLOUD_STACK } from "../terraform-cloud/settings";
import { asString } from "../terraform-json";
import { checkEach, defineRule, type PolicyRule } from "./types";

/**
 * The permissions boundary on every role (issue 23 item 4). An aspect sets it (modules/terraform-cloud/boundary.ts);
 * this rule catches a role that escapes it: one written into the JSON by an override or an escape hatch, a
 * boundary replaced or removed after the aspect ran. What a stack's roles must carry:
 *   - the organization's boundary (`iam.permissionsBoundaryArn`) on every stack of the environment, the
 *     platform's layers and team stacks alike;
 *   - without one, on the platform's layers only, the platform's own boundary where Terraform Cloud runs build
 *     the platform (`tfc-<cluster>-boundary`): a role without it is one the run roles could not create.
 * The terraform-cloud stack spans environments (the pack evaluates it with the first one), so it is not judged
 * here: its run roles get their environment's boundary where they are built (createRunRole in
 * modules/terraform-cloud/run-roles.ts), and the synth tests check them.
 */
function expectedBoundary(stack: string, environment: Parameters<typeof stackRoleBoundaryArn>[0]): string | undefined {
  if (stack === TERRAFORM_CLOUD_STACK) return undefined;
  const platform = LAYERS.some((layer) => stackName(environment.name, layer) === stack);
  return stackRoleBoundaryArn(environment, platform ? "platform" : "team");
}

export const BOUNDARY_RULES: PolicyRule[] = [
  defineRule({
    id: "IAM_PERMISSIONS_BOUNDARY",
    area: "iam",
    title:
      "Every IAM role carries the environment's permissions boundary: the organization's (iam.permissionsBoundaryArn) where configured, on team stacks too; else, on the platform's layers, the platform's own where Terraform Cloud runs build them",
    scanners: {},
    fix: "leave permissions_boundary to the platform (an aspect sets it on every aws_iam_role of the environment's stacks); do not override or remove it",
    check: ({ stack, json, environment }) => {
      const expected = expectedBoundary(stack, environment);
      if (!expected) return [];
      return checkEach(json, "aws_iam_role", (role) => {
        const actual = role.body.permissions_boundary;
        if (actual === expected) return undefined;
        return actual === undefined
          ? `the role has no permissions boundary; every role of environment ${environment.name} must carry ${expected}`
          : `the role's permissions boundary is ${asString(actual) ?? JSON.stringify(actual)}, not the environment's ${expected}`;
      });
    },
  }),
];
