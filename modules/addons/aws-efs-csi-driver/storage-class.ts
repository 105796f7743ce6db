import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import type { StorageConfig } from "../../config/storage-schema";
import { stableId } from "../../naming";

export const EFS_PROVISIONER = "efs.csi.aws.com";

/** The StorageClass parameters of the EFS CSI driver's dynamic provisioning (one access point per volume). */
export function efsStorageClassParameters(
  config: StorageConfig["storageClass"],
  fileSystemId: string,
): Record<string, string> {
  return {
    provisioningMode: "efs-ap",
    fileSystemId,
    directoryPerms: config.directoryPerms,
    gidRangeStart: String(config.gidRangeStart),
    gidRangeEnd: String(config.gidRangeEnd),
    basePath: config.basePath,
    ensureUniqueDirectory: String(config.ensureUniqueDirectory),
  };
}

export interface EfsStorageClassProps {
  readonly config: StorageConfig["storageClass"];
  readonly fileSystemId: string;
  /** The CSI driver (and the mount targets): a claim on the class is only served once both exist. */
  readonly dependsOn: ReadonlyArray<ITerraformDependable>;
}

/** `kubernetes_storage_class_v1.efs`, optionally the cluster's default class. */
export function efsStorageClass(scope: Construct, props: EfsStorageClassProps): StorageClassV1 {
  const config = props.config;
  return stableId(
    new StorageClassV1(scope, "efs-storage-class", {
      metadata: {
        name: config.name,
        annotations: { "storageclass.kubernetes.io/is-default-class": String(config.isDefault) },
      },
      storageProvisioner: EFS_PROVISIONER,
      parameters: efsStorageClassParameters(config, props.fileSystemId),
      reclaimPolicy: config.reclaimPolicy,
      volumeBindingMode: config.volumeBindingMode,
      dependsOn: [...props.dependsOn],
    }),
    "efs",
  );
}
