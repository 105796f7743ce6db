import type { ZodType } from "zod";
import { formatPath, type ConfigIssue } from "../errors";
import { isPlainObject } from "../merge";
import { defOf, toConfigIssues, unwrap } from "./zod-issues";

/**
 * `defaults` is deep-merged under every environment, the environment winning, so the environment schema only ever
 * sees the defaults an environment does not override: `defaults.cluster: true` beside an environment's own
 * `cluster` block used to vanish. Each default is checked here on its own, whatever the environments hold:
 *   - where the environment has settings (a mapping: `cluster`, `tags`, `backend` ...), the default must be a
 *     mapping, and each key in it is checked the same way (an environment may give the rest);
 *   - anything else (a string, a number, a list) replaces the environment's value as a whole, so it must be a
 *     valid value as it stands.
 * Paths are `defaults.<key>...`; `parseEnvironments` drops an issue here when the merged environments already
 * report one at that path (inherited, with the environments named).
 */
export function defaultsIssues(defaults: Record<string, unknown>, environmentSchema: ZodType): ConfigIssue[] {
  return checkDefault(environmentSchema, defaults, ["defaults"]);
}

function checkDefault(schema: ZodType, value: unknown, path: ReadonlyArray<PropertyKey>): ConfigIssue[] {
  const field = unwrap(schema);
  const def = defOf(field);
  const mapping = def.type === "object" || def.type === "record" || (def.type === "union" && !!def.discriminator);
  if (!mapping) {
    const parsed = schema.safeParse(value, { reportInput: true });
    return parsed.success ? [] : toConfigIssues(parsed.error.issues, schema, path, value);
  }
  if (!isPlainObject(value)) return [{ path: formatPath(path), message: "must be an object", value }];
  if (def.type === "record" && def.valueType) {
    const valueType = def.valueType;
    return Object.entries(value).flatMap(([key, inner]) => checkDefault(valueType, inner, [...path, key]));
  }
  const options = def.type === "object" ? [field] : (def.options ?? []).map(unwrap);
  const discriminator = def.discriminator;
  const chosen =
    discriminator === undefined
      ? field
      : options.find((option) => literalOf(defOf(option).shape?.[discriminator]) === value[discriminator]);
  if (!chosen) {
    // The environment may name the variant; a variant name the default gives must be one of them.
    if (discriminator === undefined || value[discriminator] === undefined) return [];
    const parsed = field.safeParse(value, { reportInput: true });
    return parsed.success
      ? []
      : toConfigIssues(parsed.error.issues, field, path, value).filter(
          (issue) => issue.path === formatPath([...path, discriminator]),
        );
  }
  const shape = defOf(chosen).shape ?? {};
  // Own keys only: `__proto__` (or `constructor`) in a config is a key like any other, not Object.prototype.
  return Object.entries(value).flatMap(([key, inner]) =>
    Object.hasOwn(shape, key) ? checkDefault(shape[key], inner, [...path, key]) : [],
  );
}

function literalOf(schema: ZodType | undefined): unknown {
  return schema ? (defOf(unwrap(schema)) as { values?: unknown[] }).values?.[0] : undefined;
}

/** Whether two config paths are the same setting, or one is inside the other. */
export function overlaps(a: string, b: string): boolean {
  const inside = (inner: string, outer: string) =>
    inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return inside(a, b) || inside(b, a);
}
