import type { PolicyDocument } from "./substitution";

/**
 * AWS managed policies the simulation models. Their documents cannot be fetched here (no AWS access), so each is
 * WRITTEN FROM MEMORY of the well-known published document, not copied from AWS: if AWS changes one, this fixture
 * does not follow. Any other managed policy attached to a simulated identity makes that identity's permission
 * rows fail ("not modelled") instead of being silently ignored.
 */

/**
 * arn:aws:iam::aws:policy/PowerUserAccess, as published (written from memory): every action except IAM,
 * Organizations and Account management, plus the few IAM/Organizations/Account calls it explicitly keeps. The
 * Terraform Cloud run roles carried it until issue 22 (per-layer policies replaced it); it stays modelled so that
 * a role given it again is judged, not refused as unmodelled.
 */
const POWER_USER_ACCESS: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      NotAction: ["iam:*", "organizations:*", "account:*"],
      Resource: "*",
    },
    {
      Effect: "Allow",
      Action: [
        "iam:CreateServiceLinkedRole",
        "iam:DeleteServiceLinkedRole",
        "iam:ListRoles",
        "organizations:DescribeOrganization",
        "account:ListRegions",
        "account:GetAccountInformation",
      ],
      Resource: "*",
    },
  ],
};

/** Managed policy name -> its document, for the managed policies the simulation can model. */
export const MODELLED_MANAGED_POLICIES: ReadonlyMap<string, PolicyDocument> = new Map([
  ["PowerUserAccess", POWER_USER_ACCESS],
]);

/** `arn:<partition>:iam::aws:policy/<name>` (and `.../service-role/<name>`) -> the name; undefined otherwise. */
export function managedPolicyName(arn: string): string | undefined {
  return /^arn:aws[\w-]*:iam::aws:policy\/(?:[\w-]+\/)*([\w+=,.@-]+)$/.exec(arn)?.[1];
}
