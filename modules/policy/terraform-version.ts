import { asObject, isObject, type ResourceBlock, type StackJson } from "../terraform-json";
import { defineRule, type PolicyRule } from "./types";

/**
 * A stack must declare the oldest Terraform that reads all of its blocks: an older Terraform refuses a `removed`
 * block or an `ephemeral` block at init, or silently ignores an S3 backend's `use_lockfile` (no state lock).
 * What a stack needs is read from the synthesized JSON itself, whatever the config's auth mode or backend.
 */

interface Feature {
  readonly what: string;
  readonly since: readonly [number, number];
  readonly present: (json: StackJson) => boolean;
}

const hasKey = (json: StackJson, key: string) =>
  Array.isArray(json[key])
    ? (json[key] as unknown[]).length > 0
    : isObject(json[key]) && Object.keys(json[key]).length > 0;

/** Terraform language features the platform's stacks use, with the version that introduced each. */
export const TERRAFORM_FEATURES: ReadonlyArray<Feature> = [
  { what: "`moved` blocks", since: [1, 1], present: (json) => hasKey(json, "moved") },
  { what: "`import` blocks", since: [1, 5], present: (json) => hasKey(json, "import") },
  { what: "`check` blocks", since: [1, 5], present: (json) => hasKey(json, "check") },
  { what: "`removed` blocks", since: [1, 7], present: (json) => hasKey(json, "removed") },
  { what: "`ephemeral` blocks", since: [1, 10], present: (json) => hasKey(json, "ephemeral") },
  {
    what: "S3-native state locking (`use_lockfile`)",
    since: [1, 10],
    present: (json) => asObject(asObject(asObject(json.terraform)?.backend)?.s3)?.use_lockfile === true,
  },
];

/**
 * The lowest version a `required_version` constraint admits, for the forms the platform writes (`>= X.Y[.Z]`,
 * `~> X.Y`, `= X.Y.Z`, comma-separated); undefined when there is no lower bound (no constraint, or only `<`).
 */
export function lowestAdmitted(constraint: string | undefined): readonly [number, number] | undefined {
  if (constraint === undefined) return undefined;
  let lowest: [number, number] | undefined;
  for (const part of constraint.split(",")) {
    const match = /^\s*(>=|~>|=|>)?\s*v?(\d+)\.(\d+)(?:\.(\d+))?\s*$/.exec(part);
    if (!match) continue;
    const [major, minor] = [Number(match[2]), Number(match[3])];
    const bound: [number, number] = match[1] === ">" ? [major, minor] : [major, minor];
    if (!lowest || compare(bound, lowest) > 0) lowest = bound;
  }
  return lowest;
}

const compare = (a: readonly [number, number], b: readonly [number, number]) => a[0] - b[0] || a[1] - b[1];

function terraformBlock(json: StackJson): ResourceBlock {
  return {
    mode: "resource",
    type: "terraform",
    name: "required_version",
    address: "terraform.required_version",
    body: asObject(json.terraform) ?? {},
  };
}

export const TERRAFORM_VERSION_RULES: PolicyRule[] = [
  defineRule({
    id: "TERRAFORM_VERSION_FOR_BLOCKS",
    area: "state",
    title:
      "Every stack declares a required_version no older than its blocks need (`removed` >= 1.7, `ephemeral` and S3 `use_lockfile` >= 1.10)",
    scanners: {},
    fix: "declare `terraform { required_version }` in every stack (the platform writes >= 1.10 in each)",
    check: ({ json }) => {
      const declared = asObject(json.terraform)?.required_version;
      const lowest = lowestAdmitted(typeof declared === "string" ? declared : undefined);
      const needed = TERRAFORM_FEATURES.filter((feature) => feature.present(json));
      const unmet = needed.filter((feature) => !lowest || compare(lowest, feature.since) < 0);
      return unmet.map((feature) => ({
        resource: terraformBlock(json),
        problem: `the stack uses ${feature.what}, which need Terraform >= ${feature.since.join(".")}, but its required_version (${typeof declared === "string" ? JSON.stringify(declared) : "none"}) admits older versions, which fail at init or ignore them`,
      }));
    },
  }),
];
