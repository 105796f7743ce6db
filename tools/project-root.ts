import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The project's root above a tool's directory, whether it runs from tools/ or from the compiled dist/tools/. */
export function projectRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "config", "example.yaml"))) return dir;
  }
  throw new Error(`cannot find the project root above ${from}`);
}
