import * as fs from "node:fs";
import * as path from "node:path";
import { asObject, isObject, type JsonObject } from "./json";

/** One synthesized stack: its name (the directory under `cdktf.out/stacks`) and its parsed `cdk.tf.json`. */
export interface SynthStack {
  readonly name: string;
  readonly json: JsonObject;
}

/** A resource or data source of a stack, with its Terraform address. */
export interface ResourceView {
  readonly stack: string;
  readonly mode: "resource" | "data";
  readonly type: string;
  readonly name: string;
  /** `aws_iam_role.karpenter` or `data.aws_eks_cluster.this`. */
  readonly address: string;
  readonly body: JsonObject;
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
      throw new Error(`Cannot read synthesized stack ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!isObject(json)) throw new Error(`Synthesized stack ${file} is not a JSON object.`);
    stacks.push({ name, json });
  }
  return stacks;
}

const viewCache = new WeakMap<SynthStack, ResourceView[]>();

/** Every resource and data source, `resource.<type>.<name>` and `data.<type>.<name>` in cdktf JSON. */
export function resourcesOf(stack: SynthStack): ResourceView[] {
  const cached = viewCache.get(stack);
  if (cached) return cached;
  const views: ResourceView[] = [];
  for (const mode of ["resource", "data"] as const) {
    const byType = asObject(stack.json[mode]) ?? {};
    for (const [type, byName] of Object.entries(byType)) {
      for (const [name, body] of Object.entries(asObject(byName) ?? {})) {
        if (!isObject(body)) continue;
        const address = mode === "data" ? `data.${type}.${name}` : `${type}.${name}`;
        views.push({ stack: stack.name, mode, type, name, address, body });
      }
    }
  }
  viewCache.set(stack, views);
  return views;
}

