import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/**
 * @cloud-copilot/iam-simulate (and the @cloud-copilot packages it pulls in) is AGPL-3.0: a devDependency the tests
 * under __tests__/ may import, never the code the package ships or runs. Any mention of the scope in shipped code
 * (an import, a require, a dynamic import) fails here.
 */

const ROOT = resolve(__dirname, "..", "..", "..");
const SHIPPED = ["modules", "stacks", "tools", "bin", "scripts", "index.ts", "main.ts"];
const SCOPE = "@cloud-copilot";

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((name) => (name === "node_modules" ? [] : files(join(path, name))));
}

it("is not imported from shipped code", () => {
  const scanned = SHIPPED.flatMap((entry) => files(join(ROOT, entry))).filter((file) => /\.(c|m)?(t|j)sx?$/.test(file));
  expect(scanned.length).toBeGreaterThan(50);
  const offenders = scanned
    .filter((file) => readFileSync(file, "utf8").includes(SCOPE))
    .map((file) => relative(ROOT, file));
  expect(offenders).toEqual([]);
});

it("is a devDependency only", () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<
    string,
    Record<string, string> | undefined
  >;
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "bundleDependencies"])
    expect([field, Object.keys(manifest[field] ?? {}).filter((name) => name.startsWith(SCOPE))]).toEqual([field, []]);
  expect(Object.keys(manifest.devDependencies ?? {})).toContain("@cloud-copilot/iam-simulate");
});
