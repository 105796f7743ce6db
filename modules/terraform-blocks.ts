import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Construct } from "constructs";
import { App, type TerraformStack } from "cdktf";
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";

/**
 * Top-level Terraform blocks cdktf has no construct for, written as stack overrides (JSON) and, because cdktf's
 * HCL output silently drops overrides it has no renderer for, as their own file beside `cdk.tf` (HCL):
 * - `removed` (Terraform >= 1.7) lets Terraform forget a resource without destroying it: the engine uses it to
 *   hand an installed add-on from Helm to EKS untouched;
 * - `ephemeral` (Terraform >= 1.10): values read at every plan and apply and never stored, e.g. the cluster token;
 * - `terraform { required_version }`, which cdktf's HCL renderer garbles when given as an override.
 * In HCL mode nothing is added as an override: each block goes to its own file only.
 */
interface RemovedBlock {
  readonly from: string;
  readonly lifecycle: { readonly destroy: false };
}

/** An ephemeral block's literal string arguments, and the addresses it waits for (`depends_on`). */
type EphemeralArgs = Record<string, string | string[]>;

interface StackBlocks {
  readonly removed: RemovedBlock[];
  readonly ephemeral: Record<string, Record<string, EphemeralArgs>>;
  requiredVersion?: string;
}

const blocksByStack = new WeakMap<TerraformStack, StackBlocks>();

/** The files `cdktf synth --hcl` gets the blocks in, beside `cdk.tf`. */
export const REMOVED_BLOCKS_HCL_FILE = "removed.tf";
export const EPHEMERAL_BLOCKS_HCL_FILE = "ephemeral.tf";
export const VERSIONS_HCL_FILE = "versions.tf";

const hclOutput = (stack: TerraformStack): boolean => App.of(stack).hclOutput;

function blocksOf(stack: TerraformStack): StackBlocks {
  let blocks = blocksByStack.get(stack);
  if (!blocks) {
    blocks = { removed: [], ephemeral: {} };
    blocksByStack.set(stack, blocks);
    writeHclBlocksOnSynth(stack, blocks);
  }
  return blocks;
}

export function forgetWithoutDestroying(stack: TerraformStack, address: string): void {
  const blocks = blocksOf(stack);
  if (blocks.removed.some((block) => block.from === address)) return;
  blocks.removed.push({ from: address, lifecycle: { destroy: false } });
  // JSON output (the default): a top-level `removed` array in cdk.tf.json.
  if (!hclOutput(stack)) stack.addOverride("removed", blocks.removed);
}

/**
 * Declares `ephemeral "<type>" "<name>"` with literal string arguments and returns the reference to one of its
 * attributes, e.g. `${ephemeral.aws_eks_cluster_auth.cluster.token}`. Ephemeral values may be used in provider
 * configuration, never in resources: Terraform refuses that at plan time.
 */
export function ephemeralResource(
  stack: TerraformStack,
  type: string,
  name: string,
  args: Record<string, string>,
  attribute: string,
  dependsOn: ReadonlyArray<string> = [],
): string {
  const blocks = blocksOf(stack);
  const body: EphemeralArgs = dependsOn.length > 0 ? { ...args, depends_on: [...dependsOn] } : { ...args };
  blocks.ephemeral[type] = { ...blocks.ephemeral[type], [name]: body };
  if (!hclOutput(stack)) stack.addOverride("ephemeral", blocks.ephemeral);
  return `\${ephemeral.${type}.${name}.${attribute}}`;
}

/**
 * The stack's JSON with its top-level blocks as Terraform reads them, in both outputs: with `synth --hcl` they go
 * to files of their own (removed.tf, ephemeral.tf, versions.tf), not into the JSON, so the policy pack would
 * otherwise judge HCL output without them.
 */
export function withTopLevelBlocks<T extends Record<string, unknown>>(stack: TerraformStack, json: T): T {
  const blocks = blocksByStack.get(stack);
  if (!blocks || !hclOutput(stack)) return json;
  const terraform = { ...(json.terraform as Record<string, unknown> | undefined) };
  if (blocks.requiredVersion) terraform.required_version = blocks.requiredVersion;
  return {
    ...json,
    terraform,
    ...(blocks.removed.length > 0 ? { removed: blocks.removed } : {}),
    ...(Object.keys(blocks.ephemeral).length > 0 ? { ephemeral: blocks.ephemeral } : {}),
  };
}

/** The oldest Terraform the stacks work with: ephemeral resources and S3-native locking arrived in 1.10. */
export const MINIMUM_TERRAFORM_VERSION = ">= 1.10";

/** `terraform { required_version = constraint }` (a second terraform block in HCL: Terraform merges them). */
export function requireTerraformVersion(stack: TerraformStack, constraint: string): void {
  blocksOf(stack).requiredVersion = constraint;
  if (!hclOutput(stack)) stack.addOverride("terraform.required_version", constraint);
}

function writeHclBlocksOnSynth(stack: TerraformStack, blocks: StackBlocks): void {
  addCustomSynthesis(new Construct(stack, "top-level-blocks"), {
    onSynthesize: (session) => {
      if (!App.of(stack).hclOutput) return;
      const directory = join(session.outdir, session.manifest.forStack(stack).workingDirectory);
      if (blocks.removed.length > 0)
        writeFileSync(join(directory, REMOVED_BLOCKS_HCL_FILE), blocks.removed.map(renderRemovedHcl).join("\n"));
      const ephemeral = Object.entries(blocks.ephemeral).flatMap(([type, byName]) =>
        Object.entries(byName).map(([name, args]) => renderEphemeralHcl(type, name, args)),
      );
      if (ephemeral.length > 0) writeFileSync(join(directory, EPHEMERAL_BLOCKS_HCL_FILE), ephemeral.join("\n"));
      if (blocks.requiredVersion)
        writeFileSync(
          join(directory, VERSIONS_HCL_FILE),
          `terraform {\n  required_version = ${JSON.stringify(blocks.requiredVersion)}\n}\n`,
        );
    },
  });
}

function renderRemovedHcl(block: RemovedBlock): string {
  return `removed {\n  from = ${block.from}\n\n  lifecycle {\n    destroy = ${block.lifecycle.destroy}\n  }\n}\n`;
}

function renderEphemeralHcl(type: string, name: string, args: EphemeralArgs): string {
  // depends_on takes bare references; everything else is a string (references inside `${...}` stay templates).
  const body = Object.entries(args)
    .map(([key, value]) =>
      typeof value === "string" ? `  ${key} = ${JSON.stringify(value)}\n` : `  ${key} = [${value.join(", ")}]\n`,
    )
    .join("");
  return `ephemeral "${type}" "${name}" {\n${body}}\n`;
}
