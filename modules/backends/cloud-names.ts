import type { BackendOf } from "./types";

/** Terraform Cloud / Enterprise: one workspace per stack, `<workspacePrefix><env>-<layer>` (plain: no cdktf). */
export function cloudWorkspaceName(backend: BackendOf<"cloud">, stackName: string): string {
  return `${backend.workspacePrefix}${stackName}`;
}
