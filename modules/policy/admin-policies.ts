/**
 * AWS managed policies that make their holder an administrator, or able to become one (AWS managed policy
 * reference, docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html): AdministratorAccess (`*` on
 * `*`), IAMFullAccess (`iam:*`), PowerUserAccess (Allow NotAction iam:*, organizations:*, account:* on `*`: every
 * other service), AdministratorAccess-Amplify (IAM role and policy writes, iam:PassRole on `*`: the Amplify Hosting
 * guide, "AWS managed policies for AWS Amplify", calls it as powerful as AdministratorAccess, since its holder can
 * create identities with any permissions). The managed policies' texts are AWS's to change; the names are stable.
 */
export const ADMIN_POLICY_NAMES = [
  "AdministratorAccess",
  "IAMFullAccess",
  "PowerUserAccess",
  "AdministratorAccess-Amplify",
] as const;
