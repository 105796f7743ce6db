/**
 * The environments of the foundation option tests (synth/foundation-variants.test.ts) and the config rules that
 * guard them (unit/foundation-config-rules.test.ts): plain data, no cdktf.
 */

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
