import { parseDocuments } from "./documents";
import { asList, asObject, asString, isObject, type JsonObject } from "./json";
import type { ResourceBlock } from "./blocks";

/**
 * The values a `helm_release` hands Helm, computed the way Helm does: `values` documents (JSON, or YAML read as
 * YAML 1.1 like Helm) coalesced in order (maps merge deeply, anything else is replaced, null deletes), then
 * `set`, `set_list` and `set_sensitive` entries applied on top with `--set` typing. Chart defaults are not known
 * offline and are not merged. Shared by the policy pack (modules/policy/values.ts) and the validator.
 */

export interface ReleaseValues {
  readonly values: JsonObject;
  /** `values[2]: not valid YAML: ...` */
  readonly problems: string[];
  /** Indexes of `values` entries that are expressions (`${jsonencode(...)}`): only known at apply. */
  readonly computed: number[];
}

export function releaseValues(release: Pick<ResourceBlock, "body">): ReleaseValues {
  // Many policy rules and validators read the same release: computed once per distinct input, never per caller.
  const { values, set, set_sensitive, set_list } = release.body;
  const key = JSON.stringify([values, set, set_sensitive, set_list]) ?? "";
  const known = computedValues.get(key);
  if (known) return known;
  const computed = deepFreeze(computeReleaseValues(release));
  if (computedValues.size >= 256) computedValues.delete(computedValues.keys().next().value as string);
  computedValues.set(key, computed);
  return computed;
}

/**
 * The last 256 distinct inputs' values, keyed by the inputs' own text (so a changed body never reads a stale
 * answer), frozen because every caller shares them.
 */
const computedValues = new Map<string, ReleaseValues>();

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function computeReleaseValues(release: Pick<ResourceBlock, "body">): ReleaseValues {
  let values: Values = {};
  const problems: string[] = [];
  const computed: number[] = [];
  asList(release.body.values).forEach((entry, index) => {
    if (typeof entry !== "string")
      return void problems.push(`values[${index}]: expected a string of YAML or JSON, got ${typeof entry}`);
    const parsed = parseDocuments(entry, { yaml: "1.1" });
    if (parsed.kind === "expression") return void computed.push(index);
    if (parsed.kind === "invalid")
      return void problems.push(`values[${index}]: not valid YAML or JSON: ${parsed.reason}`);
    for (const document of parsed.documents) {
      if (!isObject(document))
        return void problems.push(
          `values[${index}]: must be a map of values, got ${Array.isArray(document) ? "a list" : typeof document}`,
        );
      values = coalesce(values, document);
    }
  });
  for (const attribute of ["set", "set_sensitive"]) {
    for (const item of asList(release.body[attribute])) {
      const entry = asObject(item);
      const name = asString(entry?.name);
      if (!entry || !name) continue;
      // A copy of anything not a scalar: the result is frozen, the body is the caller's.
      const raw = typeof entry.value === "object" ? structuredClone(entry.value) : entry.value;
      const value = asString(entry.type) === "string" || typeof raw !== "string" ? raw : helmSetScalar(raw);
      setPath(values, name, value);
    }
  }
  for (const item of asList(release.body.set_list)) {
    const entry = asObject(item);
    const name = asString(entry?.name);
    if (entry && name && Array.isArray(entry.value)) setPath(values, name, structuredClone(entry.value));
  }
  return { values, problems, computed };
}

/** Values this module builds and writes to (the shared `JsonObject` is read-only). */
type Values = Record<string, unknown>;

const isValues = (value: unknown): value is Values => isObject(value);

/** Helm's coalescing of user values files: later wins; maps merge; `null` removes a key. */
export function coalesce(base: JsonObject, override: JsonObject): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else if (isObject(value) && isObject(out[key])) out[key] = coalesce(out[key] as JsonObject, value);
    else out[key] = value;
  }
  return out;
}

/**
 * `--set` typing (Helm's strvals): `true`, `false` and `null` in any case are not strings, nor are integers that
 * do not start with a zero (and `0` itself), unless `type = "string"`.
 */
export function helmSetScalar(raw: string): unknown {
  const lower = raw.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null") return null;
  if (/^(0|-?[1-9]\d*)$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  return raw;
}

/** Applies `a.b\.c[0].d` (Helm's `--set` path syntax: `\.` escapes a dot, `[n]` indexes a list). */
function setPath(root: Values, name: string, value: unknown): void {
  const segments: Array<string | number> = [];
  for (const part of name.split(/(?<!\\)\./)) {
    const match = /^(.*?)((?:\[\d+\])*)$/.exec(part.replace(/\\\./g, "."));
    if (!match) continue;
    if (match[1]) segments.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  let current: unknown = root;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const nextIsIndex = typeof segments[i + 1] === "number";
    if (typeof segment === "number" && Array.isArray(current)) {
      if (last) current[segment] = value;
      else current = current[segment] ??= nextIsIndex ? [] : {};
    } else if (typeof segment === "string" && isValues(current)) {
      if (last) current[segment] = value;
      else
        current = current[segment] =
          isObject(current[segment]) || Array.isArray(current[segment]) ? current[segment] : nextIsIndex ? [] : {};
    }
  });
}
