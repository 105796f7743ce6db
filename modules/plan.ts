import { ADDONS } from "./addons/catalog";
import { parseConfigData, parseEnvironments, readConfigFile } from "./config/load";
import { environmentSchemaFor, type EnvironmentConfig, type PlatformConfig } from "./config/schema";
import { escapeEnvironment, escapeTemplates, templateIssues } from "./config/escape";
import { semanticIssues } from "./config/semantics";
import { resolveAddons, type AddonPlan } from "./engine/resolve";
import type { AddonDefinition } from "./engine/types";
import { closest, IssueCollector, type ConfigIssue } from "./errors";
import { isPlainObject } from "./merge";
import { enabledLayers, type Layer } from "./layers";
import { policyRule, POLICY_RULE_IDS } from "./policy/registry";
import { terraformCloudIssues } from "./terraform-cloud/config-issues";
import { providerIdentityArn } from "./terraform-cloud/settings";
import type { TerraformCloudSettings } from "./terraform-cloud/plan";

/**
 * The platform plan: every environment validated and resolved once, before any construct exists. `Platform`,
 * the report, the inventory and the docs all read it; nothing resolves add-ons a second time.
 *
 *   config (file or data) -> schema (with the catalog's add-on names) -> resolved add-ons -> cross-field rules
 */
export interface EnvironmentPlan {
  readonly environment: EnvironmentConfig;
  readonly addons: AddonPlan;
  /** The environment's stacks, in apply order. */
  readonly layers: ReadonlyArray<Layer>;
}

export interface PlatformPlan {
  readonly catalog: ReadonlyArray<AddonDefinition>;
  readonly environments: ReadonlyArray<EnvironmentPlan>;
  /** The top-level `terraformCloud` settings (the terraform-cloud stack's own backend), when given. */
  readonly terraformCloud?: TerraformCloudSettings;
}

export interface PlanOptions {
  /** The add-ons to plan with (default: the platform's catalog, `ADDONS`); a team's own are appended to it. */
  readonly catalog?: ReadonlyArray<AddonDefinition>;
  /** Where the config came from, for error messages. */
  readonly source?: string;
}

/** Validates and resolves a whole config; throws a PlatformConfigError with every problem at once. */
export function planPlatform(input: unknown, options: PlanOptions = {}): PlatformPlan {
  const catalog = options.catalog ?? ADDONS;
  const source = options.source ?? "the platform config";
  // A config that already carries its plan was validated (and escaped) once: planning it again would escape twice.
  const planned = planOf(input);
  if (planned && (!options.catalog || options.catalog === planned.catalog)) return planned;
  const parsed = parseEnvironments(
    rawOf(input) ?? input,
    environmentSchemaFor(catalog.map((addon) => addon.name)),
    source,
  );
  const addonPlans = parsed.environments.map((environment) => resolveAddons(environment, catalog));
  const issues = new IssueCollector();
  const templates = parsed.environments.flatMap((environment, index) =>
    templateIssues(environment, `environments[${index}]`),
  );
  issues.addAll(
    parsed.attribute([
      ...semanticIssues(parsed.environments, addonPlans),
      ...waiverRuleIssues(parsed.environments),
      ...templates,
      ...terraformCloudIssues(parsed.environments, parsed.terraformCloud),
      ...providerIdentityIssues(parsed.environments),
    ]),
  );
  issues.throwIfAny(source);
  // Escaped once, here, after every check has seen the user's own text (config/escape.ts).
  const plan: PlatformPlan = deepFreeze({
    catalog,
    environments: parsed.environments.map((environment, index) => ({
      environment: escapeEnvironment(environment),
      addons: escapeAddonPlan(addonPlans[index]),
      layers: enabledLayers(environment.layers),
    })),
    terraformCloud: parsed.terraformCloud,
  });
  const config: PlatformConfig = deepFreeze({
    environments: parsed.environments,
    terraformCloud: parsed.terraformCloud,
  });
  made.set(plan, { raw: rawOf(input) ?? input, config });
  plans.set(config, plan);
  return plan;
}

/**
 * The identity Terraform's Kubernetes and Helm providers call the cluster as gets the cluster-admin access entry,
 * so it must be one fixed role: read from whoever runs Terraform, it changes with the operator (a second
 * operator's plan replaces the entry, and every Helm refresh gets 401 until it is back) and may be a configured
 * principal too (EKS refuses a second entry for one principal: 409).
 */
