import { formatPath, type ConfigIssue } from "../errors";
import { hasPath, isPlainObject } from "../merge";
import { parseQuantity } from "../config/quantity";
import type { AddonDefinition, Delivery, LockedValue, Values } from "./types";

/**
 * Checks of an add-on's user `values` that hold for every add-on and delivery, beside the delivery's own
 * `valuesSchema`: the values the platform computes for identity and wiring cannot be overridden, and replica
 * counts, percentages and resource quantities must make sense wherever a chart or add-on takes them.
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

const REPLICA_KEYS = new Set(["replicas", "replicaCount"]);
const PERCENT = /^(\d+(?:\.\d+)?)%$/;

/** Problems with user `values`, at `<at>.<path>` (`at` is the add-on's `values` path). */
export function valuesIssues(values: Values, locked: ReadonlyArray<LockedValue>, at: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const where = (path: ReadonlyArray<PropertyKey>) =>
    path.length === 0 ? at : `${at}${formatPath(path).startsWith("[") ? "" : "."}${formatPath(path)}`;
  for (const lock of locked) {
    if (hasPath(values, lock.path)) {
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
  return issues;
}
