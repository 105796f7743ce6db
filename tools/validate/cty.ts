import { hasInterpolation, isObject, isPureInterpolation } from "../../modules/terraform-json";
import { describeJsonType, joinPath } from "./json";

/**
 * Checks a literal JSON value against a Terraform (cty) type as `terraform providers schema -json` writes it:
 * `"string"`, `"number"`, `"bool"`, `"dynamic"`, `["list", T]`, `["set", T]`, `["map", T]`,
 * `["object", {attr: T}, [optional attrs]?]`, `["tuple", [T...]]`. Follows Terraform's own conversions:
 * numbers and bools convert to strings, `"true"`/`"false"` to bool, numeric strings to number.
 */

/** Appends `path: problem` strings for every mismatch. */
export function checkCtyValue(type: unknown, value: unknown, path: string, problems: string[]): void {
  if (value === null || value === undefined || type === "dynamic") return;
  if (typeof value === "string" && hasInterpolation(value)) {
    // A template with text around an expression always yields a string; a bare expression can be anything.
    if (isPureInterpolation(value) || type === "string" || type === "number" || type === "bool") return;
    problems.push(`${label(path)}expected ${typeName(type)}, got a string template ${JSON.stringify(value)}`);
    return;
  }
  if (typeof type === "string") {
    checkPrimitive(type, value, path, problems);
    return;
  }
  if (!Array.isArray(type) || typeof type[0] !== "string") return;
  const [kind, element, optional] = type as [string, unknown, unknown];
  switch (kind) {
    case "list":
    case "set":
      if (!Array.isArray(value))
        return void problems.push(`${label(path)}expected ${typeName(type)}, got ${describeJsonType(value)}`);
      value.forEach((item, index) => checkCtyValue(element, item, joinPath(path, index), problems));
      return;
    case "map":
      if (!isObject(value))
        return void problems.push(`${label(path)}expected ${typeName(type)}, got ${describeJsonType(value)}`);
      for (const [key, item] of Object.entries(value)) checkCtyValue(element, item, joinPath(path, key), problems);
      return;
    case "object": {
      if (!isObject(value))
        return void problems.push(`${label(path)}expected ${typeName(type)}, got ${describeJsonType(value)}`);
      const attributes = isObject(element) ? element : {};
      const optionalNames = new Set(
        Array.isArray(optional) ? optional.filter((o): o is string => typeof o === "string") : [],
      );
      for (const [key, item] of Object.entries(value)) {
        if (!(key in attributes))
          problems.push(
            `${label(joinPath(path, key))}unexpected attribute (object has ${Object.keys(attributes).join(", ") || "no attributes"})`,
          );
        else checkCtyValue(attributes[key], item, joinPath(path, key), problems);
      }
      for (const key of Object.keys(attributes)) {
        // Terraform requires every non-optional object attribute to be present, if only as null.
        if (!(key in value) && !optionalNames.has(key))
          problems.push(
            `${label(joinPath(path, key))}attribute required by the object type is missing (set it to null if unused)`,
          );
      }
      return;
    }
    case "tuple": {
      const elements = Array.isArray(element) ? element : [];
      if (!Array.isArray(value) || value.length !== elements.length) {
        return void problems.push(
          `${label(path)}expected a tuple of ${elements.length} element(s), got ${describeJsonType(value)}`,
        );
      }
      value.forEach((item, index) => checkCtyValue(elements[index], item, joinPath(path, index), problems));
      return;
    }
    default:
      return;
  }
}

function checkPrimitive(type: string, value: unknown, path: string, problems: string[]): void {
  const ok =
    type === "string"
      ? typeof value === "string" || typeof value === "number" || typeof value === "boolean"
      : type === "number"
        ? typeof value === "number" ||
          (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
        : type === "bool"
          ? typeof value === "boolean" || value === "true" || value === "false"
          : true;
  if (!ok) problems.push(`${label(path)}expected ${type}, got ${describeJsonType(value)}`);
}

function label(path: string): string {
  return path ? `${path}: ` : "";
}

export function typeName(type: unknown): string {
  if (typeof type === "string") return type;
  if (!Array.isArray(type)) return "unknown type";
  const [kind, element] = type as [unknown, unknown];
  if (kind === "object") return "object";
  if (kind === "tuple") return "tuple";
  return `${String(kind)}(${typeName(element)})`;
}
