import { closest, PlatformConfigError, type ConfigIssue } from "./errors";
import type { EnvironmentPlan, PlatformPlan } from "./plan";

/**
 * One environment at a time: `PLATFORM_ENVIRONMENTS=prod,stage` builds only those environments' stacks. The whole
 * file is still validated first (the plan), so a mistake in another environment is never hidden; only the
 * construct tree, which is most of a synth's time and memory, shrinks to the environments named.
 */

export const ENVIRONMENTS_VARIABLE = "PLATFORM_ENVIRONMENTS";

/** Known names listed in the error, at most (a config may hold hundreds). */
const LISTED_NAMES = 30;

/**
 * The names in a `PLATFORM_ENVIRONMENTS` value (comma-separated, spaces ignored, duplicates dropped), or
 * `undefined` (every environment) when it is unset or blank.
 */
export function environmentNamesFrom(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  return [
    ...new Set(
      value
        .split(",")
        .map((name) => name.trim())
        .filter((name) => name !== ""),
    ),
  ];
}

/**
 * The planned environments named in `names`, in config order; every environment when `names` is undefined.
 * An unknown name (or a value naming none) is a `PlatformConfigError` listing the known names.
 */
export function selectEnvironments(
  plan: PlatformPlan,
  names: ReadonlyArray<string> | undefined,
  source?: string,
): ReadonlyArray<EnvironmentPlan> {
  if (names === undefined) return plan.environments;
  const known = plan.environments.map((entry) => entry.environment.name);
  const listed =
    known.length > LISTED_NAMES
      ? `${known.slice(0, LISTED_NAMES).join(", ")}, ... (${known.length} in all)`
      : known.join(", ");
  const issues: ConfigIssue[] = names
    .filter((name) => !known.includes(name))
    .map((name) => {
      const suggestion = closest(name, known);
      return {
        path: ENVIRONMENTS_VARIABLE,
        message: `names an environment the config does not have: '${name}'`,
        allowed: listed,
        fix: suggestion ? `did you mean '${suggestion}'?` : "use the environments' `name`s, comma-separated",
      };
    });
  if (names.length === 0)
    issues.push({
      path: ENVIRONMENTS_VARIABLE,
      message: "names no environment",
      allowed: listed,
      fix: "unset it to build every environment",
    });
  if (issues.length > 0) throw new PlatformConfigError(issues, source);
  return plan.environments.filter((entry) => names.includes(entry.environment.name));
}
