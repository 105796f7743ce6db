import type { CallRow } from "./rows";
import { planRole, type RunRoles } from "./tfc-run-roles";

/**
 * Table 3 (plans): every call of the resource-call tables again, by the PLAN role of the layer whose apply role
 * makes it. A plan (speculative and pull-request ones too) refreshes and reads, so every read (Describe, Get,
 * List) is allowed and every write denied: the plan role holds no write credential (issue 22 item 2).
 */

const PLAN =
  "HashiCorp, HCP Terraform dynamic provider credentials for AWS: TFC_AWS_PLAN_ROLE_ARN is the role of the plan phase (speculative plans included), TFC_AWS_APPLY_ROLE_ARN of the apply phase";

const READ = /^[\w-]+:(Describe|Get|List)/;

export function planRoleRows(run: RunRoles, applyRows: ReadonlyArray<CallRow>): CallRow[] {
  const layerOf = new Map([...run.roles].map(([layer, role]) => [role.name, layer]));
  return applyRows.flatMap((row) => {
    const principal = row.id.slice(row.id.indexOf(" ") + 1, row.id.indexOf(":"));
    const layer = layerOf.get(principal);
    if (!layer) return [];
    const who = planRole(run, layer);
    return [
      {
        id: `${run.env.name} ${who.name}: ${row.id.slice(row.id.indexOf(": ") + 2)}`,
        steps: row.steps.map((step) => ({
          ...step,
          principal: who.sessionArn,
          identityPolicies: who.policies,
          permissionsBoundary: who.boundary,
        })),
        expected: row.steps.every((step) => READ.test(step.action)) ? "allowed" : "denied",
        source: PLAN,
      },
    ];
  });
}
