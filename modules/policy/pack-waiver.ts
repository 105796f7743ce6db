import type { EnvironmentConfig } from "../config/schema";
import type { WaiverConfig } from "../config/waiver-schema";
import { waiverExpired } from "./engine";
import { GUARD_RULES, POLICY_PACK_RULE } from "./provider-guard";

/**
 * The waiver that lets `stackName` run without the policy pack: a POLICY_PACK_ON waiver of its environment
 * naming the stack as `resource`, not expired. Throws, naming the stack, the option and the waiver to add, when
 * there is none.
 */
export function policyPackWaiver(
  environment: EnvironmentConfig,
  stackName: string,
  now: Date = new Date(),
): WaiverConfig {
  const candidates = environment.policy.waivers.filter((waiver) => waiver.rule === POLICY_PACK_RULE);
  const named = candidates.filter((waiver) => waiver.resource === stackName);
  const active = named.find((waiver) => !waiverExpired(waiver, now));
  if (active) return active;
  const expired = named.find((waiver) => waiver.expires !== undefined);
  const why = expired
    ? `its waiver "${expired.reason}" expired on ${expired.expires}`
    : candidates.some((waiver) => waiver.resource === undefined)
      ? `a ${POLICY_PACK_RULE} waiver without resource covers no stack: it must name the stack`
      : `environment ${environment.name} has no ${POLICY_PACK_RULE} waiver for it`;
  throw new Error(
    `${stackName}: policyPack: false switches the policy pack off, and ${why} ` +
      `(fix: drop policyPack: false, or add to environment ${environment.name}'s policy.waivers: - rule: ${POLICY_PACK_RULE}, resource: ${stackName}, reason: <why the pack cannot run>, expires: <YYYY-MM-DD>; ` +
      `the stack keeps the provider rules ${GUARD_RULES.map((rule) => rule.id).join(" and ")})`,
  );
}
