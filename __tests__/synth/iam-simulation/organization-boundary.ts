import { environmentsOf } from "./environments";
import type { PolicyDocument } from "./substitution";
import type { Synthesized } from "./synthesized";

/**
 * The organization's permissions boundary (`iam.permissionsBoundaryArn`) is the organization's own policy: the
 * platform neither creates nor reads it, so the simulation models it. The model is the LEAST an organization's
 * boundary could be (everything but Organizations, Account and IAM users), with no rule about roles or
 * boundaries of its own: whatever the rows prove about creating roles, keeping or changing boundaries, and the
 * boundary policy itself, the platform's own policies (the run policy, each layer's IAM grant) prove it, not the
 * model. A real organization's boundary is usually narrower; the platform's roles then need what the controllers'
 * rows list (docs/iam-simulation.md).
 */
function organizationBoundary(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "OrganizationAllows", Effect: "Allow", Action: "*", Resource: "*" },
      {
        Sid: "OrganizationDenies",
        Effect: "Deny",
        Action: ["organizations:*", "account:*", "iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile"],
        Resource: "*",
      },
    ],
  };
}

/** The modelled boundary of every environment of the config that configures one, by its ARN. */
export function organizationBoundaries(synth: Synthesized): Map<string, { name: string; policy: PolicyDocument }> {
  const byArn = new Map<string, { name: string; policy: PolicyDocument }>();
  for (const env of environmentsOf(synth))
    if (env.organizationBoundary)
      byArn.set(env.organizationBoundary, {
        name: organizationBoundaryName(env.organizationBoundary),
        policy: organizationBoundary(),
      });
  return byArn;
}

/** The name the simulation gives the modelled boundary of that ARN. */
export function organizationBoundaryName(arn: string | undefined): string {
  return `organization boundary ${arn}`;
}
