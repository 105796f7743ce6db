import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./project-root";

/**
 * The team app the README shows (section "Layout and library use"): its files are the fenced blocks whose info
 * string names one (```` ```json package.json ````, ```` ```ts main.ts ````). tools/pack-check.sh writes exactly
 * these into a fresh directory, with the package's own dependency pointing at the packed tarball, and runs the
 * app command of its cdktf.json; a unit test keeps the versions in its package.json equal to this project's.
 *
 *   node dist/tools/team-app.js <README.md> <app dir> <tarball>
 */

export const TEAM_APP_SECTION = "## Layout and library use";
export const TEAM_APP_FILES = ["package.json", "tsconfig.json", "cdktf.json", "main.ts"] as const;
export type TeamAppFile = (typeof TEAM_APP_FILES)[number];

/** The README's team app: file name -> content. Throws naming what is missing. */
export function teamAppFiles(readme: string): Record<TeamAppFile, string> {
  const start = readme.indexOf(TEAM_APP_SECTION);
  if (start < 0) throw new Error(`the README has no '${TEAM_APP_SECTION}' section`);
  const next = readme.indexOf("\n## ", start + TEAM_APP_SECTION.length);
  const section = readme.slice(start, next < 0 ? undefined : next);
  const files: Partial<Record<TeamAppFile, string>> = {};
  for (const [, name, body] of section.matchAll(/^```[a-z]+ ([\w.-]+)\n([\s\S]*?)^```$/gm)) {
    if (!(TEAM_APP_FILES as ReadonlyArray<string>).includes(name)) continue;
    if (files[name as TeamAppFile] !== undefined) throw new Error(`the README's team app has ${name} twice`);
    files[name as TeamAppFile] = body;
  }
  const missing = TEAM_APP_FILES.filter((name) => files[name] === undefined);
  if (missing.length > 0)
    throw new Error(`the README's '${TEAM_APP_SECTION}' section has no ${missing.join(", ")} block for the team app`);
  return files as Record<TeamAppFile, string>;
}

interface Manifest {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
}

/** Writes the README's team app into `dir`, its dependency on `packageName` replaced by `file:<tarball>`. */
export function writeTeamApp(readme: string, dir: string, packageName: string, tarball: string): void {
  const files = teamAppFiles(readme);
  const manifest = JSON.parse(files["package.json"]) as Manifest;
  if (manifest.dependencies?.[packageName] === undefined)
    throw new Error(`the README's team app package.json does not depend on ${packageName}`);
  const packed = { ...manifest, dependencies: { ...manifest.dependencies, [packageName]: `file:${tarball}` } };
  mkdirSync(dir, { recursive: true });
  for (const name of TEAM_APP_FILES)
    writeFileSync(join(dir, name), name === "package.json" ? `${JSON.stringify(packed, null, 2)}\n` : files[name]);
}

if (require.main === module) {
  const [readmePath, dir, tarball] = process.argv.slice(2);
  if (!readmePath || !dir || !tarball) {
    process.stderr.write("usage: node dist/tools/team-app.js <README.md> <app dir> <tarball>\n");
    process.exit(2);
  }
  const readme = readFileSync(readmePath, "utf8");
  const own = JSON.parse(readFileSync(join(projectRoot(__dirname), "package.json"), "utf8")) as Manifest;
  writeTeamApp(readme, dir, own.name, tarball);
}