function providerIdentityIssues(environments: ReadonlyArray<EnvironmentConfig>): ConfigIssue[] {
  return environments.flatMap((environment, index): ConfigIssue[] =>
    !enabledLayers(environment.layers).includes("foundation") || providerIdentityArn(environment, "foundation")
      ? []
      : [
          {
            path: `environments[${index}].cluster.access.terraformRoleArn`,
            message:
              "is required when the environment has no assumeRoleArn: the cluster-admin access entry would go to whoever runs Terraform, which changes with the operator (a second operator's plan replaces it and Helm gets 401) and can collide with a configured principal (EKS refuses two entries: 409)",
            fix: "set cluster.access.terraformRoleArn to the IAM role you run Terraform as (its role ARN, with its path: `aws sts get-caller-identity` shows the assumed-role session), or set assumeRoleArn",
          },
        ],
  );
}

/** The plan's add-ons with their `values` escaped like the environment they came from. */
function escapeAddonPlan(plan: AddonPlan): AddonPlan {
  return { ...plan, addons: plan.addons.map((addon) => ({ ...addon, userValues: escapeTemplates(addon.userValues) })) };
}

/** A waiver must name a rule of the built-in pack: a typo would otherwise waive nothing, silently. */
function waiverRuleIssues(environments: ReadonlyArray<EnvironmentConfig>): ConfigIssue[] {
  return environments.flatMap((environment, index) =>
    environment.policy.waivers.flatMap((waiver, waiverIndex): ConfigIssue[] => {
      if (policyRule(waiver.rule)) return [];
      const suggestion = closest(waiver.rule, POLICY_RULE_IDS);
      return [
        {
          path: `environments[${index}].policy.waivers[${waiverIndex}].rule`,
          message: "unknown policy rule",
          value: waiver.rule,
          allowed: "a rule id of the built-in policy pack (docs/policy.md)",
          fix: suggestion ? `did you mean ${suggestion}?` : "copy the rule id from the synth error or docs/policy.md",
        },
      ];
    }),
  );
}

/**
 * What each plan was made from: the input (so planning a validated config with another catalog starts from the
 * user's text) and the validated config handed out for it. A validated config is the user's text, unescaped and
 * deep-frozen; its plan is the escaped form. Only that very object is taken with its plan (`planOf`): a copy of
 * it (spread, JSON round trip, a deep copy), changed or not, is plain data again, so it is validated and
 * escaped once more from the user's own text, never escaped twice.
 */
const made = new WeakMap<PlatformPlan, { readonly raw: unknown; readonly config: PlatformConfig }>();
const plans = new WeakMap<object, PlatformPlan>();

function rawOf(input: unknown): unknown {
  const plan = planOf(input);
  return plan ? made.get(plan)?.raw : undefined;
}

/** The validated config of a plan; the same object every time, so `validateConfig(config)` returns `config`. */
function configOf(plan: PlatformPlan): PlatformConfig {
  return made.get(plan)!.config;
}

/** The plan a config from `validateConfig`/`loadConfigFile` was made with, if it is that very (frozen) object. */
export function planOf(config: unknown): PlatformPlan | undefined {
  return typeof config === "object" && config !== null ? plans.get(config) : undefined;
}

/** Whether `plan` was made by `planPlatform` (and is unchanged: plans are deep-frozen). */
export function isPlatformPlan(plan: unknown): plan is PlatformPlan {
  return typeof plan === "object" && plan !== null && made.has(plan as PlatformPlan);
}

/**
 * Freezes plain data all the way down (objects and arrays): mutating a validated config or its plan throws in
 * strict mode instead of reaching Terraform unchecked. Catalog entries and other class-made or shared objects
 * (add-on definitions) are left alone.
 */
function deepFreeze<T>(value: T): T {
  if (Array.isArray(value) || isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value as object))
      if (key !== "catalog" && key !== "definition") deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Validates an in-memory config (as a library user builds one); throws every problem at once. */
export function validateConfig(
  raw: unknown,
  source?: string,
  options: Omit<PlanOptions, "source"> = {},
): PlatformConfig {
  return configOf(planPlatform(raw, { ...options, source }));
}

/** Reads and validates a config file (YAML, or JSON when it ends in .json). */
export function loadConfigFile(path: string, options: Omit<PlanOptions, "source"> = {}): PlatformConfig {
  return validateConfig(readConfigFile(path), path, options);
}

/** Parses and validates config text; the format follows the file name's extension. */
export function parseConfigText(
  text: string,
  fileName = "config.yaml",
  options: Omit<PlanOptions, "source"> = {},
): PlatformConfig {
  return validateConfig(parseConfigData(text, fileName), fileName, options);
}
