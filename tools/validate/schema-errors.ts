import type { ErrorObject } from "ajv";
import { hasInterpolation } from "../../modules/terraform-json";
import { joinPath, pointerToPath, valueAtPointer } from "./json";

/**
 * Turns Ajv errors into one-line problems with dotted paths, dropping what is not a real problem offline:
 * errors about a value that is (or contains) a Terraform interpolation, whose value is only known at apply,
 * and the `if` wrapper errors that only repeat the `then` error beneath them.
 */
export function describeSchemaErrors(
  errors: ReadonlyArray<ErrorObject> | null | undefined,
  data: unknown,
  prefix: string,
): string[] {
  const problems = new Set<string>();
  for (const error of errors ?? []) {
    if (error.keyword === "if") continue;
    if (hasInterpolation(valueAtPointer(data, error.instancePath))) continue;
    let path = joinPrefix(prefix, pointerToPath(error.instancePath, data));
    // An unknown key is reported at the key itself, as the CRD check does.
    if (error.keyword === "additionalProperties")
      path = joinPath(path, String((error.params as Record<string, unknown>).additionalProperty));
    problems.add(`${path || "<root>"}: ${describe(error)}`);
  }
  return [...problems];
}

function joinPrefix(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`;
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return "unknown field (not in the chart's values schema)";
    case "required":
      return `missing required field "${String(params.missingProperty)}"`;
    case "enum":
      return `${error.message ?? "must be one of the allowed values"}: ${(Array.isArray(params.allowedValues) ? params.allowedValues : []).map((v) => JSON.stringify(v)).join(", ")}`;
    case "type":
      return `must be ${String(params.type)}`;
    default:
      return error.message ?? error.keyword;
  }
}
