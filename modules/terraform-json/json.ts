/**
 * Narrowing helpers for parsed JSON: synthesized Terraform JSON, and documents embedded in it, are `unknown`
 * until a helper has looked at them.
 */

/** A JSON object as read: the helpers here never write to what they were given. */
export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A value Terraform JSON allows as "one or many": a single value is one element, an array is many. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The strings of a one-or-many value; anything else in it (an expression object, a number) is dropped. */
export function asStrings(value: unknown): string[] {
  return asList(value).filter((item): item is string => typeof item === "string");
}

/** Terraform JSON accepts a block as an object or a one-element list; cdktf emits both shapes. */
export function firstBlock(value: unknown): JsonObject | undefined {
  if (Array.isArray(value)) return isObject(value[0]) ? value[0] : undefined;
  return isObject(value) ? value : undefined;
}
