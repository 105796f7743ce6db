import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { join, normalize } from "node:path";

/** The file work of replacing an outdir (modules/synth.ts): what is carried over, what may be deleted, and how. */

/** Unlike existsSync, true for a dangling symlink too: something is at the path, nothing may be renamed onto it. */
export const pathExists = (path: string): boolean => lstatSync(path, { throwIfNoEntry: false }) !== undefined;

/**
 * Deletes a tree; undefined when it is gone, else why not. A directory without owner write (a read-only
 * previous output, a provider cache Terraform made read-only) cannot be emptied by its owner: its directories
 * are made writable and the deletion is tried once more. Only directories are changed: files may be hard links
 * into the new output (`cloneTree`), whose modes must stay as they are.
 */
export function removeTree(path: string): Error | undefined {
  try {
    rmSync(path, { recursive: true, force: true });
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EACCES" && code !== "EPERM") return error as Error;
  }
  try {
    makeDirectoriesWritable(path);
  } catch {
    // not ours to change (another owner): the second attempt reports why
  }
  try {
    rmSync(path, { recursive: true, force: true });
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

function makeDirectoriesWritable(path: string): void {
  const stats = lstatSync(path, { throwIfNoEntry: false });
  if (!stats?.isDirectory()) return;
  if ((stats.mode & 0o700) !== 0o700) chmodSync(path, (stats.mode & 0o7777) | 0o700);
  for (const name of readdirSync(path)) makeDirectoriesWritable(join(path, name));
}

/** Working directories (`stacks/<name>`) of the stacks just synthesized, from cdktf's manifest. */
export function stackDirectories(outdir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks?: Record<string, { workingDirectory?: string }>;
  };
  return Object.values(manifest.stacks ?? {}).flatMap((stack) =>
    stack.workingDirectory ? [normalize(stack.workingDirectory)] : [],
  );
}

/**
 * Terraform's own files in a stack's directory, which a new synth must not lose: `.terraform/` (providers,
 * modules, backend settings), the dependency lock file, and local state (`*.tfstate`, `.backup`, the lock
 * info, `terraform.tfstate.d/` workspaces). Everything else there was synthesized and is replaced.
 */
const TERRAFORM_WORKING_FILE = /^\.terraform$|^\.terraform\.lock\.hcl$|\.tfstate/;

export function carryOverWorkingFiles(from: string, to: string): void {
  // A stack new in this synth has no directory in the old output.
  for (const name of existsSync(from) ? readdirSync(from) : []) {
    if (TERRAFORM_WORKING_FILE.test(name) && !existsSync(join(to, name))) cloneTree(join(from, name), join(to, name));
  }
}

/**
 * Copies a tree with hard links: instant for provider binaries of hundreds of MB, and the old tree is deleted. A
 * directory gets its mode once it is filled, so a read-only one is copied too.
 */
function cloneTree(from: string, to: string): void {
  const stats = lstatSync(from);
  if (stats.isDirectory()) {
    mkdirSync(to, { mode: 0o700 });
    for (const name of readdirSync(from)) cloneTree(join(from, name), join(to, name));
    chmodSync(to, stats.mode & 0o7777);
  } else if (stats.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to); // the plugin cache links providers in; relative links stay valid
  } else {
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to); // a filesystem without hard links
    }
  }
}

/** Stacks of the previous output that are not synthesized any more (their directories go with the old output). */
export function droppedStacks(previous: string, remaining: ReadonlyArray<string>): string[] {
  const stacks = join(previous, "stacks");
  return (existsSync(stacks) ? readdirSync(stacks) : []).filter((name) => !remaining.includes(join("stacks", name)));
}

/**
 * No synth ever deletes a state file. The old output is deleted as a whole; what survives is only what
 * `carryOverWorkingFiles` copies: the top-level Terraform files of stacks synthesized again. Any other state in
 * it (`*.tfstate*` anywhere, a `*.tfstate.d` workspace directory, a dropped stack's state, even one recording no
 * resources) would be lost, so the synth refuses, naming each file, before anything is changed. `.terraform/`
 * holds Terraform's backend settings file (`terraform.tfstate`), no state: it is not looked into.
 */
export function refuseStateThatWouldBeDeleted(previous: string, remaining: ReadonlyArray<string>): void {
  const lost: string[] = [];
  const visit = (relativeDir: string) => {
    for (const entry of readdirSync(join(previous, relativeDir), { withFileTypes: true })) {
      const relativePath = relativeDir === "" ? entry.name : join(relativeDir, entry.name);
      if (entry.name === ".terraform" || entry.isSymbolicLink()) continue;
      const carried =
        remaining.includes(relativeDir) && TERRAFORM_WORKING_FILE.test(entry.name) && entry.name !== ".terraform";
      if (carried) continue;
      if (entry.isDirectory()) visit(relativePath);
      else if (/\.tfstate/.test(entry.name)) lost.push(relativePath);
    }
  };
  visit("");
  if (lost.length === 0) return;
  const dropped = new Set(droppedStacks(previous, remaining));
  const named = lost.map((file) => {
    const stack = /^stacks[\\/]([^\\/]+)[\\/]/.exec(file)?.[1];
    return stack !== undefined && dropped.has(stack) ? `${file} (stack ${stack} is no longer synthesized)` : file;
  });
  throw new Error(
    `${previous} holds state that replacing it would delete: ${named.join(", ")}. A synth replaces the output directory as a whole and carries over only the top-level state files of the stacks it synthesizes again. Move each file out of ${previous} (for a stack no longer synthesized, after \`terraform destroy\` there if it still manages resources) and point the local backend's path at the new place`,
  );
}
