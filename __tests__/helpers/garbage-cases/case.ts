/**
 * What the garbage-input cases share (garbage-input.test.ts runs them): a case's shape, and the builders of the
 * config sections the cases put garbage into.
 */

/**
 * What the garbage is; the environment overrides carrying it; the path under environments[0]; the value the
 * issue names; what its message says.
 */
export type Case = readonly [
  what: string,
  overrides: Record<string, unknown>,
  path: string,
  value: unknown,
  says: RegExp,
];

/** A role in the minimal environment's account, for assumeRoleArn. */
export const ROLE = "arn:aws:iam::111111111111:role/platform-terraform";
/** 100 KB of text, for every free-text field that must be bounded. */
export const KB100 = "a".repeat(100_000);

/** A Karpenter node pool named gpu, with `extra` fields. */
export const pool = (extra: Record<string, unknown>) => ({ karpenter: { nodePools: [{ name: "gpu", ...extra }] } });
