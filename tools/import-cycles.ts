import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The product's import graph (main.ts, index.ts, modules/, stacks/, tools/), read from the source text, and two
 * judges on it:
 *
 * - Cycles. Run-time imports form a cycle when two modules can each see the other half-initialized; type-only
 *   imports (`import type`, `export type`, `typeof import("./x")`) are erased, but a type cycle still ties two
 *   files together so neither can be understood, moved or tested alone. `npm test` fails on either.
 * - What a set of entry files loads at run time (`runtimeClosure`): declarations, config, planning, the report and
 *   validation must load no cdktf, constructs or provider class. A `require` inside a function (an add-on's
 *   companions, loaded when the engine renders) runs only when called, so it is a `lazy` edge and not followed.
 *
 *   node scripts/app.js tools/import-cycles.ts    prints the cycles, exit 1 when there is one
 */
const PRODUCT = ["main.ts", "index.ts", "modules", "stacks", "tools"];

/** `runtime`: loaded when the importing module loads. `type`: erased by the compiler. `lazy`: a call loads it. */
export type ImportKind = "runtime" | "type" | "lazy";

export interface ImportEdge {
  readonly specifier: string;
  readonly kind: ImportKind;
  /** The file a relative specifier resolves to (absolute); undefined for packages and unresolved paths. */
  readonly target?: string;
}

/** Packages that build constructs: what declarations, config, planning, the report and validation must not load. */
export const CONSTRUCT_PACKAGES = /^(cdktf|constructs|@cdktf\/)/;

// `import x from "y"`, `import { a, type B } from "y"`, `import "y"`, `export * from "y"`, `export { a } from "y"`.
const STATIC_IMPORT = /^\s*(import|export)\s+(type\s+)?(?:([^"';]*?)\s+from\s*)?["']([^"']+)["']/gm;
const TYPE_QUERY = /\btypeof\s+import\(\s*["']([^"']+)["']\s*\)/g;
const DYNAMIC = /(?<![\w.])(?:require|import)\(\s*["']([^"']+)["']\s*\)/g;
// A `require` assigned at the start of a line, outside any function: loaded with the module.
const TOP_LEVEL_REQUIRE = /^(?:const|let|var)\s+[^=\n]+=\s*require\(\s*["']([^"']+)["']\s*\)/gm;

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
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier.replace(/\.js$/, ""));
  return [`${base}.ts`, join(base, "index.ts"), base].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  );
}

/** `{ type A, type B }`: every named binding is a type, so the compiler drops the import. */
function onlyTypes(clause: string | undefined): boolean {
  const named = clause?.trim().match(/^\{([^}]*)\}$/);
  if (!named) return false;
  const names = named[1]
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  return names.length > 0 && names.every((name) => /^type\s/.test(name));
}

/** The imports written in one file's text: each specifier once per kind, in order of appearance. */
export function parseImports(file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const add = (specifier: string, kind: ImportKind) => {
    if (edges.some((edge) => edge.specifier === specifier && edge.kind === kind)) return;
    edges.push({ specifier, kind, target: resolveImport(file, specifier) });
  };
  for (const [, , type, clause, specifier] of text.matchAll(STATIC_IMPORT))
    add(specifier, type || onlyTypes(clause) ? "type" : "runtime");
  for (const [, specifier] of text.matchAll(TOP_LEVEL_REQUIRE)) add(specifier, "runtime");
  for (const [, specifier] of text.matchAll(TYPE_QUERY)) add(specifier, "type");
  const typeQueries = new Set([...text.matchAll(TYPE_QUERY)].map((match) => match.index + match[0].indexOf("import(")));
  for (const match of text.matchAll(DYNAMIC)) if (!typeQueries.has(match.index)) add(match[1], "lazy");
  return edges;
}

/** The file's imports, read from disk. */
export function fileImports(file: string): ImportEdge[] {
  return parseImports(file, readFileSync(file, "utf8"));
}

