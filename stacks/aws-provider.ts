import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { EnvironmentConfig } from "../modules/config/schema";
import { environmentDefaultTags } from "../modules/policy/provider-guard";

/**
 * AWS providers of an environment's stacks: the stack's default one (`provider.aws`) and any a team adds with
 * `awsProvider(stack, alias, { region })`, all alike: locked to the environment's account (`allowed_account_ids`),
 * assuming the environment's role, with the environment's default tags. The policy pack refuses any AWS provider
 * of such a stack without the lock and the tags (AWS_PROVIDER_ACCOUNT_LOCKED, AWS_PROVIDER_DEFAULT_TAGS), and names
 * this helper as the fix.
 *
 *   const useast1 = awsProvider(stack, "us_east_1", { region: "us-east-1" });
 *   new AcmCertificate(stack, "cert", { provider: useast1, domainName: "app.example.com", validationMethod: "DNS" });
 */

interface EnvironmentStackIdentity {
  readonly environment: EnvironmentConfig;
  readonly stackName: string;
}

const identities = new WeakMap<TerraformStack, EnvironmentStackIdentity>();

export interface AwsProviderOptions {
  /** Default: the environment's region. */
  readonly region?: string;
  /** More default tags; the environment's (`tags`, `environment`, `stack`, `managed-by`) win over these. */
  readonly tags?: Readonly<Record<string, string>>;
}

function createProvider(
  scope: Construct,
  id: string,
  identity: EnvironmentStackIdentity,
  alias: string | undefined,
  options: AwsProviderOptions,
): AwsProvider {
  const env = identity.environment;
  return new AwsProvider(scope, id, {
    alias,
    region: options.region ?? env.region,
    // A credential for any other account fails the plan instead of touching that account.
    allowedAccountIds: [env.account],
    assumeRole: env.assumeRoleArn
      ? [
          {
            roleArn: env.assumeRoleArn,
            externalId: env.externalId,
            sessionName: env.sessionName ?? `cdktf-${identity.stackName}`,
          },
        ]
      : undefined,
    defaultTags: [{ tags: { ...options.tags, ...environmentDefaultTags(env, identity.stackName) } }],
  });
}

/** The stack's default AWS provider (`provider.aws`); remembers the stack's environment for `awsProvider`. */
export function environmentAwsProvider(stack: TerraformStack, identity: EnvironmentStackIdentity): AwsProvider {
  identities.set(stack, identity);
  return createProvider(stack, "aws", identity, undefined, {});
}

/**
 * Another AWS provider configuration for a stack of an environment (a `TeamStack`, a layer), e.g. for another
 * region: `provider.aws.<alias>`, locked to the environment's account with its role and default tags.
 */
export function awsProvider(scope: Construct, alias: string, options: AwsProviderOptions = {}): AwsProvider {
  const stack = TerraformStack.of(scope);
  const identity = identities.get(stack);
  if (!identity)
    throw new Error(
      `awsProvider: ${stack.node.path} is not a stack of an environment (a TeamStack from environment.addStack, or a layer): it has no account to lock the provider to`,
    );
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(alias))
    throw new Error(
      `awsProvider: alias '${alias}' is not a Terraform name: use letters, digits, '_' and '-', starting with a letter`,
    );
  return createProvider(scope, `aws-${alias}`, identity, alias, options);
}
