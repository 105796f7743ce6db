import * as fs from "node:fs";
import * as path from "node:path";
import { isObject, resourcesAndDataSources, type ResourceBlock, type StackJson } from "../../modules/terraform-json";
import { readHclStack } from "./hcl-stacks";

/** One synthesized stack: its name (the directory under `cdktf.out/stacks`) and its parsed `cdk.tf.json`. */
export interface SynthStack {
  readonly name: string;
  readonly json: StackJson;
}

/** A resource or data source of a stack (see modules/terraform-json), with the stack it is in. */
export interface ResourceView extends ResourceBlock {
  readonly stack: string;
}

/**
 * Reads every stack under a cdktf output directory, in name order: `stacks/<name>/cdk.tf.json`, or, for
 * `cdktf synth --hcl` output, the stack's `.tf` files (see hcl-stacks.ts).
 */
export async function loadStacks(outDir: string): Promise<SynthStack[]> {
  const stacks = loadSynthStacks(outDir);
  const stacksDir = path.join(outDir, "stacks");
  for (const name of fs.readdirSync(stacksDir).sort()) {
    const directory = path.join(stacksDir, name);
    if (fs.existsSync(path.join(directory, "cdk.tf.json")) || !fs.existsSync(path.join(directory, "cdk.tf"))) continue;
    stacks.push({ name, json: await readHclStack(directory) });
  }
  return stacks.sort((a, b) => a.name.localeCompare(b.name));
}

/** Reads every `stacks/<name>/cdk.tf.json` under a cdktf output directory, in name order. */
export function loadSynthStacks(outDir: string): SynthStack[] {
  const stacksDir = path.join(outDir, "stacks");
  if (!fs.existsSync(stacksDir)) {
    throw new Error(`No synthesized stacks in ${stacksDir}: run \`npm run synth\` first (or pass --out <dir>).`);
  }
  const stacks: SynthStack[] = [];
  for (const name of fs.readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, name, "cdk.tf.json");
    if (!fs.existsSync(file)) continue;
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      throw new Error(
        `Cannot read synthesized stack ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (!isObject(json)) throw new Error(`Synthesized stack ${file} is not a JSON object.`);
    stacks.push({ name, json });
  }
  return stacks;
}

const viewCache = new WeakMap<SynthStack, ResourceView[]>();

/** Every resource and data source, `resource.<type>.<name>` and `data.<type>.<name>` in cdktf JSON; read once per stack. */
export function resourcesOf(stack: SynthStack): ResourceView[] {
  const cached = viewCache.get(stack);
  if (cached) return cached;
  const views = resourcesAndDataSources(stack.json).map((block): ResourceView => ({ stack: stack.name, ...block }));
  viewCache.set(stack, views);
  return views;
}
