import { existsSync, readFileSync } from "node:fs";
import { extname } from "node:path";
import { parseDocument } from "yaml";
import { IssueCollector, PlatformConfigError, type ConfigIssue } from "../errors";
import { deepMerge, hasPath, isPlainObject } from "../merge";
import { environmentSchema, platformConfigSchema, type EnvironmentConfig, type PlatformConfig } from "./schema";
import { toConfigIssues } from "./zod-issues";
import { semanticIssues } from "./semantics";

/** Reads a platform config file (YAML or JSON by extension) and validates it; throws every problem at once. */
export function loadConfigFile(path: string): PlatformConfig {
  if (!existsSync(path)) {
    throw new PlatformConfigError([{ path: "<file>", message: `config file not found: ${path}`, fix: "set PLATFORM_CONFIG to an existing .yaml, .yml or .json file" }], path);
  }
  return parseConfigText(readFileSync(path, "utf8"), path);
}

/** Parses config text; the format follows the file name's extension (YAML unless `.json`). */
export function parseConfigText(text: string, fileName = "config.yaml"): PlatformConfig {
  if (text.trim() === "") {
    throw new PlatformConfigError([{ path: "<file>", message: "the config file is empty", fix: "start from config/example.yaml" }], fileName);
  }
  const extension = extname(fileName).toLowerCase();
  let raw: unknown;
  if (extension === ".json") {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new PlatformConfigError([{ path: "<file>", message: `malformed JSON: ${(error as Error).message}` }], fileName);
    }
  } else if (extension === ".yaml" || extension === ".yml") {
    const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    if (document.errors.length > 0) {
      throw new PlatformConfigError(
        document.errors.map((error) => ({
          path: `<file> line ${error.linePos?.[0].line ?? "?"}, column ${error.linePos?.[0].col ?? "?"}`,
          message: `malformed YAML: ${error.message.split("\n")[0]}`,
        })),
        fileName,
      );
    }
    raw = document.toJS();
  } else {
    throw new PlatformConfigError([{ path: "<file>", message: `unsupported config file type '${extension || "(none)"}'`, allowed: ".yaml, .yml, .json" }], fileName);
  }
  return validateConfig(raw, fileName);
}

/** Validates an in-memory config (as a library user builds one); throws every problem at once. */
export function validateConfig(raw: unknown, source = "the platform config"): PlatformConfig {
  const issues = new IssueCollector();
  if (!isPlainObject(raw)) {
    issues.add({ path: "<root>", message: "the config must be a mapping with an `environments` list", value: raw });
    issues.throwIfAny(source);
  }
  const top = platformConfigSchema.safeParse(raw, { reportInput: true });
  if (!top.success) {
    issues.addAll(toConfigIssues(top.error.issues, platformConfigSchema, [], raw));
    issues.throwIfAny(source);
  }
  const { defaults = {}, environments: rawEnvironments } = platformConfigSchema.parse(raw);
  const environments: EnvironmentConfig[] = [];
  rawEnvironments.forEach((rawEnvironment, index) => {
    if (!isPlainObject(rawEnvironment)) {
      issues.add({ path: `environments[${index}]`, message: "must be a mapping", value: rawEnvironment });
      return;
    }
    const merged = deepMerge(defaults, rawEnvironment);
    const parsed = environmentSchema.safeParse(merged, { reportInput: true });
    if (parsed.success) environments.push(parsed.data);
    else issues.addAll(attributeToDefaults(toConfigIssues(parsed.error.issues, environmentSchema, [], merged), rawEnvironment, defaults, index));
  });
  issues.throwIfAny(source);
  issues.addAll(semanticIssues(environments));
  issues.throwIfAny(source);
  const config: PlatformConfig = { environments };
  Object.defineProperty(config, VALIDATED, { value: true });
  return config;
}

const VALIDATED = Symbol.for("cdktf-eks-platform.validated-config");

/** True for configs returned by `validateConfig`/`loadConfigFile`, which need no second validation. */
export function isValidatedConfig(config: unknown): config is PlatformConfig {
  return typeof config === "object" && config !== null && VALIDATED in config;
}

/**
 * A mistake inherited from `defaults` is reported where it is written (`defaults.cluster.foo`), not as if it
 * were in each environment; everything else gets the `environments[i]` prefix.
 */
function attributeToDefaults(issues: ConfigIssue[], environment: Record<string, unknown>, defaults: Record<string, unknown>, index: number): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.flatMap((issue) => {
    const segments = splitPath(issue.path);
    const fromDefaults = segments.length > 0 && !hasPath(environment, segments) && hasPath(defaults, segments);
    const local = issue.path === "<root>" ? "" : issue.path.startsWith("[") ? issue.path : `.${issue.path}`;
    const path = fromDefaults ? `defaults${local}` : `environments[${index}]${local}`;
    if (fromDefaults && seen.has(path)) return [];
    seen.add(path);
    return [{ ...issue, path: fromDefaults ? `${path} (inherited by environments[${index}])` : path }];
  });
}

function splitPath(path: string): PropertyKey[] {
  const segments: PropertyKey[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["([^"]+)"\]/g)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(match[3] ?? match[1]);
  }
  return segments;
}
