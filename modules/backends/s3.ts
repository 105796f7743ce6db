import { S3Backend } from "cdktf";
import type { BackendOf, BackendTarget } from "./types";

/** `<keyPrefix>/<env>/<layer>.tfstate` (a team stack: `<env>/team-<name>.tfstate`), encrypted, with S3-native locking; assumes the environment's role. */
export function s3Backend(target: BackendTarget, backend: BackendOf<"s3">): void {
  const { environment } = target;
  const s3 = new S3Backend(target.stack, {
    bucket: backend.bucket,
    key: `${backend.keyPrefix ? `${backend.keyPrefix}/` : ""}${environment.name}/${target.unit}.tfstate`,
    region: backend.region ?? environment.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyId,
    assumeRole: environment.assumeRoleArn
      ? { roleArn: environment.assumeRoleArn, externalId: environment.externalId, sessionName: environment.sessionName }
      : undefined,
  });
  // S3-native state locking (Terraform >= 1.10); cdktf 0.21 has no typed field for it yet.
  if (backend.useLockfile) s3.addOverride("use_lockfile", true);
}
