import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import type { EbsStorageClassConfig } from "../../config/storage-schema";
import { stableId } from "../../naming";

export const EBS_PROVISIONER = "ebs.csi.aws.com";

/** The StorageClass parameters of the EBS CSI driver: encrypted gp3, with the customer key when there is one. */
export function ebsStorageClassParameters(
  config: EbsStorageClassConfig,
  kmsKeyArn: string | undefined,
): Record<string, string> {
  return {
    type: "gp3",
    encrypted: "true",
    ...(kmsKeyArn ? { kmsKeyId: kmsKeyArn } : {}),
    "csi.storage.k8s.io/fstype": config.fsType,
  };
}

export interface EbsStorageClassProps {
  readonly config: EbsStorageClassConfig;
  /** Whether it is the cluster's default class (`ebsClassIsDefault`). */
  readonly isDefault: boolean;
  /** The customer key of the volumes; undefined: the account's default EBS key. */
  readonly kmsKeyArn?: string;
  /** The CSI driver: a claim on the class is only served once it runs. */
  readonly dependsOn: ReadonlyArray<ITerraformDependable>;
}

/**
 * `kubernetes_storage_class_v1.ebs`: bound when the pod is scheduled (an EBS volume lives in one availability
 * zone, so it is created where the pod lands), expandable in place.
 */
export function ebsStorageClass(scope: Construct, props: EbsStorageClassProps): StorageClassV1 {
  const config = props.config;
  return stableId(
    new StorageClassV1(scope, "ebs-storage-class", {
      metadata: {
        name: config.name,
        annotations: { "storageclass.kubernetes.io/is-default-class": String(props.isDefault) },
      },
      storageProvisioner: EBS_PROVISIONER,
      parameters: ebsStorageClassParameters(config, props.kmsKeyArn),
      reclaimPolicy: config.reclaimPolicy,
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      dependsOn: [...props.dependsOn],
    }),
    "ebs",
  );
}
