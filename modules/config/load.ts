import { formatPath, IssueCollector, type ConfigIssue } from "../errors";
import { deepMerge, hasPath, isPlainObject } from "../merge";
import type { ZodType } from "zod";
import { platformConfigSchema, type EnvironmentConfig, type TerraformCloudConfig } from "./schema";
import { parseConfigSource, readConfigText } from "./read-file";
import { toConfigIssues } from "./zod-issues";
import { defaultsIssues, overlaps } from "./defaults-check";

/**
 * Reading and schema validation of the config. The catalog-dependent steps (add-on resolution, rules across
 * fields) belong to the platform plan (`modules/plan.ts`), which calls these: config knows no add-on.
 */

/** Reads a platform config file (YAML or JSON by extension) into plain data; throws a PlatformConfigError naming the file. */
export function readConfigFile(path: string): unknown {
  // read-file.ts refuses what must not be read (FIFOs, devices, directories, huge files) before reading it.
  return parseConfigData(readConfigText(path), path);
}

/** Parses config text into plain data; the format follows the file name's extension (YAML unless `.json`). */
export function parseConfigData(text: string, fileName = "config.yaml"): unknown {
  // Bounded parsing (depth, aliases, duplicate keys with their line): see read-file.ts, parse-yaml.ts, parse-json.ts.
  return parseConfigSource(text, fileName);
}

/** Schema-valid environments (defaults merged in), and how to attribute later issues to where they are written. */
export interface ParsedEnvironments {
  readonly environments: ReadonlyArray<EnvironmentConfig>;
  /** The top-level settings of the terraform-cloud stack, when given. */
  readonly terraformCloud?: TerraformCloudConfig;
  /** Reports an issue inherited from `defaults` once, at `defaults.<path>` (see `attributeToDefaults`). */
  readonly attribute: (issues: ReadonlyArray<ConfigIssue>) => ConfigIssue[];
}

/** Validates the file's shape and every environment against `environmentSchema`; throws every problem at once. */
export function parseEnvironments(
  raw: unknown,
  environmentSchema: ZodType<EnvironmentConfig>,
  source = "the platform config",
): ParsedEnvironments {
  const issues = new IssueCollector();
  if (!isPlainObject(raw)) {
    issues.add({ path: "<root>", message: "the config must be a mapping with an `environments` list", value: raw });
    issues.throwIfAny(source);
  }
  // A key named `__proto__` would set a merged object's prototype (and zod reads inherited properties):
  // refused wherever it appears, before anything is merged.
  issues.addAll(prototypeKeyIssues(raw, []));
  issues.throwIfAny(source);
  const top = platformConfigSchema.safeParse(raw, { reportInput: true });
  if (!top.success) {
    issues.addAll(toConfigIssues(top.error.issues, platformConfigSchema, [], raw));
    issues.throwIfAny(source);
  }
  const { defaults = {}, environments: rawEnvironments, terraformCloud } = platformConfigSchema.parse(raw);
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
    else
      environmentIssues.push(
        ...toConfigIssues(parsed.error.issues, environmentSchema, [`environments`, index], merged),
      );
  });
  const inherited = attributeToDefaults(environmentIssues, rawEnvironments, defaults);
  // A default no environment inherits (each overrides it) is checked on its own: a mistake there is still one.
  const ownDefaults = defaultsIssues(defaults, environmentSchema).filter(
    (issue) => !inherited.some((other) => overlaps(other.path, issue.path)),
  );
  issues.addAll([...inherited, ...ownDefaults]);
  issues.throwIfAny(source);
  return { environments, terraformCloud, attribute: (later) => attributeToDefaults(later, rawEnvironments, defaults) };
}

/**
 * A mistake inherited from `defaults` is reported once, where it is written (`defaults.cluster.foo`), naming the
 * environments that inherit it, not once per environment as if each had written it. Applies to schema and
 * semantic issues alike; everything else keeps its `environments[i]` path.
 */
function attributeToDefaults(
  issues: ReadonlyArray<ConfigIssue>,
  rawEnvironments: ReadonlyArray<unknown>,
  defaults: Record<string, unknown>,
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const inherited = new Map<string, { at: number; issue: ConfigIssue; environments: string[] }>();
  for (const issue of issues) {
    const match = /^environments\[(\d+)\]\.?(.*)$/.exec(issue.path);
    const segments = match ? splitPath(match[2]) : [];
    const fromDefaults =
      match !== null &&
      segments.length > 0 &&
      !hasPath(rawEnvironments[Number(match[1])], segments) &&
      hasPath(defaults, segments);
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

/** Every `__proto__` key in the document, by config path. */
function prototypeKeyIssues(value: unknown, path: ReadonlyArray<string | number>): ConfigIssue[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => prototypeKeyIssues(item, [...path, index]));
  if (typeof value !== "object" || value === null) return [];
  return Object.keys(value).flatMap((key) =>
    key === "__proto__"
      ? [
          {
            path: formatPath([...path, key]),
            message: "is not a setting: `__proto__` would change what the config's objects inherit",
            fix: "remove it",
          },
        ]
      : prototypeKeyIssues((value as Record<string, unknown>)[key], [...path, key]),
  );
}
