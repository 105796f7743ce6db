import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The test layers hold (docs/testing.md): every test file is in unit/, synth/ or process/, and nothing a unit test
 * loads, directly or through any chain of imports, is cdktf, constructs or a provider class. Judged on the import
 * graph as written (module-level runtime imports; `import type` is erased), so a helper or product module
 * that starts importing cdktf moves the failure to every unit test that reaches it, with the chain printed.
 */

const ROOT = join(__dirname, "..", "..");
const TESTS = join(ROOT, "__tests__");
const FORBIDDEN = /^(cdktf|constructs|@cdktf\/)/;
// Module-level imports only: a `require` inside a function (an add-on's companions, loaded when the engine
// renders) runs only when called, which is the point of it.
const RUNTIME = /^\s*(?:import|export)\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.js`, join(base, "index.ts"), join(base, "index.js")].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  );
}

/** The first chain from `entry` to a forbidden package, or undefined. */
function forbiddenChain(entry: string): string[] | undefined {
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]): string[] | undefined => {
    if (seen.has(file)) return undefined;
    seen.add(file);
    for (const match of readFileSync(file, "utf8").matchAll(RUNTIME)) {
      const specifier = match[1];
      if (FORBIDDEN.test(specifier)) return [...chain, specifier];
      if (!specifier.startsWith(".")) continue;
      const target = resolveLocal(file, specifier);
      if (!target) continue;
      const found = walk(target, [...chain, relative(ROOT, target)]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(entry, [relative(ROOT, entry)]);
}

const testFiles = files(TESTS).filter((file) => file.endsWith(".test.ts"));

it("every test file is in a layer: unit/, synth/ or process/", () => {
  const outside = testFiles
    .map((file) => relative(TESTS, file))
    .filter((file) => !/^(unit|synth|process)\//.test(file));
  expect(outside).toEqual([]);
});

describe.each(
  testFiles.filter((file) => relative(TESTS, file).startsWith("unit/")).map((file) => [relative(TESTS, file), file]),
)("unit test %s", (_name, file) => {
  it("loads no cdktf, constructs or provider class through any import", () => {
    expect(forbiddenChain(file)).toBeUndefined();
  });
});

it("the judge sees a chain through product code (a synth helper reaches cdktf)", () => {
  expect(forbiddenChain(join(TESTS, "helpers", "synth.ts"))).toEqual(
    expect.arrayContaining(["__tests__/helpers/synth.ts"]),
  );
});
