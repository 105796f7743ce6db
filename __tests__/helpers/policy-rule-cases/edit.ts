import type { ExtraRuleCase } from "../policy-rule-cases";

/**
 * What the rule cases (one file per area of modules/policy) edit a synthesized stack with: finding a block by
 * address, reading and writing its policy documents, adding a resource the example lacks.
 */

export type Json = Record<string, any>;
export type Layer = "foundation" | "network" | "storage" | "operators";

/**
 * A way to break the synthesized example that `rule` forbids, on the `layer` stack: `breakIt` makes the rule report
 * `address`; `setup` makes the stack exercise the rule while still passing it (when the example alone does not).
 */
export type RuleCase = ExtraRuleCase;

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