/** Imports of the given kinds between the files (relative imports that resolve), by absolute path. */
export function importGraph(
  files: ReadonlyArray<string>,
  kinds: ReadonlyArray<ImportKind> = ["runtime"],
  imports: (file: string) => ReadonlyArray<ImportEdge> = fileImports,
): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = imports(file)
      .filter((edge) => kinds.includes(edge.kind))
      .map((edge) => edge.target)
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** A package import reached at run time, and how: entry -> ... -> the importing file -> the package. */
export interface PackageLoad {
  readonly file: string;
  readonly specifier: string;
  readonly chain: ReadonlyArray<string>;
}

export interface RuntimeClosure {
  /** Every file the entries load at run time (module-level imports, followed transitively), root-relative. */
  readonly files: ReadonlyArray<string>;
  /** Each file of the closure that imports a matching package, with the shortest chain from an entry. */
  readonly loads: ReadonlyArray<PackageLoad>;
}

/**
 * What loading `entries` (root-relative) loads: the run-time import closure, and every import in it of a package
 * matching `packages` (cdktf, constructs, @cdktf/* by default). Lazy and type-only edges are not followed.
 */
export function runtimeClosure(
  root: string,
  entries: ReadonlyArray<string>,
  packages: RegExp = CONSTRUCT_PACKAGES,
  imports: (file: string) => ReadonlyArray<ImportEdge> = fileImports,
): RuntimeClosure {
  const parent = new Map<string, string | undefined>();
  const queue = entries.map((entry) => resolve(root, entry));
  queue.forEach((file) => parent.set(file, undefined));
  const loads: PackageLoad[] = [];
  const chainTo = (file: string): string[] => {
    const chain: string[] = [];
    for (let at: string | undefined = file; at !== undefined; at = parent.get(at)) chain.unshift(relative(root, at));
    return chain;
  };
  for (let index = 0; index < queue.length; index++) {
    const file = queue[index];
    for (const edge of imports(file)) {
      if (edge.kind !== "runtime") continue;
      if (edge.target === undefined) {
        if (packages.test(edge.specifier))
          loads.push({
            file: relative(root, file),
            specifier: edge.specifier,
            chain: [...chainTo(file), edge.specifier],
          });
      } else if (!parent.has(edge.target)) {
        parent.set(edge.target, file);
        queue.push(edge.target);
      }
    }
  }
  return { files: queue.map((file) => relative(root, file)), loads };
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
 * The unit of architecture: a folder under modules/ or tools/ (config, engine, addons, report ...), a single file
 * directly under them, or a top-level folder or file (stacks, main.ts, index.ts). Add-on folders belong to
 * `modules/addons`: they may import each other (echo-server imports the controller it joins).
 */
export function moduleGroup(root: string, file: string): string {
  const parts = relative(root, file).split(/[\\/]/);
  const nested = parts[0] === "modules" || parts[0] === "tools";
  return parts.slice(0, nested ? 2 : 1).join("/");
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

export interface CycleOptions {
  /** Count type-only imports too (`import type`, `export type`, `typeof import(...)`): default false. */
  readonly types?: boolean;
}

/** File cycles and group cycles (e.g. config -> addons -> config) among product files. */
export function productImportCycles(root: string, options: CycleOptions = {}): string[] {
  const kinds: ImportKind[] = options.types ? ["runtime", "type"] : ["runtime"];
  const graph = importGraph(productFiles(root), kinds);
  const files = findCycles(graph).map((cycle) => cycle.map((file) => relative(root, file)).join(" -> "));
  const groups = findCycles(groupGraph(root, graph)).map((cycle) => `${cycle.join(" -> ")} (folders)`);
  return [...files, ...groups];
}

if (process.argv[1] === __filename) {
  const root = resolve(__dirname, "..", ...(__dirname.includes(join("dist", "tools")) ? [".."] : []));
  const runtime = productImportCycles(root);
  const types = productImportCycles(root, { types: true }).filter((cycle) => !runtime.includes(cycle));
  for (const cycle of runtime) process.stdout.write(`${cycle}\n`);
  for (const cycle of types) process.stdout.write(`${cycle} (with type-only imports)\n`);
  const count = runtime.length + types.length;
  process.stdout.write(count === 0 ? "no import cycles among product files\n" : `${count} import cycle(s)\n`);
  process.exitCode = count === 0 ? 0 : 1;
}
