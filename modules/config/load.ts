import { existsSync, readFileSync } from "node:fs";
import { extname } from "node:path";
import { LineCounter, parseDocument } from "yaml";
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
    // `linePos` is only filled in with prettyErrors (which also rewrites the message): count lines ourselves.
    const lines = new LineCounter();
    const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
    if (document.errors.length > 0) {
      throw new PlatformConfigError(
        document.errors.map((error) => {
          const { line, col } = lines.linePos(error.pos[0]);
          return { path: `<file> line ${line}, column ${col}`, message: `malformed YAML: ${error.message.split("\n")[0]}` };
        }),
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
  const environmentIssues: ConfigIssue[] = [];
  rawEnvironments.forEach((rawEnvironment, index) => {
    if (!isPlainObject(rawEnvironment)) {
      environmentIssues.push({ path: `environments[${index}]`, message: "must be a mapping", value: rawEnvironment });
      return;
    }
    const merged = deepMerge(defaults, rawEnvironment);
    const parsed = environmentSchema.safeParse(merged, { reportInput: true });
    if (parsed.success) environments.push(parsed.data);
    else environmentIssues.push(...toConfigIssues(parsed.error.issues, environmentSchema, [`environments`, index], merged));
  });
  issues.addAll(attributeToDefaults(environmentIssues, rawEnvironments, defaults));
  issues.throwIfAny(source);
  issues.addAll(attributeToDefaults(semanticIssues(environments), rawEnvironments, defaults));
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
 * A mistake inherited from `defaults` is reported once, where it is written (`defaults.cluster.foo`), naming the
 * environments that inherit it, not once per environment as if each had written it. Applies to schema and
 * semantic issues alike; everything else keeps its `environments[i]` path.
 */
function attributeToDefaults(issues: ReadonlyArray<ConfigIssue>, rawEnvironments: ReadonlyArray<unknown>, defaults: Record<string, unknown>): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const inherited = new Map<string, { at: number; issue: ConfigIssue; environments: string[] }>();
  for (const issue of issues) {
    const match = /^environments\[(\d+)\]\.?(.*)$/.exec(issue.path);
    const segments = match ? splitPath(match[2]) : [];
    const fromDefaults = match !== null && segments.length > 0 && !hasPath(rawEnvironments[Number(match[1])], segments) && hasPath(defaults, segments);
    if (!match || !fromDefaults) {
      out.push(issue);
      continue;
    }
    const path = `defaults${match[2].startsWith("[") ? "" : "."}${match[2]}`;
    const key = `${path}\u0000${issue.message}`;
    const seen = inherited.get(key);
    if (seen) seen.environments.push(`environments[${match[1]}]`);
    else {
      inherited.set(key, { at: out.length, issue: { ...issue, path }, environments: [`environments[${match[1]}]`] });
      out.push(issue);
    }
  }
  for (const { at, issue, environments } of inherited.values()) {
    out[at] = { ...issue, message: `${issue.message} (inherited by ${environments.join(", ")})` };
  }
  return out;
}

function splitPath(path: string): PropertyKey[] {
  const segments: PropertyKey[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["([^"]+)"\]/g)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(match[3] ?? match[1]);
  }
  return segments;
}
