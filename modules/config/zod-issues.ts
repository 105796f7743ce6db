import type { ZodType, core } from "zod";
import { closest, formatPath, type ConfigIssue } from "../errors";

/**
 * Turns zod's issues into the platform's `ConfigIssue`s: the full config path, the value found and what is
 * allowed (for unknown keys, the keys that exist at that place, with a "did you mean").
 */
export function toConfigIssues(
  issues: ReadonlyArray<core.$ZodIssue>,
  schema: ZodType,
  prefix: ReadonlyArray<PropertyKey>,
  input: unknown,
): ConfigIssue[] {
  return issues.flatMap((issue) => convert(issue, schema, prefix, input));
}

function convert(
  issue: core.$ZodIssue,
  schema: ZodType,
  prefix: ReadonlyArray<PropertyKey>,
  input: unknown,
): ConfigIssue[] {
  const path = [...prefix, ...issue.path];
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowedKeys = keysAt(schema, issue.path);
      return issue.keys.map((key) => {
        const suggestion = closest(key, allowedKeys);
        return {
          path: formatPath([...path, key]),
          message: "is not a known setting",
          allowed: allowedKeys.length ? allowedKeys.join(", ") : undefined,
          fix: suggestion ? `did you mean '${suggestion}'?` : "remove it",
        };
      });
    }
    case "invalid_type": {
      const found = valueAt(input, issue.path);
      const expected = withArticle(issue.expected);
      if (found === undefined) return [{ path: formatPath(path), message: "is required", allowed: expected }];
      return [
        {
          path: formatPath(path),
          message: `must be ${expected}`,
          value: found,
          fix: issue.expected === "string" && typeof found === "number" ? QUOTE_IT : undefined,
        },
      ];
    }
    case "invalid_value": {
      const found = valueAt(input, issue.path);
      // YAML reads `kubernetesVersion: 1.30` as the number 1.3: say so instead of listing what looks identical.
      const unquoted = typeof found === "number" && issue.values.every((allowed) => typeof allowed === "string");
      return [
        {
          path: formatPath(path),
          message: "is not one of the allowed values",
          value: found,
          allowed: issue.values.map((v) => JSON.stringify(v)).join(", "),
          fix: unquoted ? QUOTE_IT : undefined,
        },
      ];
    }
    case "invalid_union": {
      const note = (issue as { note?: string }).note;
      // A discriminated union reports an unknown `type` at the discriminator itself; the options live one level up.
      const allowed =
        unionAllowed(schema, issue.path) ?? unionAllowed(schema, issue.path.slice(0, -1), issue.path.at(-1));
      const message =
        note === "No matching discriminator" ? "is not one of the allowed values" : (note ?? issue.message);
      return [{ path: formatPath(path), message, value: valueAt(input, issue.path), allowed }];
    }
    case "invalid_key": {
      // A record key failed its own schema (a reserved tag prefix ...): say what is wrong with the key itself.
      const inner = issue.issues[0];
      const converted = inner ? convert(inner, schema, [], issue.path.at(-1))[0] : undefined;
      return [
        {
          path: formatPath(path),
          message: `key ${converted?.message ?? inner?.message ?? "is not allowed"}`,
          value: issue.path.at(-1),
          ...(converted?.fix ? { fix: converted.fix } : {}),
        },
      ];
    }
    case "too_small":
    case "too_big":
      return [
        {
          path: formatPath(path),
          message: issue.message.replace(/^Too (small|big): expected \w+ to /, "must "),
          value: valueAt(input, issue.path),
        },
      ];
    default: {
      // A refinement can name its fix (`params: { fix }`), e.g. the canonical form of a CIDR.
      const fix = issue.code === "custom" && typeof issue.params?.fix === "string" ? issue.params.fix : undefined;
      return [
        { path: formatPath(path), message: issue.message, value: valueAt(input, issue.path), ...(fix ? { fix } : {}) },
      ];
    }
  }
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export type AnyDef = {
  type: string;
  innerType?: ZodType;
  element?: ZodType;
  options?: ZodType[];
  shape?: Record<string, ZodType>;
  in?: ZodType;
  valueType?: ZodType;
  discriminator?: string;
};

export function defOf(schema: ZodType): AnyDef {
  return (schema as unknown as { _zod: { def: AnyDef } })._zod.def;
}

/** Unwraps optional/default/prefault/pipe wrappers down to the schema that does the work. */
export function unwrap(schema: ZodType): ZodType {
  let current = schema;
  for (let def = defOf(current); ; def = defOf(current)) {
    if (def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

/** The schemas found at `path`: several where a union could apply. */
function schemasAt(schema: ZodType, path: ReadonlyArray<PropertyKey>): ZodType[] {
  let current = [unwrap(schema)];
  for (const key of path) {
    current = current.flatMap((candidate) => {
      const def = defOf(candidate);
      if (def.type === "object" && def.shape && typeof key === "string" && Object.hasOwn(def.shape, key))
        return [unwrap(def.shape[key])];
      if (def.type === "array" && def.element) return [unwrap(def.element)];
      if (def.type === "record" && def.valueType) return [unwrap(def.valueType)];
      if (def.type === "union" && def.options)
        return def.options.map(unwrap).flatMap((option) => schemasAt(option, [key]));
      return [];
    });
  }
  return current.flatMap((candidate) => {
    const def = defOf(candidate);
    return def.type === "union" && def.options ? def.options.map(unwrap) : [candidate];
  });
}

function keysAt(schema: ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  const keys = new Set<string>();
  for (const candidate of schemasAt(schema, path)) {
    const def = defOf(candidate);
    if (def.type === "object" && def.shape) Object.keys(def.shape).forEach((key) => keys.add(key));
  }
  return [...keys];
}

const QUOTE_IT = "quote it in YAML: unquoted digits are read as a number (1.30 becomes 1.3, 012... loses its zero)";

function withArticle(expected: string): string {
  return `${/^[aeiou]/.test(expected) ? "an" : "a"} ${expected}`;
}

/** The discriminator values of the union at `path`, e.g. `type: "local" | "s3"` (without the `type:` when asked at it). */
function unionAllowed(
  schema: ZodType,
  path: ReadonlyArray<PropertyKey>,
  atDiscriminator?: PropertyKey,
): string | undefined {
  const discriminatorKey = typeof atDiscriminator === "string" ? atDiscriminator : "type";
  const options = schemasAt(schema, path);
  const discriminated = options
    .map((option) => defOf(option).shape?.[discriminatorKey])
    .filter((typeSchema): typeSchema is ZodType => typeSchema !== undefined)
    .map((typeSchema) => (defOf(typeSchema) as { values?: unknown[] }).values?.[0])
    .filter((value) => value !== undefined);
  if (!discriminated.length) return undefined;
  const values = discriminated.map((v) => JSON.stringify(v)).join(", ");
  return atDiscriminator === undefined ? `${discriminatorKey}: ${values}` : values;
}
