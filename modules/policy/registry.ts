import { EKS_RULES } from "./eks";
import { ENCRYPTION_RULES } from "./encryption";
import { FIRST_APPLY_RULES } from "./first-apply";
import { SUPPORT_RULES } from "./support";
import { IAM_RULES } from "./iam";
import { BOUNDARY_RULES } from "./boundary";
import { KMS_RULES } from "./kms";
import { NODE_RULES } from "./nodes";
import { SAFETY_RULES } from "./safety";
import { TERRAFORM_CLOUD_RULES } from "./terraform-cloud";
import { PROVIDER_GUARD_RULES } from "./provider-guard";
import { VALUES_RULES } from "./values";
import { STORAGE_DNS_RULES } from "./storage-dns";
import { POD_SECURITY_RULES } from "./pod-security";
import { DEFAULTS_RULES } from "./defaults";
import { TERRAFORM_VERSION_RULES } from "./terraform-version";
import type { PolicyRule } from "./types";

/** Every rule of the built-in pack, in the order the docs list them. Rule ids are public: never rename one. */
export const POLICY_RULES: ReadonlyArray<PolicyRule> = [
  ...EKS_RULES,
  ...SUPPORT_RULES,
  ...KMS_RULES,
  ...ENCRYPTION_RULES,
  ...IAM_RULES,
  ...BOUNDARY_RULES,
  ...NODE_RULES,
  ...SAFETY_RULES,
  ...FIRST_APPLY_RULES,
  ...TERRAFORM_CLOUD_RULES,
  ...PROVIDER_GUARD_RULES,
  ...DEFAULTS_RULES,
  ...TERRAFORM_VERSION_RULES,
  ...VALUES_RULES,
  ...STORAGE_DNS_RULES,
  ...POD_SECURITY_RULES,
];

export const POLICY_RULE_IDS: ReadonlyArray<string> = POLICY_RULES.map((rule) => rule.id);

const byId = new Map(POLICY_RULES.map((rule) => [rule.id, rule]));
if (byId.size !== POLICY_RULES.length) throw new Error("policy rule ids must be unique");

export function policyRule(id: string): PolicyRule | undefined {
  return byId.get(id);
}
