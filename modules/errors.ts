/**
 * The one place errors come from. Every problem with the user's input is a `ConfigIssue`: the config path,
 * the value found, what is allowed and how to fix it. Problems are collected, never thrown one at a time,
 * so a user sees every mistake in one run; `PlatformConfigError` carries all of them.
 */

export interface ConfigIssue {
  /** Config path, e.g. `environments[1].account`, or the file itself (`<file>`). */
  readonly path: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** The offending value, when there is one. */
  readonly value?: unknown;
  /** What is allowed instead. */
  readonly allowed?: string;
  /** How to fix it, when that is not obvious from `allowed`. */
  readonly fix?: string;
}

/** Formats a path array as the config reference users read: `environments[1].addons.karpenter.version`. */
export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${quoted(String(segment))}]`;
  }
  return out || "<root>";
}

/**
 * JSON text with the invisible characters JSON leaves as they are (zero-width, bidi controls, line separators,
 * byte-order marks, C1 controls) written as `\uXXXX` escapes too, so a reader sees where they are.
 */
function quoted(value: unknown): string | undefined {
  return JSON.stringify(value)?.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu, (found) =>
    [...Array(found.length).keys()].map((at) => `\\u${found.charCodeAt(at).toString(16).padStart(4, "0")}`).join(""),
  );
}

function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = quoted(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One line per issue: `path: message (got X; allowed: Y; fix: Z)`. */
export function formatIssue(issue: ConfigIssue): string {
  const details: string[] = [];
  if ("value" in issue) details.push(`got ${showValue(issue.value)}`);
  if (issue.allowed) details.push(`allowed: ${issue.allowed}`);
  if (issue.fix) details.push(`fix: ${issue.fix}`);
  return `${issue.path}: ${issue.message}${details.length ? ` (${details.join("; ")})` : ""}`;
}

export class PlatformConfigError extends Error {
  constructor(
    readonly issues: ReadonlyArray<ConfigIssue>,
    readonly source?: string,
  ) {
    super(
      `${issues.length} problem${issues.length === 1 ? "" : "s"} in ${source ?? "the platform config"}:\n` +
        issues.map((issue) => `  - ${formatIssue(issue)}`).join("\n"),
    );
    this.name = "PlatformConfigError";
  }
}

/** Collects issues while a phase runs; `throwIfAny` ends the phase with every issue at once. */
export class IssueCollector {
  private readonly collected: ConfigIssue[] = [];

  add(issue: ConfigIssue): void {
    this.collected.push(issue);
  }

  addAll(issues: Iterable<ConfigIssue>): void {
    for (const issue of issues) this.collected.push(issue);
  }

  get issues(): ReadonlyArray<ConfigIssue> {
    return this.collected;
  }

  throwIfAny(source?: string): void {
    if (this.collected.length > 0) throw new PlatformConfigError(this.collected, source);
  }
}

/** Closest candidate by edit distance, for "did you mean" hints on typos (one implementation for every tool). */
export { closest } from "./terraform-json/names";

/**
 * What the app runner prints for a config that failed validation: a count, one line per problem with its path and
 * fix, and that nothing was synthesized.
 */
export function describeConfigFailure(error: PlatformConfigError, configName: string): string {
  const count = error.issues.length;
  return [
    `${count} problem${count === 1 ? "" : "s"} in ${configName}:`,
    ...error.issues.map((issue) => `  ${formatIssue(issue)}`),
    "Nothing was synthesized.",
    "",
  ].join("\n");
}
