import { LAYERS } from "../layers";
import { stackName, teamStackUnit } from "../naming";
import { checkEach, defineRule, type PolicyRule } from "./types";

/**
 * The organization's permissions boundary on every role (issue 23 item 4). An aspect sets it
 * (modules/terraform-cloud/boundary.ts); this rule catches a role that escapes it: one written into the JSON by an
 * override or an escape hatch, a boundary replaced or removed after the aspect ran. It judges the environment's
 * own stacks, the platform's layers (`<env>-<layer>`) and team stacks (`<env>-team-<name>`). The terraform-cloud
 * stack spans environments (the pack evaluates it with the first one), so it is not judged here: its run roles get
 * their environment's boundary where they are built (createRunRole in modules/terraform-cloud/run-roles.ts), and
 * the synth tests check them. The platform's own run boundary (without an organization's) is set by the same
 * aspect and checked by the synth tests; the policy folder does not import Terraform Cloud's settings.
 */
function isEnvironmentStack(stack: string, environment: string): boolean {
  return (
    LAYERS.some((layer) => stackName(environment, layer) === stack) ||
    stack.startsWith(stackName(environment, teamStackUnit("")))
  );
}

export const BOUNDARY_RULES: PolicyRule[] = [
  defineRule({
    id: "IAM_PERMISSIONS_BOUNDARY",
    area: "iam",
    title:
      "Where the environment configures its organization's permissions boundary (iam.permissionsBoundaryArn), every IAM role of its stacks carries it, team stacks' too",
    scanners: {},
    fix: "leave permissions_boundary to the platform (an aspect sets it on every aws_iam_role of the environment's stacks); do not override or remove it",
    check: ({ stack, json, environment }) => {
      const expected = environment.iam.permissionsBoundaryArn;
      if (!expected || !isEnvironmentStack(stack, environment.name)) return [];
      return checkEach(json, "aws_iam_role", (role) => {
        const actual = role.body.permissions_boundary;
        if (actual === expected) return undefined;
        return actual === undefined
          ? `the role has no permissions boundary; every role of environment ${environment.name} must carry ${expected}`
          : `the role's permissions boundary is ${typeof actual === "string" ? actual : JSON.stringify(actual)}, not the organization's ${expected}`;
      });
    },
  }),
];
