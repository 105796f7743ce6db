import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from "cdktf";
import { cloudWorkspaceName } from "../backends/cloud";
import type { BackendConfig } from "../config/backend-schema";
import { TERRAFORM_CLOUD_STACK } from "./settings";

/**
 * The terraform-cloud stack's own state. The environments' backend renderers (modules/backends) key state by
 * environment, which this stack has none of, so it has its own: the same three types and the same conventions
 * (`terraform.<stack>.tfstate` beside the others, `<keyPrefix>/<stack>.tfstate`, `<workspacePrefix><stack>`).
 * Exhaustive by type, like BACKENDS.
 */
const RENDERERS: {
  readonly [T in BackendConfig["type"]]: (stack: TerraformStack, backend: Extract<BackendConfig, { type: T }>) => void;
} = {
  local: (stack, backend) =>
    void new LocalBackend(stack, {
      path: (backend.path ?? "../../../terraform.{stack}.tfstate").replace("{stack}", TERRAFORM_CLOUD_STACK),
    }),
  s3: (stack, backend) => {
    const s3 = new S3Backend(stack, {
      bucket: backend.bucket,
      key: `${backend.keyPrefix ? `${backend.keyPrefix}/` : ""}${TERRAFORM_CLOUD_STACK}.tfstate`,
      // The config checks require a region here (terraformCloud.backend.region): no environment to default to.
      region: backend.region ?? "",
      encrypt: true,
      kmsKeyId: backend.kmsKeyId,
    });
    if (backend.useLockfile) s3.addOverride("use_lockfile", true);
  },
  cloud: (stack, backend) =>
    void new CloudBackend(stack, {
      hostname: backend.hostname,
      organization: backend.organization,
      workspaces: new NamedCloudWorkspace(cloudWorkspaceName(backend, TERRAFORM_CLOUD_STACK), backend.project),
    }),
};

export function terraformCloudBackend(stack: TerraformStack, backend: BackendConfig): void {
  (RENDERERS[backend.type] as (stack: TerraformStack, backend: BackendConfig) => void)(stack, backend);
}
