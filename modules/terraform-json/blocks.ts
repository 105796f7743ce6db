import { isObject, type JsonObject } from "./json";

/**
 * One stack's synthesized Terraform JSON (what `stack.toTerraform()` returns and `cdk.tf.json` holds), read as
 * Terraform reads it: `resource.<type>.<name>` and `data.<type>.<name>` blocks with their Terraform addresses.
 * The policy pack (at synth) and the offline validator (on `cdktf.out`) both see stacks only through this, so
 * they agree on what a resource and its address are.
 */

/** The synthesized JSON of one stack. */
export type StackJson = JsonObject;

/** One `resource.<type>.<name>` or `data.<type>.<name>` block. */
export interface ResourceBlock {
  readonly mode: "resource" | "data";
  readonly type: string;
  readonly name: string;
  /** The Terraform address: `aws_iam_role.karpenter`, or `data.aws_eks_cluster.this` for a data source. */
  readonly address: string;
  readonly body: JsonObject;
}

/** Where a finding is, in either tool's output: `<stack> <address>`. */
export interface StackAddress {
  /** Stack name (`dev-operators`), or `*` for something about a whole run. */
  readonly stack: string;
  /** Terraform address (`aws_iam_role.karpenter`, `provider.helm`), or a name. */
  readonly address: string;
}

/** `<stack> <address>`: the prefix every finding line starts with, so output of both tools greps alike. */
export function locationOf(where: StackAddress): string {
  return `${where.stack} ${where.address}`;
}

function blocksOfMode(
  json: StackJson,
  mode: ResourceBlock["mode"],
  type: string | undefined,
  into: ResourceBlock[],
): void {
  const byType = json[mode];
  if (!isObject(byType)) return;
  for (const [blockType, named] of Object.entries(byType)) {
    if ((type && blockType !== type) || !isObject(named)) continue;
    for (const [name, body] of Object.entries(named)) {
      if (isObject(body))
        into.push({
          mode,
          type: blockType,
          name,
          address: mode === "data" ? `data.${blockType}.${name}` : `${blockType}.${name}`,
          body,
        });
    }
  }
}

/** Every resource of the stack, or of one type, in document order (data sources are not resources). */
export function resources(json: StackJson, type?: string): ResourceBlock[] {
  const blocks: ResourceBlock[] = [];
  blocksOfMode(json, "resource", type, blocks);
  return blocks;
}

/** Every data source of the stack, or of one type, in document order. */
export function dataSources(json: StackJson, type?: string): ResourceBlock[] {
  const blocks: ResourceBlock[] = [];
  blocksOfMode(json, "data", type, blocks);
  return blocks;
}

/** Resources, then data sources: every block a provider schema describes. */
export function resourcesAndDataSources(json: StackJson): ResourceBlock[] {
  const blocks: ResourceBlock[] = [];
  blocksOfMode(json, "resource", undefined, blocks);
  blocksOfMode(json, "data", undefined, blocks);
  return blocks;
}
