import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/schema";

/**
 * One state per stack. Local: `terraform.<stack>.tfstate` in the project root (override with `path`). S3: `<keyPrefix>/<env>/<layer>.tfstate`,
 * encrypted, with S3-native locking. Terraform Cloud: one workspace per stack (`<workspacePrefix><env>-<layer>`).
 * cdktf turns cross-stack references into remote-state reads matching the backend.
 */
export function configureBackend(stack: TerraformStack, environment: EnvironmentConfig, layer: string, name: string): void {
  const backend = environment.backend;
  switch (backend.type) {
    case "local":
      // Relative to the stack's working directory (`<outdir>/stacks/<stack>`): state files live in the project
      // root, outside cdktf.out, and remote-state reads between stacks resolve to the same files.
      new LocalBackend(stack, { path: (backend.path ?? "../../../terraform.{stack}.tfstate").replace("{stack}", name) });
      return;
    case "s3": {
      const s3 = new S3Backend(stack, {
        bucket: backend.bucket,
        key: `${backend.keyPrefix ? `${backend.keyPrefix}/` : ""}${environment.name}/${layer}.tfstate`,
        region: backend.region ?? environment.region,
        encrypt: true,
        kmsKeyId: backend.kmsKeyId,
        assumeRole: environment.assumeRoleArn ? { roleArn: environment.assumeRoleArn, externalId: environment.externalId, sessionName: environment.sessionName } : undefined,
      });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21 has no typed field for it yet.
      if (backend.useLockfile) s3.addOverride("use_lockfile", true);
      return;
    }
    case "cloud":
      new CloudBackend(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(`${backend.workspacePrefix}${name}`, backend.project),
      });
      return;
  }
}
