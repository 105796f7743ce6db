import { parsePolicy, principalsOf, type PolicyStatementView } from "../terraform-json";
import { checkEach, defineRule, type PolicyRule } from "./types";

/** `Principal: "*"` (or `AWS: "*"`): anyone in any account, unless a condition narrows it. */
export function opensToEveryone(statement: PolicyStatementView): boolean {
  return (
    statement.Effect === "Allow" &&
    principalsOf(statement, "AWS").includes("*") &&
    !(statement.Condition && Object.keys(statement.Condition).length > 0)
  );
}

export const KMS_RULES: PolicyRule[] = [
  defineRule({
    id: "KMS_ROTATION",
    area: "kms",
    title: "Customer-managed keys rotate yearly",
    scanners: { checkov: ["CKV_AWS_7"], trivy: ["AVD-AWS-0065"] },
    fix: "set enable_key_rotation = true (platformKey() in modules/kms.ts does)",
    check: ({ json }) =>
      checkEach(json, "aws_kms_key", (key) => {
        // Asymmetric and HMAC keys cannot rotate; only symmetric encryption keys are in scope.
        const spec = key.body.customer_master_key_spec;
        if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") return undefined;
        return key.body.enable_key_rotation === true ? undefined : "key rotation is off";
      }),
  }),
  defineRule({
    id: "KMS_KEY_POLICY",
    area: "kms",
    title: "Every key has an explicit key policy",
    scanners: { checkov: ["CKV2_AWS_64"] },
    fix: "give the key a literal JSON policy (platformKey() writes the account-administration statement explicitly)",
    check: ({ json }) =>
      checkEach(json, "aws_kms_key", (key) => {
        if (typeof key.body.policy !== "string" || key.body.policy.trim() === "")
          return "the key has no key policy (AWS applies an implicit default)";
        return parsePolicy(key.body.policy) ? undefined : "the key policy is not literal JSON, so it cannot be checked";
      }),
  }),
  defineRule({
    id: "KMS_NO_PUBLIC_PRINCIPAL",
    area: "kms",
    title: "No key policy statement allows `*` as principal without a condition",
    scanners: { checkov: ["CKV_AWS_33"] },
    fix: "name the principals (account root, roles, service principals), or add a condition such as kms:CallerAccount",
    check: ({ json }) =>
      checkEach(json, "aws_kms_key", (key) =>
        (parsePolicy(key.body.policy) ?? [])
          .filter(opensToEveryone)
          .map(
            (statement) =>
              `key policy statement ${statement.Sid ? `"${statement.Sid}" ` : ""}allows principal * without a condition`,
          ),
      ),
  }),
];
