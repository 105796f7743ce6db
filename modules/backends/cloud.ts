import { CloudBackend, NamedCloudWorkspace } from "cdktf";
import type { BackendOf, BackendTarget } from "./types";

/** Terraform Cloud / Enterprise: one workspace per stack, `<workspacePrefix><env>-<layer>`. */
export function cloudWorkspaceName(backend: BackendOf<"cloud">, stackName: string): string {
  return `${backend.workspacePrefix}${stackName}`;
}

export function cloudBackend(target: BackendTarget, backend: BackendOf<"cloud">): void {
  new CloudBackend(target.stack, {
    hostname: backend.hostname,
    organization: backend.organization,
    workspaces: new NamedCloudWorkspace(cloudWorkspaceName(backend, target.stackName), backend.project),
  });
}
