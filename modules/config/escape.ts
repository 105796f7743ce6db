import { formatPath, type ConfigIssue } from "../errors";
import { isPlainObject } from "../merge";
import type { EnvironmentConfig } from "./schema";

/**
 * Config strings are data, never Terraform expressions. Terraform reads every string of `cdk.tf.json` as a
 * template (`${...}` interpolates, `%{...}` is a directive), so a tag, an `externalId`, a waiver reason or a
 * string in add-on `values` could otherwise call `file("/etc/passwd")` at plan time. The platform plan escapes
 * the validated config once (`escapeEnvironment`, after every check has seen the user's own text): `${` becomes
 * `$${` and `%{` becomes `%%{`, Terraform's literal forms. Values that go through `JSON.stringify` into one
 * Terraform string (Helm values, `configuration_values`, manifests) keep the escape as it is, so it is applied
 * exactly once; cdktf's own tokens are created later, by the constructs, and are never touched. No config field
 * takes a Terraform expression.
 *
 * Two things escaping cannot make safe are refused before it (`templateIssues`): text cdktf itself would read as
 * one of its tokens, and a `${` with no `}` after it, which cdktf's resolver takes as an open expression and then
 * writes the references that follow in the same string (e.g. the IRSA role ARN in a chart's values) bare.
 * Backend settings are not escaped but refused: Terraform reads them verbatim in JSON, while the remote-state
 * reads of later stacks evaluate the same text as a template (`externalId`, which an s3 backend assumes the role
 * with, cannot hold a template: the schema allows only STS's characters).
 */

/** A string as a Terraform literal: `${` -> `$${`, `%{` -> `%%{` (a `$${` already there stays literal too). */
export function escapeTemplate(text: string): string {
  return text.replace(/([$%])\{/g, "$1$1{");
}

/** A copy of plain data with every string, and every object key, escaped. */
export function escapeTemplates<T>(value: T): T {
  return escapeValue(value) as T;
}

function escapeValue(value: unknown): unknown {
  if (typeof value === "string") return escapeTemplate(value);
  if (Array.isArray(value)) return value.map(escapeValue);
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [escapeTemplate(key), escapeValue(inner)]));
  return value;
}

/** The environment with every string escaped, except `backend` (refused by `templateIssues` instead). */
export function escapeEnvironment(environment: EnvironmentConfig): EnvironmentConfig {
  const { backend, ...rest } = environment;
  return { ...escapeTemplates(rest), backend };
}

// cdktf's markers: `${TfToken[...]}` (strings), `#{TfToken[...]}` (lists), `&{TfToken[...]}` (maps).
const TOKEN_MARKER = /[$#&]\{TfToken\[/;
// What cdktf's resolver reads as an encoded number inside a string (cdktf/lib/tokens/private/encoding.js).
const NUMBER_IN_STRING = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;

/** Whether cdktf would take the number for one of its encoded tokens (a NaN-adjacent double with a marker in its top bits). */
export function isTokenDouble(value: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  const top = view.getUint32(4, true) >>> 16;
  return top === 0xfdff || top === 0xfbff;
}

function stringProblem(text: string, inBackend: boolean): string | undefined {
  if (TOKEN_MARKER.test(text))
    return "looks like a cdktf token (`${TfToken[...]}`), which cdktf would replace with a reference";
  for (const match of text.matchAll(NUMBER_IN_STRING))
    if (isTokenDouble(Number.parseFloat(match[0]))) return "holds a number cdktf reads as one of its encoded tokens";
  if (inBackend && /[$%]\{/.test(text))
    return "has `${` or `%{`: backend settings are read verbatim in cdk.tf.json but as a template by the later stacks' remote-state reads";
  if (text.lastIndexOf("${") > text.lastIndexOf("}"))
    return "has a `${` without a closing `}`: cdktf would take the rest of the Terraform string for an expression and write the references in it bare";
  return undefined;
}

/** Text in the config that escaping cannot make a plain literal (see the file comment); paths under `at`. */
export function templateIssues(environment: EnvironmentConfig, at: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const visit = (value: unknown, path: PropertyKey[], inBackend: boolean): void => {
    if (typeof value === "string") {
      const problem = stringProblem(value, inBackend);
      if (problem)
        issues.push({
          path: `${at}.${formatPath(path)}`,
          message: problem,
          value,
          fix: "write the text without it; config strings are literal text, never Terraform or cdktf expressions",
        });
    } else if (typeof value === "number") {
      if (isTokenDouble(value))
        issues.push({
          path: `${at}.${formatPath(path)}`,
          message: "is a number cdktf reads as one of its encoded tokens",
          value,
          fix: "use an ordinary number",
        });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, [...path, index], inBackend));
    } else if (isPlainObject(value)) {
      for (const [key, inner] of Object.entries(value)) {
        const keyProblem = stringProblem(key, inBackend);
        if (keyProblem)
          issues.push({
            path: `${at}.${formatPath([...path, key])}`,
            message: `key ${keyProblem}`,
            fix: "rename the key",
          });
        visit(inner, [...path, key], inBackend || (path.length === 0 && key === "backend"));
      }
    }
  };
  visit(environment, [], false);
  // `externalId`, which the S3 backend reads verbatim too, holds only STS's characters (no `$`, `%` or braces).
  return issues;
}
