import { LocalBackend } from "cdktf";
import type { BackendOf, BackendTarget } from "./types";

/**
 * `terraform.<stack>.tfstate` in the project root (override with `path`, `{stack}` is replaced). Relative to the
 * stack's working directory (`<outdir>/stacks/<stack>`): state files live outside cdktf.out, and remote-state
 * reads between stacks resolve to the same files.
 */
export function localBackend(target: BackendTarget, backend: BackendOf<"local">): void {
  new LocalBackend(target.stack, {
    path: (backend.path ?? "../../../terraform.{stack}.tfstate").replace("{stack}", target.stackName),
  });
}
