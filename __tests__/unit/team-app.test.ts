import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TEAM_APP_FILES, teamAppFiles } from "../../tools/team-app";

/**
 * Issue 22 item 8: the README's team app is one that works today. tools/pack-check.sh builds exactly these files
 * against the packed package (CI); here, what it cannot drift from: the versions are this project's, every package
 * main.ts imports is declared, and the app command compiles with the project's TypeScript and runs the result.
 */

type Manifest = {
  name: string;
  version: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

const root = join(__dirname, "..", "..");
const project = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Manifest;
const files = teamAppFiles(readFileSync(join(root, "README.md"), "utf8"));
const app = JSON.parse(files["package.json"]) as Manifest;
const pinned = (name: string) => project.dependencies?.[name] ?? project.devDependencies?.[name];

it("the README has every file of the team app, each once", () => {
  expect(Object.keys(files).sort()).toEqual([...TEAM_APP_FILES].sort());
});

it("its package.json pins exactly the versions this release is built and tested with", () => {
  const declared = { ...app.dependencies, ...app.devDependencies };
  expect(declared[project.name]).toBe(project.version);
  for (const [name, version] of Object.entries(declared).filter(([name]) => name !== project.name))
    expect([name, version]).toEqual([name, pinned(name)]);
  // The package's peers, once each, at the versions in its own range that this project resolves.
  for (const peer of Object.keys(project.peerDependencies ?? {})) expect(app.dependencies?.[peer]).toBe(pinned(peer));
});

it("main.ts imports only packages its package.json declares, provider classes by deep path", () => {
  const imported = [...files["main.ts"].matchAll(/from "([^"]+)"/g)].map(([, specifier]) => specifier);
  const packageOf = (specifier: string) =>
    specifier
      .split("/")
      .slice(0, specifier.startsWith("@") ? 2 : 1)
      .join("/");
  expect(imported.length).toBeGreaterThan(0);
  for (const specifier of imported) expect(app.dependencies).toHaveProperty([packageOf(specifier)]);
  for (const specifier of imported.filter((name) => name.startsWith("@cdktf/provider-")))
    expect(specifier).toMatch(/^@cdktf\/provider-[a-z]+\/lib\/[\w-]+$/);
});

it("its app command compiles with TypeScript 7's tsc and runs the JavaScript (no ts-node, no ts-jest)", () => {
  const cdktf = JSON.parse(files["cdktf.json"]) as { language: string; app: string };
  expect(cdktf).toMatchObject({ language: "typescript", app: "npm run --silent app" });
  const tsconfig = JSON.parse(files["tsconfig.json"]) as { compilerOptions: { outDir: string } };
  expect(app.scripts?.app).toBe(`tsc && node ${tsconfig.compilerOptions.outDir}/main.js`);
  expect(app.devDependencies?.typescript).toMatch(/^7\./);
  const runners = Object.keys({ ...app.dependencies, ...app.devDependencies }).filter((name) =>
    /^(ts-node|ts-jest|tsx)$/.test(name),
  );
  expect(runners).toEqual([]);
});
