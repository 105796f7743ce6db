import { fixtureStacks } from "./fixtures";

/**
 * The `foundation-defaults` fixture's dev-foundation stack (helpers/foundation-config.ts), synthesized once for
 * foundation.test.ts and foundation-karpenter.test.ts, and lookups into it that fail naming what is there.
 */

type Json = Record<string, any>;

let stack: Json | undefined;

/** The synthesized dev-foundation stack (read in a test or a `beforeAll`). */
export function foundationStack(): Json {
  stack ??= fixtureStacks("foundation-defaults").get("dev-foundation");
  if (!stack) throw new Error("the foundation-defaults fixture has no dev-foundation stack");
  return stack;
}

export const only = (type: string, name: string): Json => {
  const resources = foundationStack().resource;
  const found = resources[type]?.[name];
  if (!found) throw new Error(`${type}.${name} not synthesized; have ${Object.keys(resources[type] ?? {}).join(", ")}`);
  return found;
};
export const values = (release: string): Json => JSON.parse(only("helm_release", release).values[0]);
export const statementsOf = (...policies: string[]): Json[] =>
  policies.flatMap((name) => JSON.parse(only("aws_iam_policy", name).policy).Statement);
export const actionsOf = (statement: Json): string[] => [statement.Action].flat();
