/**
 * DOT to SVG with Graphviz compiled to WebAssembly (bundled in the npm package: no network, no system Graphviz).
 * Loaded on first use only, so synth never pays for it.
 */
export async function renderSvg(dotSource: string): Promise<string> {
  // A real dynamic import (the package is ESM-only); compiled CommonJS keeps `import()` as is under nodenext.
  const { Graphviz } = await import("@hpcc-js/wasm-graphviz");
  const graphviz = await Graphviz.load();
  return graphviz.dot(dotSource, "svg");
}
