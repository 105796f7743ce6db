import { isPlainObject } from "../merge";
import { isImageValuePath } from "./images";
import type { LockedEnv } from "./types";

/**
 * What values cannot set on an add-on that holds an AWS identity, wherever in its values it is written: the
 * environment variables the AWS SDKs read their credentials, role and endpoints from (another role, static keys,
 * a credential endpoint or an STS endpoint that would receive the pod's web identity token), in the list form
 * (`env: [{ name, value }]`) and the map form (`env: { NAME: value }`) of any env key; `envFrom` (variables from a
 * Secret or ConfigMap no config check can see); and its images (images.ts).
 */

/** The AWS SDKs' identity variables: `*` ends a prefix. */
export const IDENTITY_ENV: ReadonlyArray<string> = [
  "AWS_ROLE_ARN",
  "AWS_ROLE_SESSION_NAME",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CA_BUNDLE",
  "AWS_CONTAINER_*",
  "AWS_EC2_METADATA_*",
  "AWS_ENDPOINT_URL*",
];

/** Keys that hold a container's environment in the charts: `env`, `extraEnv`, `extraEnvVars`, `envVars`. */
const ENV_KEY = /^(extra|additional)?env(vars)?$/i;
/** Keys that import variables from a Secret or ConfigMap, or name a Secret of credentials (the ALB chart's). */
const ENV_SOURCE_KEY = /^((extra)?envFrom|envSecretName)$/i;

export interface IdentityFinding {
  readonly path: ReadonlyArray<PropertyKey>;
  readonly message: string;
  readonly value?: unknown;
  readonly fix: string;
}

const matches = (name: string, pattern: string) =>
  pattern.endsWith("*")
    ? name.toUpperCase().startsWith(pattern.slice(0, -1).toUpperCase())
    : name.toUpperCase() === pattern.toUpperCase();

/** The lock a variable name falls under, if any. */
function lockOf(name: string, locked: ReadonlyArray<LockedEnv>): LockedEnv | undefined {
  return locked.find((lock) => matches(name, lock.name));
}

/**
 * Problems with the values of an add-on that holds an AWS identity (`identityWhy` says whose), or only with the
 * delivery's own `lockedEnv` when it holds none (`identityWhy` undefined).
 */
export function identityFindings(
  values: unknown,
  lockedEnv: ReadonlyArray<LockedEnv>,
  identityWhy: string | undefined,
): IdentityFinding[] {
  const findings: IdentityFinding[] = [];
  const env: LockedEnv[] = [
    ...lockedEnv,
    ...(identityWhy
      ? IDENTITY_ENV.map((name) => ({
          name,
          why: `the AWS SDK reads ${identityWhy}'s AWS identity (credentials, role, endpoints) from it`,
        }))
      : []),
  ];
  const checkName = (name: unknown, path: PropertyKey[], value: unknown) => {
    const lock = typeof name === "string" ? lockOf(name, env) : undefined;
    if (lock)
      findings.push({
        path,
        message: `sets ${name}, which the platform controls: ${lock.why}`,
        value,
        fix: "remove the variable; the platform sets the add-on's identity and wiring",
      });
  };
  const visit = (value: unknown, path: PropertyKey[]): void => {
    const key = path.at(-1);
    if (identityWhy && typeof key === "string" && ENV_SOURCE_KEY.test(key) && value !== null && value !== undefined) {
      findings.push({
        path,
        message: `imports environment variables no check can see into an add-on with an AWS identity (${identityWhy})`,
        value,
        fix: "list the variables in env instead",
      });
      return;
    }
    // An image object is looked into (its pull policy is free); anything else at an image key is the image.
    if (identityWhy && isImageValuePath(path) && !isPlainObject(value)) {
      findings.push({
        path,
        message: `chooses an image of ${identityWhy}, which holds an AWS identity: the image is the code that runs under its IAM role, so it comes from its upstream registry`,
        value,
        fix: "remove it from values; to pull the add-on's images from a mirror, set imageRegistryMirror for the environment",
      });
      return;
    }
    if (typeof key === "string" && ENV_KEY.test(key)) {
      if (Array.isArray(value))
        value.forEach((item, index) => isPlainObject(item) && checkName(item.name, [...path, index], item));
      else if (isPlainObject(value))
        for (const [name, inner] of Object.entries(value)) checkName(name, [...path, name], inner);
    }
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (isPlainObject(value)) for (const [inner, child] of Object.entries(value)) visit(child, [...path, inner]);
  };
  visit(values, []);
  return findings;
}
