import type { EnvironmentConfig } from "../../../modules/config/schema";

/**
 * What the rule cases (one file per area of modules/policy) edit a synthesized stack with: finding a block by
 * address, reading and writing its policy documents and values, adding a resource the example lacks.
 */

export type Json = Record<string, any>;
export type Layer = "foundation" | "network" | "storage" | "operators";

/**
 * A way to break the synthesized example that `rule` forbids, on the `layer` stack: `breakIt` makes the rule report
 * `address`; `setup` makes the stack exercise the rule while still passing it (when the example alone does not).
 */
export interface RuleCase {
  readonly rule: string;
  readonly what: string;
  readonly layer: Layer;
  readonly address: string;
  readonly setup?: (json: Json) => void;
  readonly breakIt: (json: Json) => void;
  /** The environment the stack is judged with, when the case needs settings the example does not have. */
  readonly environment?: (environment: EnvironmentConfig) => EnvironmentConfig;
}

/**
 * The block at `address`: `<type>.<name>` for a resource, `data.<type>.<name>`, `provider.<type>` (the stack's
 * first provider configuration of that type), `terraform.backend.<type>` (STATE_LOCKING) or
 * `terraform.required_version` (the terraform block itself). Throws when the stack has none.
 */
export function resource(json: Json, address: string): Json {
  const [type, name] = address.split(".");
  const body =
    type === "data"
      ? json.data?.[name]?.[address.split(".")[2]]
      : type === "provider"
        ? json.provider?.[name]?.[0]
        : address === "terraform.required_version"
          ? json.terraform
          : type === "terraform"
            ? json.terraform?.[name]?.[address.split(".")[2]]
            : json.resource?.[type]?.[name];
  if (!body) throw new Error(`the example has no ${address}`);
  return body;
}

export const cluster = (json: Json) => resource(json, "aws_eks_cluster.cluster");

export function policyOf(json: Json, address: string, attribute = "policy"): Json {
  return JSON.parse(resource(json, address)[attribute]);
}

export function setPolicy(json: Json, address: string, document: Json, attribute = "policy"): void {
  resource(json, address)[attribute] = JSON.stringify(document);
}

export function addResource(json: Json, address: string, body: Json): void {
  const [type, name] = address.split(".");
  json.resource[type] = { ...json.resource[type], [name]: body };
}

/** Edits the first values document (JSON) of the Helm release at `address`, keeping the others. */
export function editValues(json: Json, address: string, edit: (values: Json) => void): void {
  const release = resource(json, address);
  const values = JSON.parse(release.values[0]);
  edit(values);
  release.values = [JSON.stringify(values), ...release.values.slice(1)];
}

/** Edits the `configuration_values` (JSON) of the EKS add-on at `address`. */
export function editConfigurationValues(json: Json, address: string, edit: (values: Json) => void): void {
  const addon = resource(json, address);
  const values = JSON.parse(addon.configuration_values);
  edit(values);
  addon.configuration_values = JSON.stringify(values);
}
