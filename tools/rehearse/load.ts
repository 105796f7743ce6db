import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { asStrings, isObject, type JsonObject, type StackJson } from "../../modules/terraform-json";
import { loadStacks } from "../validate/stacks";

/**
 * The stacks of a cdktf output directory in the order `cdktf deploy` applies them (manifest.json's
 * dependencies), each with its synthesized configuration: `stacks/<name>/cdk.tf.json` (or the `.tf` files of
 * `cdktf synth --hcl`, ephemeral.tf included, through the validator's reader), merged with any
 * `*_override.tf.json` beside it as Terraform merges override files.
 */

export interface LoadedStack {
  readonly name: string;
  readonly json: StackJson;
  /** Stacks this one is deployed after (manifest.json). */
  readonly dependencies: ReadonlyArray<string>;
}

function mergeOverride(base: Record<string, unknown>, override: JsonObject): void {
  for (const [key, value] of Object.entries(override)) {
    const existing = base[key];
    if ((key === "resource" || key === "data" || key === "ephemeral") && isObject(existing) && isObject(value)) {
      const merged: Record<string, unknown> = { ...existing };
      for (const [type, named] of Object.entries(value))
        merged[type] = { ...(isObject(merged[type]) ? merged[type] : {}), ...(isObject(named) ? named : {}) };
      base[key] = merged;
    } else if (isObject(existing) && isObject(value)) base[key] = { ...existing, ...value };
    else base[key] = value;
  }
}

function readManifest(outDir: string): Map<string, string[]> {
  const file = path.join(outDir, "manifest.json");
  const dependencies = new Map<string, string[]>();
  if (!fs.existsSync(file)) return dependencies;
  const manifest: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  const stacks = isObject(manifest) && isObject(manifest.stacks) ? manifest.stacks : {};
  for (const [name, entry] of Object.entries(stacks))
    dependencies.set(name, isObject(entry) ? asStrings(entry.dependencies) : []);
  return dependencies;
}

/** Dependencies first; among stacks ready together, name order. */
export function deployOrder<T extends { name: string; dependencies: ReadonlyArray<string> }>(stacks: T[]): T[] {
  const byName = new Map(stacks.map((stack) => [stack.name, stack]));
  const ordered: T[] = [];
  const placed = new Set<string>();
  const visit = (stack: T, path: string[]): void => {
    if (placed.has(stack.name)) return;
    if (path.includes(stack.name)) throw new Error(`stack dependency cycle: ${[...path, stack.name].join(" -> ")}`);
    for (const dep of stack.dependencies) {
      const target = byName.get(dep);
      if (target) visit(target, [...path, stack.name]);
    }
    placed.add(stack.name);
    ordered.push(stack);
  };
  [...stacks].sort((a, b) => a.name.localeCompare(b.name)).forEach((stack) => visit(stack, []));
  return ordered;
}

export async function loadRehearsalStacks(outDir: string): Promise<LoadedStack[]> {
  const manifest = readManifest(outDir);
  const stacks = await loadStacks(outDir);
  return deployOrder(
    stacks.map((stack) => {
      const json: Record<string, unknown> = { ...stack.json };
      const directory = path.join(outDir, "stacks", stack.name);
      for (const file of fs
        .readdirSync(directory)
        .filter((name) => name.endsWith("_override.tf.json"))
        .sort()) {
        const override: unknown = JSON.parse(fs.readFileSync(path.join(directory, file), "utf8"));
        if (isObject(override)) mergeOverride(json, override);
      }
      return { name: stack.name, json, dependencies: manifest.get(stack.name) ?? [] };
    }),
  );
}

/** Synthesizes a platform config into a fresh temporary directory with the app runner; returns the directory. */
export function synthesize(root: string, config: string): string {
  const outDir = path.join(mkdtempSync(path.join(tmpdir(), "rehearse-synth-")), "cdktf.out");
  const result = spawnSync(process.execPath, [path.join(root, "scripts", "app.js")], {
    cwd: root,
    env: { ...process.env, PLATFORM_CONFIG: path.resolve(config), CDKTF_OUTDIR: outDir },
    encoding: "utf8",
  });
  if (result.status !== 0)
    throw new Error(`synthesizing ${config} failed:\n${`${result.stdout ?? ""}${result.stderr ?? ""}`.trim()}`);
  return outDir;
}
