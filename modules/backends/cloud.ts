import { CloudBackend, NamedCloudWorkspace } from "cdktf";
import type { BackendOf, BackendTarget } from "./types";
import { cloudWorkspaceName } from "./cloud-names";
export { cloudWorkspaceName };

export function cloudBackend(target: BackendTarget, backend: BackendOf<"cloud">): void {
  new CloudBackend(target.stack, {
    hostname: backend.hostname,
    organization: backend.organization,
    workspaces: new NamedCloudWorkspace(cloudWorkspaceName(backend, target.stackName), backend.project),
  });
}
