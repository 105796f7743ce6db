import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Platform, awsProvider, type EnvironmentStacks } from "../../index";
import { policyEvaluationOf } from "../../modules/policy";
import { minimalEnvironment as env } from "../helpers/config";

/**
 * Issue 22 item 6: a team stack stays inside the environment's guard. Every AWS provider it adds, aliased or not,
 * is locked to the environment's account and carries the environment's default tags, or synth fails naming the
 * alias and `awsProvider` (which does it right); switching the policy pack off takes a waiver naming the stack,
 * and the stack keeps the provider rules.
 */

type Json = Record<string, any>;

const TAGS = { "cost-center": "platform" };
const platformWith = (waivers: ReadonlyArray<Record<string, string>> = []): EnvironmentStacks =>
  new Platform(Testing.app(), {
    config: {
      environments: [
        env({
          tags: TAGS,
          assumeRoleArn: "arn:aws:iam::111111111111:role/deploy",
          cluster: { access: { terraformRoleArn: undefined } },
          layers: { network: false, storage: false, operators: false },
          policy: { waivers },
        }),
      ],
    },
  }).environments[0];

/** The stack's findings as `RULE address: problem (fix: ...)`, or [] when its validation passes. */
function findings(stack: TerraformStack): string[] {
  try {
    Testing.synth(stack, true);
    return [];
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return text.split("\n").filter((line) => line.includes("] dev-"));
  }
}

const synthesized = (stack: TerraformStack): Json => JSON.parse(Testing.synth(stack));

describe("AWS providers a team stack adds", () => {
  it("awsProvider: an aliased provider locked to the account, with the role and the default tags (and the team's)", () => {
    const team = platformWith().addStack("payments");
    const provider = awsProvider(team, "us_east_1", { region: "us-east-1", tags: { team: "payments", stack: "x" } });
    expect(provider.alias).toBe("us_east_1");
    expect(findings(team)).toEqual([]);
    const aliased = synthesized(team).provider.aws.find((config: Json) => config.alias === "us_east_1");
    expect(aliased).toEqual({
      alias: "us_east_1",
      region: "us-east-1",
      allowed_account_ids: ["111111111111"],
      assume_role: [{ role_arn: "arn:aws:iam::111111111111:role/deploy", session_name: "cdktf-dev-team-payments" }],
      // The environment's tags win over the team's.
      default_tags: [
        {
          tags: {
            team: "payments",
            ...TAGS,
            environment: "dev",
            stack: "dev-team-payments",
            "managed-by": "cdktf-eks-platform",
          },
        },
      ],
    });
  });

  it("a provider without the lock and the tags fails synth, naming the alias and awsProvider", () => {
    const team = platformWith().addStack("payments");
    new AwsProvider(team, "east", { alias: "east", region: "us-east-1" });
    const lines = findings(team);
    expect(lines).toEqual([
      expect.stringMatching(
        /dev-team-payments provider\.aws\.east: \[AWS_PROVIDER_ACCOUNT_LOCKED\] no allowed_account_ids.*fix: create it with awsProvider\(stack, "east", \{ region: "us-east-1" \}\)/,
      ),
      expect.stringMatching(
        /dev-team-payments provider\.aws\.east: \[AWS_PROVIDER_DEFAULT_TAGS\] default_tags are not the environment's: cost-center is missing, environment is missing, stack is missing, managed-by is missing/,
      ),
    ]);
  });

  it("a provider locked to another account, or with the environment's tags changed, fails synth", () => {
    const team = platformWith().addStack("payments");
    new AwsProvider(team, "other", {
      alias: "other",
      region: "eu-west-1",
      allowedAccountIds: ["999999999999"],
      defaultTags: [
        {
          tags: { ...TAGS, environment: "dev", stack: "dev-team-payments", "managed-by": "cdktf-eks-platform" },
        },
      ],
    });
    new AwsProvider(team, "retagged", {
      alias: "retagged",
      region: "eu-west-1",
      allowedAccountIds: ["111111111111"],
      defaultTags: [{ tags: { ...TAGS, environment: "prod", stack: "dev-team-payments", "managed-by": "me" } }],
    });
    expect(findings(team)).toEqual([
      expect.stringMatching(
        /provider\.aws\.other: \[AWS_PROVIDER_ACCOUNT_LOCKED\] allowed_account_ids is \["999999999999"\], not the environment's account 111111111111/,
      ),
      expect.stringMatching(
        /provider\.aws\.retagged: \[AWS_PROVIDER_DEFAULT_TAGS\] default_tags are not the environment's: environment is "prod", not "dev", managed-by is "me", not "cdktf-eks-platform"/,
      ),
    ]);
  });

  it("the platform's own layer stacks are held to the same guard", () => {
    const foundation = platformWith().foundation!;
    new AwsProvider(foundation, "loose", { alias: "loose", region: "us-east-1" });
    expect(findings(foundation).map((line) => /\[(\w+)\]/.exec(line)?.[1])).toEqual([
      "AWS_PROVIDER_ACCOUNT_LOCKED",
      "AWS_PROVIDER_DEFAULT_TAGS",
    ]);
  });

  it("awsProvider outside an environment's stack, or with an alias Terraform refuses, throws", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "plain");
    expect(() => awsProvider(stack, "x")).toThrow(/plain is not a stack of an environment/);
    expect(() => awsProvider(platformWith().addStack("payments"), "us-east.1")).toThrow(/is not a Terraform name/);
  });
});

