import { isObject } from "../../modules/terraform-json";

/**
 * How findings show values and where they are: dotted paths as Terraform and Helm users read them, JSON
 * pointers (Ajv's) turned into such paths. Narrowing parsed JSON is the shared module's (modules/terraform-json).
 */

/** Short rendering of a value for a message. */
export function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${show(value)}`;
}

/** Appends a key or index to a dotted path the way Terraform and Helm users read them. */
export function joinPath(path: string, segment: string | number): string {
  if (typeof segment === "number") return `${path}[${segment}]`;
  if (!/^[A-Za-z_][\w-]*$/.test(segment)) return `${path}[${JSON.stringify(segment)}]`;
  return path ? `${path}.${segment}` : segment;
}

/** Value at an RFC 6901 JSON pointer (Ajv's `instancePath`), or undefined. */
export function valueAtPointer(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(current)) current = current[Number(key)];
    else if (isObject(current)) current = current[key];
    else return undefined;
  }
  return current;
}

/** JSON pointer to the dotted path used in messages: `/spec/template/0/name` -> `spec.template[0].name`. */
export function pointerToPath(pointer: string, root: unknown): string {
  if (pointer === "") return "";
  let path = "";
  let current: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(current)) {
      path = joinPath(path, Number(key));
      current = current[Number(key)];
    } else {
      path = joinPath(path, key);
      current = isObject(current) ? current[key] : undefined;
    }
  }
  return path;
}
