import { hasInterpolation, isObject, type JsonObject } from "../../modules/terraform-json";
import { describeJsonType, joinPath } from "./json";

/**
 * Validates a value against a Kubernetes structural schema (a CRD's `openAPIV3Schema`), walking the value
 * rather than compiling the schema: a 700 KB CRD such as ClusterSecretStore costs only the branches an
 * object uses. Semantics follow the API server: `nullable` admits null, `x-kubernetes-int-or-string` admits
 * both, objects with declared `properties` reject unknown fields unless `x-kubernetes-preserve-unknown-fields`
 * (the server would prune them; `kubectl` strict field validation and `kubernetes_manifest` report them).
 * Not checked offline: `format`, CEL rules (`x-kubernetes-validations`), list-type uniqueness.
 * Strings holding Terraform interpolations are accepted wherever a value is expected.
 */
export function validateOpenApi(schema: JsonObject, value: unknown, path: string, problems: string[]): void {
  if (value === undefined || hasInterpolation(value)) return;
  // The API server prunes null from non-nullable fields before validating: harmless either way.
  if (value === null) return;
  const intOrString = schema["x-kubernetes-int-or-string"] === true;
  if (intOrString) {
    if (!(typeof value === "string" || Number.isInteger(value)))
      return void problems.push(`${at(path)}must be an integer or a string, got ${describeJsonType(value)}`);
  } else if (typeof schema.type === "string" && !hasType(schema.type, value)) {
    return void problems.push(`${at(path)}must be ${schema.type}, got ${describeJsonType(value)}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    problems.push(
      `${at(path)}must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value)}`,
    );
  }
  if (typeof value === "string") checkString(schema, value, path, problems);
  else if (typeof value === "number") checkNumber(schema, value, path, problems);
  else if (Array.isArray(value)) checkArray(schema, value, path, problems);
  else if (isObject(value)) checkObject(schema, value, path, problems);
  checkCombinators(schema, value, path, problems);
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    default:
      return true;
  }
}

const patterns = new Map<string, RegExp | undefined>();

function regExp(pattern: string): RegExp | undefined {
  if (!patterns.has(pattern)) {
    try {
      patterns.set(pattern, new RegExp(pattern));
    } catch {
      // RE2 syntax JavaScript does not know: not checkable offline, not the user's fault.
      patterns.set(pattern, undefined);
    }
  }
  return patterns.get(pattern);
}

function checkString(schema: JsonObject, value: string, path: string, problems: string[]): void {
  const pattern = typeof schema.pattern === "string" ? regExp(schema.pattern) : undefined;
  if (pattern && !pattern.test(value))
    problems.push(`${at(path)}${JSON.stringify(value)} does not match pattern ${schema.pattern as string}`);
  if (typeof schema.maxLength === "number" && [...value].length > schema.maxLength)
    problems.push(`${at(path)}longer than ${schema.maxLength} characters`);
  if (typeof schema.minLength === "number" && [...value].length < schema.minLength)
    problems.push(`${at(path)}shorter than ${schema.minLength} characters`);
}

function checkNumber(schema: JsonObject, value: number, path: string, problems: string[]): void {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = schema;
  if (typeof minimum === "number" && (exclusiveMinimum === true ? value <= minimum : value < minimum))
    problems.push(`${at(path)}must be ${exclusiveMinimum === true ? ">" : ">="} ${minimum}, got ${value}`);
  if (typeof maximum === "number" && (exclusiveMaximum === true ? value >= maximum : value > maximum))
    problems.push(`${at(path)}must be ${exclusiveMaximum === true ? "<" : "<="} ${maximum}, got ${value}`);
  if (typeof multipleOf === "number" && multipleOf > 0 && !Number.isInteger(value / multipleOf))
    problems.push(`${at(path)}must be a multiple of ${multipleOf}`);
}

function checkArray(schema: JsonObject, value: unknown[], path: string, problems: string[]): void {
  if (typeof schema.maxItems === "number" && value.length > schema.maxItems)
    problems.push(`${at(path)}at most ${schema.maxItems} item(s) allowed, got ${value.length}`);
  if (typeof schema.minItems === "number" && value.length < schema.minItems)
    problems.push(`${at(path)}at least ${schema.minItems} item(s) required, got ${value.length}`);
  if (isObject(schema.items))
    value.forEach((item, index) => validateOpenApi(schema.items as JsonObject, item, joinPath(path, index), problems));
}

function checkObject(schema: JsonObject, value: JsonObject, path: string, problems: string[]): void {
  const properties = isObject(schema.properties) ? schema.properties : undefined;
  for (const name of Array.isArray(schema.required) ? schema.required : []) {
    if (typeof name === "string" && value[name] === undefined)
      problems.push(`${at(joinPath(path, name))}missing required field`);
  }
  const additional = schema.additionalProperties;
  const preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"] === true;
  for (const [key, child] of Object.entries(value)) {
    const property = properties?.[key];
    if (isObject(property)) validateOpenApi(property, child, joinPath(path, key), problems);
    else if (isObject(additional)) validateOpenApi(additional, child, joinPath(path, key), problems);
    else if (additional === false || (properties && additional === undefined && !preserveUnknown)) {
      problems.push(`${at(joinPath(path, key))}unknown field${suggestField(key, Object.keys(properties ?? {}))}`);
    }
  }
  const count = Object.keys(value).length;
  if (typeof schema.maxProperties === "number" && count > schema.maxProperties)
    problems.push(`${at(path)}at most ${schema.maxProperties} field(s) allowed, got ${count}`);
  if (typeof schema.minProperties === "number" && count < schema.minProperties)
    problems.push(`${at(path)}at least ${schema.minProperties} field(s) required, got ${count}`);
}

function checkCombinators(schema: JsonObject, value: unknown, path: string, problems: string[]): void {
  const branches = (key: string): JsonObject[] =>
    Array.isArray(schema[key]) ? (schema[key] as unknown[]).filter(isObject) : [];
  for (const branch of branches("allOf")) validateOpenApi(branch, value, path, problems);
  const passes = (branch: JsonObject): boolean => {
    const scratch: string[] = [];
    validateOpenApi(branch, value, path, scratch);
    return scratch.length === 0;
  };
  const anyOf = branches("anyOf");
  if (anyOf.length > 0 && !anyOf.some(passes))
    problems.push(`${at(path)}matches none of the allowed alternatives (anyOf)`);
  const oneOf = branches("oneOf");
  if (oneOf.length > 0 && oneOf.filter(passes).length !== 1)
    problems.push(`${at(path)}must match exactly one alternative (oneOf)`);
  if (isObject(schema.not) && passes(schema.not))
    problems.push(`${at(path)}matches a combination the schema forbids (not)`);
}

function suggestField(key: string, known: ReadonlyArray<string>): string {
  const lower = key.toLowerCase();
  const near = known.find(
    (name) => name.toLowerCase() === lower || name.toLowerCase().replace(/s$/, "") === lower.replace(/s$/, ""),
  );
  return near ? ` (did you mean "${near}"?)` : "";
}

function at(path: string): string {
  return path ? `${path}: ` : "";
}