describe("policyPack: false", () => {
  const waiver = (overrides: Record<string, string> = {}) => ({
    rule: "POLICY_PACK_ON",
    resource: "dev-team-legacy",
    reason: "legacy import of hand-made resources until PLAT-412 rewrites them",
    ...overrides,
  });

  it("is refused without a waiver naming the stack, with the waiver to add", () => {
    expect(() => platformWith().addStack("legacy", undefined, { policyPack: false })).toThrow(
      /dev-team-legacy: policyPack: false switches the policy pack off, and environment dev has no POLICY_PACK_ON waiver for it \(fix: drop policyPack: false, or add to environment dev's policy\.waivers: - rule: POLICY_PACK_ON, resource: dev-team-legacy, reason: .*, expires: .*; the stack keeps the provider rules AWS_PROVIDER_ACCOUNT_LOCKED and AWS_PROVIDER_DEFAULT_TAGS\)/,
    );
  });

  it("is refused with an expired waiver, one for another stack, or one that names no stack", () => {
    expect(() =>
      platformWith([waiver({ expires: "2020-01-31" })]).addStack("legacy", undefined, { policyPack: false }),
    ).toThrow(/its waiver "legacy import .*" expired on 2020-01-31/);
    expect(() =>
      platformWith([waiver({ resource: "dev-team-other" })]).addStack("legacy", undefined, { policyPack: false }),
    ).toThrow(/has no POLICY_PACK_ON waiver for it/);
    const { resource: _omitted, ...everyStack } = waiver();
    expect(() => platformWith([everyStack]).addStack("legacy", undefined, { policyPack: false })).toThrow(
      /a POLICY_PACK_ON waiver without resource covers no stack: it must name the stack/,
    );
  });

  it("with the waiver: the pack's rules are off, the provider rules stay, and the waiver is reported as applied", () => {
    const legacy = platformWith([waiver({ expires: "2099-12-31" })]).addStack("legacy", undefined, {
      policyPack: false,
    });
    // KMS_ROTATION and KMS_KEY_POLICY would fail this key; without the pack they do not run.
    new KmsKey(legacy, "key", { description: "legacy" });
    expect(findings(legacy)).toEqual([]);
    expect(policyEvaluationOf(legacy)?.waived).toEqual([
      {
        finding: expect.objectContaining({
          rule: "POLICY_PACK_ON",
          stack: "dev-team-legacy",
          address: "dev-team-legacy",
        }),
        waiver: expect.objectContaining({ rule: "POLICY_PACK_ON", resource: "dev-team-legacy" }),
      },
    ]);
    new AwsProvider(legacy, "east", { alias: "east", region: "us-east-1" });
    expect(findings(legacy).map((line) => /\[(\w+)\]/.exec(line)?.[1])).toEqual([
      "AWS_PROVIDER_ACCOUNT_LOCKED",
      "AWS_PROVIDER_DEFAULT_TAGS",
    ]);
  });

  it("a team stack with the pack on still fails on the KMS key the waived one may have", () => {
    const payments = platformWith().addStack("payments");
    new KmsKey(payments, "key", { description: "payments" });
    expect(findings(payments).map((line) => /\[(\w+)\]/.exec(line)?.[1])).toEqual(
      expect.arrayContaining(["KMS_ROTATION", "KMS_KEY_POLICY"]),
    );
  });
});
