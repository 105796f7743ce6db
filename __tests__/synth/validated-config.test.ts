import { Testing, TerraformStack, type App } from "cdktf";
import { PlatformConfigError } from "../../modules/errors";
import { planOf, validateConfig } from "../../modules/plan";
import type { PlatformConfig } from "../../modules/config/schema";
import { Platform } from "../../stacks/platform";
import { minimalEnvironment, type StackJson } from "../helpers/config";

/**
 * Issue 24 item 7: a validated config cannot be changed behind the platform's back, and a copy of one is never
 * escaped twice. `validateConfig` returns the user's own text, deep-frozen with its (escaped, frozen) plan; only
 * that very object is taken with its plan. A copy (spread, JSON round trip, a copy by hand), changed or not, is
 * plain data again: validated and escaped once, from the text as the user wrote it.
 */

const EVIL = '${file("/etc/passwd")}';
const ESCAPED = '$${file("/etc/passwd")}';

const validated = (): PlatformConfig =>
  validateConfig({
    environments: [minimalEnvironment({ tags: { team: EVIL, directive: "%{ if true }x%{ endif }" } })],
  });

/** The foundation stack a config synthesizes to, as Terraform reads it. */
function foundation(config: unknown): StackJson {
  const app: App = Testing.app();
  const platform = new Platform(app, { config: config as PlatformConfig });
  app.node
    .findAll()
    .filter(TerraformStack.isStack)
    .forEach((stack) => stack.prepareStack());
  return JSON.parse(Testing.synth(platform.environments[0].foundation!));
}

/** Every string of a JSON value, keys included. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([key, inner]) => [key, ...strings(inner)]);
  return [];
}

/** Config text reaches Terraform escaped exactly once: no live template, no doubled escape. */
function expectEscapedOnce(stack: StackJson): void {
  const texts = strings(stack);
  expect(texts.filter((text) => text.includes("$$$") || text.includes("%%%"))).toEqual([]);
  expect(texts.filter((text) => /(?<![$])\$\{file\(/.test(text))).toEqual([]);
  expect(stack.provider.aws[0].default_tags[0].tags).toMatchObject({
    team: ESCAPED,
    directive: "%%{ if true }x%%{ endif }",
  });
}

describe("a validated config is immutable", () => {
  it("the config and its plan are deep-frozen: a change throws instead of reaching Terraform", () => {
    const config = validated();
    const plan = planOf(config)!;
    const environment = config.environments[0];
    expect(() => {
      (environment.tags as Record<string, string>).injected = EVIL;
    }).toThrow(TypeError);
    expect(() => {
      (environment as { account: string }).account = "999999999999";
    }).toThrow(TypeError);
    expect(() => {
      (config.environments as unknown[]).push(environment);
    }).toThrow(TypeError);
    expect(() => {
      (plan.environments[0].environment.tags as Record<string, string>).team = EVIL;
    }).toThrow(TypeError);
    expect(() => {
      (plan.environments[0].environment.cluster.access.principals as unknown[]).push({});
    }).toThrow(TypeError);
    expect(() => {
      (plan.environments[0].addons.addons as unknown[]).pop();
    }).toThrow(TypeError);
    expect(environment.tags).toEqual({ team: EVIL, directive: "%{ if true }x%{ endif }" });
  });

  it("holds the user's text; the plan holds it escaped, once", () => {
    const config = validated();
    expect(config.environments[0].tags.team).toBe(EVIL);
    expect(planOf(config)!.environments[0].environment.tags.team).toBe(ESCAPED);
    expect(validateConfig(config)).toBe(config);
  });

  it("the validated config itself synthesizes escaped once", () => {
    expectEscapedOnce(foundation(validated()));
  });
});

describe("a copy of a validated config is validated again, from the user's text", () => {
  it.each([
    ["a spread copy", (config: PlatformConfig) => ({ ...config })],
    ["a JSON round trip", (config: PlatformConfig) => JSON.parse(JSON.stringify(config))],
    [
      "a copy of its environments",
      (config: PlatformConfig) => ({ environments: config.environments.map((e) => ({ ...e })) }),
    ],
  ])("%s synthesizes escaped once", (_what, copy) => {
    const config = validated();
    const copied = copy(config);
    expect(planOf(copied)).toBeUndefined();
    expectEscapedOnce(foundation(copied));
  });

  it("a changed copy is validated: a template it adds is escaped once, a changed account is the one used", () => {
    const config = validated();
    const [environment] = config.environments;
    const changed = {
      ...config,
      environments: [
        {
          ...environment,
          account: "222222222222",
          cluster: {
            ...environment.cluster,
            access: { ...environment.cluster.access, terraformRoleArn: "arn:aws:iam::222222222222:role/platform" },
          },
          tags: { ...environment.tags, injected: EVIL },
        },
      ],
    };
    const stack = foundation(changed);
    expectEscapedOnce(stack);
    expect(stack.provider.aws[0].default_tags[0].tags.injected).toBe(ESCAPED);
    expect(stack.provider.aws[0].allowed_account_ids).toEqual(["222222222222"]);
  });

  it("a changed copy that is no longer valid is refused with the problem's path", () => {
    const config = validated();
    const broken = { ...config, environments: [{ ...config.environments[0], account: "12" }] };
    expect(() => foundation(broken)).toThrow(PlatformConfigError);
    expect(() => foundation(broken)).toThrow(/environments\[0\]\.account/);
  });

  it("a plan that was not made by planPlatform is refused, not trusted", () => {
    const plan = planOf(validated())!;
    const forged = {
      ...plan,
      environments: plan.environments.map((entry) => ({
        ...entry,
        environment: { ...entry.environment, tags: { team: EVIL } },
      })),
    };
    expect(() => new Platform(Testing.app(), { plan: forged })).toThrow(/not a plan made by planPlatform/);
  });
});
