import type { EnvironmentConfig } from "../config/schema";
import {
  asList,
  asObject,
  asStrings,
  firstBlock,
  isObject,
  type ResourceBlock,
  type StackJson,
} from "../terraform-json";
import { defineRule, type PolicyRule, type ProviderGuard, type Violation } from "./types";

/**
 * The environment's guard, for every stack of an environment (its layers and its team stacks): each AWS provider
 * configuration, aliased or not, is locked to the environment's account and carries the environment's default
 * tags; and the policy pack is switched off for a team stack only with a waiver naming the stack. Team code adds
 * providers with `awsProvider(stack, alias, { region })` (stacks/aws-provider.ts), which sets both.
 */

/** The tags every AWS resource of an environment's stack gets through its providers' `default_tags`. */
export function environmentDefaultTags(environment: EnvironmentConfig, stackName: string): Record<string, string> {
  return {
    ...environment.tags,
    environment: environment.name,
    stack: stackName,
    "managed-by": "cdktf-eks-platform",
  };
}

/** What the AWS providers of `stackName`, a stack of `environment`, must carry. */
export function environmentProviderGuard(environment: EnvironmentConfig, stackName: string): ProviderGuard {
  return { account: environment.account, defaultTags: environmentDefaultTags(environment, stackName) };
}

/** Provider configurations of one type, as blocks a finding can name (`provider.aws`, `provider.aws.<alias>`). */
export function providerBlocks(json: StackJson, type: string): ResourceBlock[] {
  const configs = isObject(json.provider) ? asList(json.provider[type]).filter(isObject) : [];
  return configs.map((body) => {
    const alias = typeof body.alias === "string" ? body.alias : undefined;
    return {
      mode: "resource",
      type: "provider",
      name: alias ?? type,
      address: alias ? `provider.${type}.${alias}` : `provider.${type}`,
      body,
    };
  });
}

/** How to add the provider right, naming its alias and region. */
function helperFix(provider: ResourceBlock, guard: ProviderGuard): string {
  const alias = typeof provider.body.alias === "string" ? provider.body.alias : undefined;
  const region = typeof provider.body.region === "string" ? provider.body.region : "<region>";
  return alias
    ? `create it with awsProvider(stack, "${alias}", { region: "${region}" }) (exported by cdktf-eks-platform): it locks the provider to account ${guard.account} with the environment's role and default tags`
    : `leave the stack's default AWS provider as the platform configures it (account ${guard.account}, the environment's default tags); add others with awsProvider(stack, alias, { region })`;
}

/** Expected tags the provider's `default_tags` lacks or sets to another value. */
function tagProblems(provider: ResourceBlock, guard: ProviderGuard): string[] {
  const tags = asObject(firstBlock(provider.body.default_tags)?.tags) ?? {};
  return Object.entries(guard.defaultTags).flatMap(([key, value]) =>
    tags[key] === value
      ? []
      : [
          tags[key] === undefined
            ? `${key} is missing`
            : `${key} is ${JSON.stringify(tags[key])}, not ${JSON.stringify(value)}`,
        ],
  );
}

/** The rule a team stack's `policyPack: false` is waived with (resource: the stack's name). */
export const POLICY_PACK_RULE = "POLICY_PACK_ON";

export const PROVIDER_GUARD_RULES: PolicyRule[] = [
  defineRule({
    id: "AWS_PROVIDER_ACCOUNT_LOCKED",
    area: "safety",
    title:
      "Every AWS provider configuration, aliased or not, is locked to one account (allowed_account_ids): in an environment's stack (layers and team stacks), the environment's account",
    scanners: {},
    fix: "set allowedAccountIds: [account] on the AwsProvider; in a team stack add providers with awsProvider(stack, alias, { region }) (every platform stack has it; the terraform-cloud stack has one per account)",
    check: ({ json, guard }) =>
      providerBlocks(json, "aws").flatMap((provider): Violation[] => {
        const accounts = asStrings(provider.body.allowed_account_ids);
        const locked = accounts.length === 1 && /^\d{12}$/.test(accounts[0]);
        if (locked && (!guard || accounts[0] === guard.account)) return [];
        const problem =
          accounts.length === 0
            ? "no allowed_account_ids: any credential's account is used"
            : !locked
              ? `allowed_account_ids is ${JSON.stringify(accounts)}, not one account`
              : `allowed_account_ids is ${JSON.stringify(accounts)}, not the environment's account ${guard?.account}`;
        return [{ resource: provider, problem, fix: guard ? helperFix(provider, guard) : undefined }];
      }),
  }),
  defineRule({
    id: "AWS_PROVIDER_DEFAULT_TAGS",
    area: "safety",
    title:
      "In an environment's stack, every AWS provider configuration, aliased or not, has the environment's default tags (`tags`, `environment`, `stack`, `managed-by`); more tags are fine",
    scanners: {},
    fix: "in a team stack add providers with awsProvider(stack, alias, { region }), which sets the environment's default tags",
    check: ({ json, guard }) =>
      guard
        ? providerBlocks(json, "aws").flatMap((provider): Violation[] => {
            const problems = tagProblems(provider, guard);
            return problems.length === 0
              ? []
              : [
                  {
                    resource: provider,
                    problem: `default_tags are not the environment's: ${problems.join(", ")}`,
                    fix: helperFix(provider, guard),
                  },
                ];
          })
        : [],
  }),
  defineRule({
    id: POLICY_PACK_RULE,
    area: "safety",
    title:
      "Every stack of an environment is checked by this pack: a team stack with `policyPack: false` needs a waiver naming the stack (resource: `<env>-team-<name>`), and keeps the provider rules",
    scanners: {},
    fix: "drop policyPack: false from the team stack's options, or waive POLICY_PACK_ON with resource: <env>-team-<name>",
    // Judged when the stack is built (policyPackWaiver), not on its JSON: a stack without the pack has no findings.
    check: () => [],
  }),
];

/** The rules a stack whose pack is waived off keeps: the environment's guard. */
export const GUARD_RULES: ReadonlyArray<PolicyRule> = PROVIDER_GUARD_RULES.filter(
  (rule) => rule.id !== POLICY_PACK_RULE,
);
