/**
 * Deep merge used everywhere values are layered: config `defaults` under environments, and add-on values in the
 * documented order engine-computed < add-on defaults < environment overrides. Objects merge key by key; arrays
 * and scalars from the later layer replace the earlier one (merging lists by index surprises everyone).
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

export function deepMerge<T extends Record<string, unknown>>(
  ...layers: ReadonlyArray<Record<string, unknown> | undefined>
): T {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      const existing = out[key];
      out[key] = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
    }
  }
  return out as T;
}

export function hasPath(value: unknown, path: ReadonlyArray<PropertyKey>): boolean {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== "object" || !(key in (current as object))) return false;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return true;
}

/** Builds a nested object holding `leaf` at `path`. */
export function atPath(path: ReadonlyArray<string>, leaf: unknown): Record<string, unknown> {
  return path.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), leaf as Record<string, unknown>);
}
