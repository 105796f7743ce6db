import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The product's import graph (main.ts, index.ts, modules/, stacks/): relative imports that load code at run time.
 * `import type` and `export type` are erased by the compiler and cannot form a run-time cycle, so they do not count.
 * A cycle means two modules can each see the other half-initialized; `npm test` fails on any.
 *
 *   node scripts/app.js tools/import-cycles.ts    prints the cycles, exit 1 when there is one
 */
const PRODUCT = ["main.ts", "index.ts", "modules", "stacks"];
const RUNTIME_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["'](\.{1,2}\/[^"']+)["']/gm;

export function productFiles(root: string): string[] {
  const files: string[] = [];
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory())
      readdirSync(path)
        .sort()
        .forEach((entry) => visit(join(path, entry)));
    else if (path.endsWith(".ts") && !path.endsWith(".d.ts")) files.push(path);
  };
  PRODUCT.forEach((entry) => visit(join(root, entry)));
  return files;
}

function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, "index.ts")].find((candidate) => existsSync(candidate));
}

/** Run-time imports of each file, by absolute path. */
export function importGraph(files: ReadonlyArray<string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(RUNTIME_IMPORT)]
      .map((match) => resolveImport(file, match[1]))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every elementary cycle found by depth-first search, each once, as a list of files (first file repeated last). */
export function findCycles(graph: ReadonlyMap<string, ReadonlyArray<string>>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        const key = [...cycle.slice(0, -1)].sort().join("\n");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

/**
 * The unit of architecture: a folder under modules/ (config, engine, addons, iam, policy ...), a single file
 * directly under modules/, or a top-level folder or file (stacks, main.ts, index.ts). Add-on folders belong to
 * `modules/addons`: they may import each other (echo-server imports the controller it joins).
 */
export function moduleGroup(root: string, file: string): string {
  const parts = relative(root, file).split(/[\\/]/);
  if (parts[0] === "modules" && parts.length > 2) return `modules/${parts[1]}`;
  return parts.length > 1 ? parts.slice(0, parts[0] === "modules" ? 2 : 1).join("/") : parts[0];
}

/** The graph between groups (a group's self-edges dropped). */
export function groupGraph(root: string, graph: ReadonlyMap<string, ReadonlyArray<string>>): Map<string, string[]> {
  const groups = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    const from = moduleGroup(root, file);
    const edges = groups.get(from) ?? new Set<string>();
    for (const target of targets) if (moduleGroup(root, target) !== from) edges.add(moduleGroup(root, target));
    groups.set(from, edges);
  }
  return new Map([...groups].map(([group, edges]) => [group, [...edges].sort()]));
}

/** File cycles and group cycles (e.g. config -> addons -> config) among product files. */
export function productImportCycles(root: string): string[] {
  const graph = importGraph(productFiles(root));
  const files = findCycles(graph).map((cycle) => cycle.map((file) => relative(root, file)).join(" -> "));
  const groups = findCycles(groupGraph(root, graph)).map((cycle) => `${cycle.join(" -> ")} (folders)`);
  return [...files, ...groups];
}

if (process.argv[1] === __filename) {
  const root = resolve(__dirname, "..", ...(__dirname.includes(join("dist", "tools")) ? [".."] : []));
  const cycles = productImportCycles(root);
  for (const cycle of cycles) process.stdout.write(`${cycle}\n`);
  process.stdout.write(
    cycles.length === 0 ? "no import cycles among product files\n" : `${cycles.length} import cycle(s)\n`,
  );
  process.exitCode = cycles.length === 0 ? 0 : 1;
}
