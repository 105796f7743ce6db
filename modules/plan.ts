import { ADDONS } from "./addons/catalog";
import { parseConfigData, parseEnvironments, readConfigFile } from "./config/load";
import { environmentSchemaFor, type EnvironmentConfig, type PlatformConfig } from "./config/schema";
import { semanticIssues } from "./config/semantics";
import { resolveAddons, type AddonPlan } from "./engine/resolve";
import type { AddonDefinition } from "./engine/types";
import { closest, IssueCollector, type ConfigIssue } from "./errors";
import { enabledLayers, type Layer } from "./layers";
import { policyRule, POLICY_RULE_IDS } from "./policy/registry";

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
  const parsed = parseEnvironments(input, environmentSchemaFor(catalog.map((addon) => addon.name)), source);
  const addonPlans = parsed.environments.map((environment) => resolveAddons(environment, catalog));
  const issues = new IssueCollector();
  issues.addAll(parsed.attribute([...semanticIssues(parsed.environments, addonPlans), ...waiverRuleIssues(parsed.environments)]));
  issues.throwIfAny(source);
  return {
    catalog,
    environments: parsed.environments.map((environment, index) => ({ environment, addons: addonPlans[index], layers: enabledLayers(environment.layers) })),
  };
}

/** A waiver must name a rule of the built-in pack: a typo would otherwise waive nothing, silently. */
function waiverRuleIssues(environments: ReadonlyArray<EnvironmentConfig>): ConfigIssue[] {
  return environments.flatMap((environment, index) => environment.policy.waivers.flatMap((waiver, waiverIndex): ConfigIssue[] => {
    if (policyRule(waiver.rule)) return [];
    const suggestion = closest(waiver.rule, POLICY_RULE_IDS);
    return [{ path: `environments[${index}].policy.waivers[${waiverIndex}].rule`, message: "unknown policy rule", value: waiver.rule, allowed: "a rule id of the built-in policy pack (docs/policy.md)", fix: suggestion ? `did you mean ${suggestion}?` : "copy the rule id from the synth error or docs/policy.md" }];
  }));
}

const PLAN = Symbol.for("cdktf-eks-platform.plan");

/** A validated config carries its plan, so `new Platform(app, { config })` does not validate or resolve again. */
function configOf(plan: PlatformPlan): PlatformConfig {
  const config: PlatformConfig = { environments: plan.environments.map((environment) => environment.environment) };
  Object.defineProperty(config, PLAN, { value: plan });
  return config;
}

/** The plan a config from `validateConfig`/`loadConfigFile` was made with, if it is one. */
export function planOf(config: unknown): PlatformPlan | undefined {
  return typeof config === "object" && config !== null && PLAN in config ? (config as { [PLAN]: PlatformPlan })[PLAN] : undefined;
}

/** Validates an in-memory config (as a library user builds one); throws every problem at once. */
export function validateConfig(raw: unknown, source?: string, options: Omit<PlanOptions, "source"> = {}): PlatformConfig {
  return configOf(planPlatform(raw, { ...options, source }));
}

/** Reads and validates a config file (YAML, or JSON when it ends in .json). */
export function loadConfigFile(path: string, options: Omit<PlanOptions, "source"> = {}): PlatformConfig {
  return validateConfig(readConfigFile(path), path, options);
}

/** Parses and validates config text; the format follows the file name's extension. */
export function parseConfigText(text: string, fileName = "config.yaml", options: Omit<PlanOptions, "source"> = {}): PlatformConfig {
  return validateConfig(parseConfigData(text, fileName), fileName, options);
}
