import { z } from "zod";

/**
 * Shapes of the config's free text and names, each refused with what is allowed instead of failing at apply (or
 * never): Kubernetes names, STS's external id and session name, Terraform Cloud names, and a bound on every free
 * string (a 100 KB organization name is a mistake, not a name).
 *
 * Invisible characters are refused wherever text names or labels something a person reads: control characters,
 * Unicode format characters (zero-width U+200B-U+200D, marks U+200E/F, bidi embeddings and overrides
 * U+202A-U+202E, isolates U+2066-U+2069, the byte-order mark U+FEFF, soft hyphen ...), line and paragraph
 * separators (U+2028/9) and lone surrogates. AWS stores them in tags as given, so the console, the bill and IAM
 * conditions show (or match) something other than what the config seems to say; bidi overrides reorder a waiver
 * reason in the report a reviewer reads.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
/** The same, but line breaks and tabs are text (a waiver reason written as a YAML block). */
const INVISIBLE_IN_LINES = /(?![\n\t])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** `U+202E at character 4`, for the first invisible character of `text`. */
export function invisibleCharacter(text: string, lines = false): string | undefined {
  const match = (lines ? INVISIBLE_IN_LINES : INVISIBLE).exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return `U+${code} at character ${match.index + 1}`;
}

export const INVISIBLE_MESSAGE =
  "must be visible text: no control characters or invisible formatting characters (zero-width, bidi controls, line separators, byte-order marks)";

/** Refuses a string `problemOf` finds a problem with: the problem is the message, `fix` the issue's fix. */
export function refused<T extends z.ZodString>(
  schema: T,
  problemOf: (text: string) => string | undefined,
  fix: string,
): T {
  return schema.superRefine((text, ctx) => {
    const problem = problemOf(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: text, params: { fix } });
  });
}

/** Refuses invisible characters, naming the first one found; `lines`: line breaks and tabs are allowed. */
export function visible<T extends z.ZodString>(schema: T, lines = false): T {
  return refused(
    schema,
    (text) => {
      const found = invisibleCharacter(text, lines);
      return found ? `${INVISIBLE_MESSAGE}; found ${found}` : undefined;
    },
    "retype it without the invisible character (it often comes with copy and paste)",
  );
}

/** A string of at most `max` characters (checked first: a 100 KB value gets one issue, and no pattern runs on it). */
export const bounded = (max: number, allowed?: string) =>
  z.string().max(max, { message: `must be at most ${max} characters${allowed ? `: ${allowed}` : ""}`, abort: true });

/** Free text of `min`-`max` characters, visible. */
export const text = (max: number, min = 1) =>
  visible(bounded(max).min(min, { message: `must be ${min}-${max} characters` }));

/** A string matching `regex`, at most `max` characters; `allowed` says both in words. */
export const pattern = (regex: RegExp, max: number, allowed: string) =>
  bounded(max, allowed).regex(regex, { message: `must be ${allowed}` });

// Kubernetes (k8s.io/apimachinery/pkg/util/validation): a label value, and the name part of a qualified name.
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED =
  "a Kubernetes qualified name: an optional DNS subdomain prefix (lower-case, at most 253 characters) and '/', then 1-63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

function isQualifiedName(key: string): boolean {
  const slash = key.indexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && NAME.test(name);
}

/** A label key or taint key. */
export const qualifiedName = bounded(253 + 1 + 63, QUALIFIED).refine(isQualifiedName, {
  message: `must be ${QUALIFIED}`,
});

const LABEL_VALUE =
  "at most 63 characters: letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or empty)";
/** A label value or taint value. */
export const labelValue = z
  .string()
  .max(63, { message: `must be ${LABEL_VALUE}`, abort: true })
  .refine((value) => value === "" || NAME.test(value), { message: `must be ${LABEL_VALUE}` });

/** A namespace: a DNS-1123 label. */
export const namespace = pattern(
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  63,
  "a DNS-1123 label: 1-63 lower-case letters, digits and '-', starting and ending with a letter or digit",
);

// STS AssumeRole: ExternalId is 2-1224 of [\w+=,.@:/-], RoleSessionName 2-64 of [\w+=,.@-].
const EXTERNAL_ID =
  "2-1224 characters of letters, digits and _+=,.@:/- (what STS accepts as an external id; anything else fails only at apply)";
export const externalId = bounded(1224, EXTERNAL_ID).regex(/^[\w+=,.@:/-]{2,}$/, { message: `must be ${EXTERNAL_ID}` });
const SESSION_NAME = "2-64 characters of letters, digits and _+=,.@- (what STS accepts as a role session name)";
export const sessionName = bounded(64, SESSION_NAME).regex(/^[\w+=,.@-]{2,}$/, { message: `must be ${SESSION_NAME}` });

// HCP Terraform / Terraform Enterprise names.
export const organization = pattern(
  /^[A-Za-z0-9_-]+$/,
  64,
  "1-64 letters, digits, '_' and '-' (an HCP Terraform organization name)",
);
export const project = pattern(
  /^[A-Za-z0-9_-]([A-Za-z0-9 _-]*[A-Za-z0-9_-])?$/,
  40,
  "1-40 letters, digits, spaces, '-' and '_', without leading or trailing spaces (an HCP Terraform project name)",
);
/** Workspace names are at most 90 characters: the prefix, an environment name (32) and `-<layer>` must fit. */
export const workspacePrefix = pattern(
  /^[\w-]*$/,
  40,
  "at most 40 letters, digits, '_' and '-' (workspace names `<prefix><env>-<layer>` must fit HCP Terraform's 90 characters)",
);
export const hostname = pattern(
  /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
  253,
  "a host name such as app.terraform.io: lower-case letters, digits, '-' and '.'",
);
