/**
 * Foundation test configs, plain data, no cdktf: the environments of the foundation option tests
 * (synth/foundation-variants.test.ts) and the config rules that guard them (unit/foundation-config-rules.test.ts),
 * and the `foundation-defaults` fixture's config (synth/foundation.test.ts, synth/foundation-karpenter.test.ts).
 */

import { minimalEnvironment } from "./config";

type Json = Record<string, any>;

export const TERRAFORM = "arn:aws:iam::111111111111:role/platform-terraform";

/** An environment named `name` with a DNS zone and the Terraform role, `overrides` on top. */
export function environment(name: string, overrides: Json): Json {
  return {
    name,
    account: "111111111111",
    region: "eu-west-1",
    dns: { domain: `${name}.example.com`, hostedZoneId: "Z0123456789ABCDEFGHIJ" },
    cluster: { access: { terraformRoleArn: TERRAFORM } },
    ...overrides,
    // `dns: undefined` in overrides removes it (a JSON config would simply not have the key).
    ...("dns" in overrides && overrides.dns === undefined ? { dns: undefined } : {}),
  };
}

/** One principal per access level, and one with Kubernetes groups only (the `foundation-defaults` fixture). */
export const ADMIN = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_abc";
export const OPS = "arn:aws:iam::111111111111:role/ops";
export const DEVELOPER = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developer_abc";
export const READER = "arn:aws:iam::111111111111:role/readonly";
export const TEAM = "arn:aws:iam::111111111111:role/team-rbac";

/**
 * The `foundation-defaults` fixture (helpers/fixtures.ts), synthesized once for foundation.test.ts and
 * foundation-karpenter.test.ts: an environment with an existing VPC, every default, and one principal per access
 * level.
 */
export const FOUNDATION_DEFAULTS_CONFIG = {
  environments: [
    minimalEnvironment({
      cluster: {
        access: {
          principals: [
            { arn: ADMIN, level: "cluster-admin" },
            { arn: OPS, level: "admin" },
            { arn: DEVELOPER, level: "edit", namespaces: ["apps", "jobs"] },
            { arn: READER, level: "view" },
            { arn: TEAM, groups: ["team-a"] },
          ],
        },
      },
    }),
  ],
};
