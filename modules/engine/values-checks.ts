import { formatPath, type ConfigIssue } from "../errors";
import { hasPath, isPlainObject } from "../merge";
import { parseQuantity } from "../config/quantity";
import { identityFindings } from "./identity-locks";
import type { AddonDefinition, Delivery, LockedEnv, LockedValue, Values } from "./types";

/**
 * Checks of an add-on's user `values` that hold for every add-on and delivery, beside the delivery's own
 * `valuesSchema`: the values the platform computes for identity and wiring cannot be overridden (nor removed by a
 * null or non-object parent, nor set through an environment variable), an add-on that holds an AWS identity
 * takes no image, credentials or `envFrom` from values (identity-locks.ts), and replica counts, percentages and
 * resource quantities must make sense wherever a chart or add-on takes them.
 * Privilege-widening values (host namespaces, privileged pods, TLS verification off) are not errors here but
 * policy findings on the synthesized values (modules/policy/values.ts), so they can be waived.
 */

const ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/**
 * The paths locked for an add-on's delivery: the service account the engine names (and, with IRSA, annotates
 * with the add-on's role: another role there would swap the add-on's identity), and the delivery's own
 * `lockedValues`. The service account lives where the add-on's chart keeps it (`serviceAccountValuesPath`).
 */
export function lockedValuesOf(definition: AddonDefinition, delivery: Delivery): LockedValue[] {
  const locked = [...(delivery.lockedValues ?? [])];
  // Where the engine writes the mirror's images: a null parent there would drop them too.
  if (definition.identity && delivery.kind === "helm")
    for (const image of delivery.images ?? [])
      locked.push({ path: image.path, why: `the image of ${definition.name}, which holds an AWS identity` });
  if (definition.serviceAccount && delivery.kind !== "manifests") {
    const helm = definition.deliveries.find((candidate) => candidate.kind === "helm");
    const base = (helm?.kind === "helm" ? helm.serviceAccountValuesPath : undefined) ?? ["serviceAccount"];
    const why = `the add-on's identity is bound to service account ${definition.serviceAccount}`;
    locked.push(
      { path: [...base, "name"], why },
      { path: [...base, "create"], why: "the platform creates the service account its identity is bound to" },
      {
        path: [...base, "annotations", ROLE_ANNOTATION],
        why: "the platform sets the add-on's IAM role (IRSA) or binds it through Pod Identity; another role here would swap its identity",
      },
    );
  }
  return locked;
}

/** Everything values cannot set for an add-on's delivery: paths, environment variables, and images. */
export interface ValueLocks {
  readonly paths: ReadonlyArray<LockedValue>;
  readonly env: ReadonlyArray<LockedEnv>;
  /** The add-on, when it holds an AWS identity: its images, credentials and `envFrom` are locked too. */
  readonly identityOf?: string;
}

export function valueLocksOf(definition: AddonDefinition, delivery: Delivery): ValueLocks {
  return {
    paths: lockedValuesOf(definition, delivery),
    env: delivery.lockedEnv ?? [],
    identityOf: definition.identity ? definition.name : undefined,
  };
}

const REPLICA_KEYS = new Set(["replicas", "replicaCount"]);
const PERCENT = /^(\d+(?:\.\d+)?)%$/;

/** Problems with user `values`, at `<at>.<path>` (`at` is the add-on's `values` path). */
export function valuesIssues(values: Values, locks: ValueLocks, at: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const where = (path: ReadonlyArray<PropertyKey>) =>
    path.length === 0 ? at : `${at}${formatPath(path).startsWith("[") ? "" : "."}${formatPath(path)}`;
  for (const finding of identityFindings(values, locks.env, locks.identityOf))
    issues.push({ path: where(finding.path), message: finding.message, value: finding.value, fix: finding.fix });
  for (const lock of locks.paths) {
    const removedAt = removingParent(values, lock.path);
    if (removedAt) {
      const found = valueAt(values, removedAt);
      issues.push({
        path: where(removedAt),
        message: `is ${found === null ? "null" : `not a map (${Array.isArray(found) ? "a list" : typeof found})`}, which removes ${formatPath(lock.path)}, set by the platform: ${lock.why}`,
        value: found,
        fix: "remove it from values, or give it as a map without the keys the platform sets",
      });
    } else if (hasPath(values, lock.path)) {
      issues.push({
        path: where(lock.path),
        message: `is set by the platform and cannot be overridden: ${lock.why}`,
        fix: "remove it from values",
      });
    }
  }
  const visit = (value: unknown, path: PropertyKey[]): void => {
    const key = path.at(-1);
    if (
      typeof key === "string" &&
      REPLICA_KEYS.has(key) &&
      !(typeof value === "number" && Number.isInteger(value) && value >= 0)
    ) {
      issues.push({ path: where(path), message: "must be a whole number of replicas, 0 or more", value });
    }
    if (typeof value === "string") {
      const percent = PERCENT.exec(value);
      if (percent && Number(percent[1]) > 100)
        issues.push({ path: where(path), message: "is a percentage over 100", value });
    }
    // resources.requests.<name> / resources.limits.<name>: Kubernetes quantities.
    if (path.length >= 3 && path.at(-3) === "resources" && (path.at(-2) === "requests" || path.at(-2) === "limits")) {
      const parsed = typeof value === "number" ? value : typeof value === "string" ? parseQuantity(value) : undefined;
      if (parsed === undefined || parsed < 0)
        issues.push({ path: where(path), message: "must be a Kubernetes quantity such as 100m, 256Mi or 2", value });
    }
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (isPlainObject(value)) for (const [inner, child] of Object.entries(value)) visit(child, [...path, inner]);
  };
  visit(values, []);
  // One issue per path: a null parent removes every locked key under it.
  return issues.filter((issue, index) => issues.findIndex((other) => other.path === issue.path) === index);
}

/** The shortest strict prefix of `path` that values set to null or a non-map (removing what is under it). */
function removingParent(values: Values, path: ReadonlyArray<string>): ReadonlyArray<string> | undefined {
  for (let length = 1; length < path.length; length++) {
    const prefix = path.slice(0, length);
    if (!hasPath(values, prefix)) return undefined;
    if (!isPlainObject(valueAt(values, prefix))) return prefix;
  }
  return undefined;
}

function valueAt(values: Values, path: ReadonlyArray<string>): unknown {
  return path.reduce<unknown>((current, key) => (current as Record<string, unknown>)[key], values);
}
