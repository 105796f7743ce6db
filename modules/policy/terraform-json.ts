/**
 * Read-only helpers over one stack's synthesized Terraform JSON (what `stack.toTerraform()` returns and what
 * `cdk.tf.json` holds). Rules never see constructs: only this JSON, so they check exactly what Terraform applies.
 */

export type JsonObject = { readonly [key: string]: unknown };

/** The synthesized JSON of one stack. */
export type StackJson = JsonObject;

/** One `resource.<type>.<name>` block. */
export interface ResourceBlock {
  readonly type: string;
  readonly name: string;
  /** `<type>.<name>`, the Terraform address. */
  readonly address: string;
  readonly body: JsonObject;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Terraform JSON accepts a block as an object or a one-element list; cdktf emits both shapes. */
export function firstBlock(value: unknown): JsonObject | undefined {
  if (Array.isArray(value)) return isObject(value[0]) ? value[0] : undefined;
  return isObject(value) ? value : undefined;
}

export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function asStrings(value: unknown): string[] {
  return asList(value).filter((item): item is string => typeof item === "string");
}

/** Every resource of the stack, or of one type, in document order. */
export function resources(json: StackJson, type?: string): ResourceBlock[] {
  const blocks: ResourceBlock[] = [];
  const byType = isObject(json.resource) ? json.resource : {};
  for (const [resourceType, named] of Object.entries(byType)) {
    if ((type && resourceType !== type) || !isObject(named)) continue;
    for (const [name, body] of Object.entries(named)) {
      if (isObject(body)) blocks.push({ type: resourceType, name, address: `${resourceType}.${name}`, body });
    }
  }
  return blocks;
}

/** The literal part of a string: interpolations removed, so `*` inside `${...}` is not mistaken for a wildcard. */
export function literalText(value: string): string {
  let literal = "";
  let index = 0;
  for (let start = value.indexOf("${"); start >= 0; start = value.indexOf("${", index)) {
    const end = interpolationEnd(value, start + 2);
    if (end < 0) break;
    literal += value.slice(index, start);
    index = end + 1;
  }
  return literal + value.slice(index);
}

/** `type.name` addresses referenced by a value: `${aws_iam_role.x.arn}` -> `aws_iam_role.x`. */
export function referencedAddresses(value: unknown): string[] {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
  const found = new Set<string>();
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    for (const ref of match[1].matchAll(/(?<![\w.-])([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g)) {
      if (ref[1] !== "data") found.add(`${ref[1]}.${ref[2]}`);
    }
  }
  return [...found];
}

/**
 * Parses JSON that is a Terraform string template: cdktf resolves tokens after `JSON.stringify`, so an
 * interpolation such as `${replace(x, "https://", "")}` sits unescaped inside a JSON string. Each `${...}` is
 * masked while parsing and restored in the parsed strings. `undefined` when the text is not JSON.
 */
export function parseTemplateJson(text: string): unknown {
  const parts: string[] = [];
  let masked = "";
  let index = 0;
  while (index < text.length) {
    const start = text.indexOf("${", index);
    if (start < 0 || text[start - 1] === "$") {
      const next = start < 0 ? text.length : start + 2;
      masked += text.slice(index, next);
      index = next;
      continue;
    }
    const end = interpolationEnd(text, start + 2);
    if (end < 0) return undefined;
    masked += `${text.slice(index, start)}\${__${parts.length}__}`;
    parts.push(text.slice(start, end + 1));
    index = end + 1;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(masked);
  } catch {
    return undefined;
  }
  return parts.length ? restore(parsed, parts) : parsed;
}

/** Index of the `}` closing an interpolation whose expression starts at `from` (quoted strings may hold braces). */
function interpolationEnd(text: string, from: number): number {
  let depth = 1;
  let quoted = false;
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === "\\") index++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === "{") depth++;
    else if (char === "}" && --depth === 0) return index;
  }
  return -1;
}

function restore(value: unknown, parts: ReadonlyArray<string>): unknown {
  const put = (text: string) => text.replace(/\$\{__(\d+)__\}/g, (_, n: string) => parts[Number(n)]);
  if (typeof value === "string") return put(value);
  if (Array.isArray(value)) return value.map((item) => restore(item, parts));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [put(key), restore(item, parts)]));
  return value;
}

export interface PolicyStatementView {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action: string[];
  readonly NotAction: string[];
  readonly Resource: string[];
  readonly Principal: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/**
 * Parses an IAM/KMS/EFS policy document. The platform writes policies as literal JSON whose `${...}` tokens sit
 * inside string values, so they parse as JSON; `undefined` means the policy is not literal JSON.
 */
export function parsePolicy(text: unknown): PolicyStatementView[] | undefined {
  if (typeof text !== "string") return undefined;
  const document = parseTemplateJson(text);
  if (!isObject(document)) return undefined;
  return asList(document.Statement).filter(isObject).map((statement) => ({
    Sid: typeof statement.Sid === "string" ? statement.Sid : undefined,
    Effect: typeof statement.Effect === "string" ? statement.Effect : undefined,
    Action: asStrings(statement.Action),
    NotAction: asStrings(statement.NotAction),
    Resource: asStrings(statement.Resource),
    Principal: statement.Principal,
    Condition: isObject(statement.Condition) ? (statement.Condition as Record<string, Record<string, unknown>>) : undefined,
  }));
}

/** Principals of one kind (`AWS`, `Service`, `Federated`); `"*"` as a whole principal counts as `AWS: "*"`. */
export function principalsOf(statement: PolicyStatementView, kind: "AWS" | "Service" | "Federated"): string[] {
  if (statement.Principal === "*") return kind === "AWS" ? ["*"] : [];
  return isObject(statement.Principal) ? asStrings(statement.Principal[kind]) : [];
}

/** Kubernetes objects carried by a `helm_release` as `values: ['{"objects":[...]}']` (the shipped manifests chart). */
export function releaseObjects(release: ResourceBlock): JsonObject[] {
  const objects: JsonObject[] = [];
  for (const values of asStrings(release.body.values)) {
    // YAML values or a values file are not objects this pack reads.
    const parsed = values.trimStart().startsWith("{") ? parseTemplateJson(values) : undefined;
    if (isObject(parsed)) objects.push(...asList(parsed.objects).filter(isObject));
  }
  return objects;
}
