export { attachPolicyPack, policyEvaluationOf, type AttachPolicyPackOptions } from "./attach";
export {
  evaluatePolicy,
  formatFinding,
  unusedWaivers,
  waiverDaysLeft,
  waiverExpired,
  waiverMatches,
  type AppliedWaiver,
  type EvaluatePolicyInput,
  type PolicyEvaluation,
} from "./engine";
export { POLICY_RULES, POLICY_RULE_IDS, policyRule } from "./registry";
export type { Finding, PolicyArea, PolicyRule, ScannerIds } from "./types";
