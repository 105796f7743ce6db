import { z } from "zod";
import { fields } from "./fields";
import { bounded } from "./text";

/**
 * The storage layer's settings: the EFS file system and its StorageClass (`efs`, `storageClass`), and the EBS CSI
 * driver's gp3 StorageClass (`ebs.storageClass`). A cluster has at most one default StorageClass: both marked
 * default is refused here, with the fix.
 */

const ebsStorageClassParameters = z.strictObject({
  name: fields.dnsLabel
    .default("gp3")
    .describe("Name of the EBS StorageClass, for a claim's `storageClassName` (a StatefulSet's volumeClaimTemplates)."),
  isDefault: z
    .boolean()
    .optional()
    .describe(
      "Mark it as the cluster's default StorageClass (`storageclass.kubernetes.io/is-default-class`), used by claims that name no class. Default: true, unless the EFS class is the default (`storage.storageClass.isDefault: true`): a cluster has one default class, so both `true` is refused.",
    ),
  encryptionKey: z
    .enum(["platform", "account-default"])
    .default("platform")
    .describe(
      "KMS key of the volumes (they are always encrypted). `platform` (default): the environment's customer key, `cluster.kmsKeyArn` when set, else a key the storage layer creates for EBS (`alias/ebs/<cluster>`, rotation on, `prevent_destroy`); the class names it in `kmsKeyId` and the driver's role gets grants on that key only. `account-default`: the account's default EBS key (`aws/ebs` unless the account changed it), no `kmsKeyId` and no KMS grants.",
    ),
  fsType: z
    .enum(["ext4", "xfs"])
    .default("ext4")
    .describe("File system the driver formats each volume with (`csi.storage.k8s.io/fstype`); default ext4."),
  reclaimPolicy: z
    .enum(["Delete", "Retain"])
    .default("Delete")
    .describe(
      "What happens to a volume when its claim is deleted: `Delete` (default) deletes the EBS volume, `Retain` keeps it (a Released PersistentVolume to reclaim by hand). Deleting the storage layer deletes neither: volumes go only with their claims.",
    ),
});

const efsStorageClassParameters = z
  .strictObject({
    name: fields.dnsLabel.default("efs-sc").describe("Name of the StorageClass, for a claim's `storageClassName`."),
    isDefault: z
      .boolean()
      .default(false)
      .describe(
        "Mark it as the cluster's default StorageClass (`storageclass.kubernetes.io/is-default-class`), used by claims that name no class.",
      ),
    directoryPerms: z
      .string()
      .regex(/^[0-7]{3}$/, { message: "must be octal permissions such as 700 or 750" })
      .default("700")
      .describe(
        "Octal permissions of each volume's access-point root directory; 700 lets only the volume's own POSIX user in. A mode with any bit for other users (777, 755) needs a waiver of the policy rule EFS_DIRECTORY_PERMS.",
      ),
    gidRangeStart: z
      .number()
      .int()
      .min(1)
      .max(2147483647)
      .default(50000)
      .describe("First POSIX group id handed to volumes (one per access point); the default is the driver's."),
    gidRangeEnd: z
      .number()
      .int()
      .min(1)
      .max(2147483647)
      .default(7000000)
      .describe("Last POSIX group id handed to volumes; not below `gidRangeStart`. The default is the driver's."),
    basePath: bounded(100)
      .regex(/^\/[\w.\-/]*$/, { message: "must be an absolute path such as /dynamic_provisioning" })
      .default("/dynamic_provisioning")
      .describe("Directory on the file system under which volumes are created."),
    ensureUniqueDirectory: z
      .boolean()
      .default(true)
      .describe("Give every volume its own directory even when PVC names repeat across namespaces."),
    reclaimPolicy: z
      .enum(["Delete", "Retain"])
      .default("Delete")
      .describe(
        "`Delete` removes the access point when the claim goes; the data under basePath stays on the file system.",
      ),
    volumeBindingMode: z
      .enum(["Immediate", "WaitForFirstConsumer"])
      .default("Immediate")
      .describe("When a claim binds: EFS is regional, so by default at once, before a pod is scheduled."),
  })
  .superRefine((storageClass, ctx) => {
    if (storageClass.gidRangeStart > storageClass.gidRangeEnd) {
      ctx.addIssue({
        code: "custom",
        path: ["gidRangeEnd"],
        message: `must not be below gidRangeStart (${storageClass.gidRangeStart})`,
        input: storageClass.gidRangeEnd,
      });
    }
  });

export const storageSchema = z
  .strictObject({
    efs: z
      .strictObject({
        performanceMode: z
          .enum(["generalPurpose", "maxIO"])
          .default("generalPurpose")
          .describe(
            "EFS performance mode, fixed when the file system is created: `generalPurpose` has the lowest latency, `maxIO` suits highly parallel workloads.",
          ),
        throughputMode: z
          .enum(["elastic", "bursting"])
          .default("elastic")
          .describe(
            "EFS throughput mode: `elastic` scales with the workload and bills for what is used; `bursting` scales with the amount stored.",
          ),
        transitionToIA: z
          .enum(["AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS"])
          .default("AFTER_30_DAYS")
          .describe("Files not read for this long move to Infrequent Access; reading one moves it back."),
        backups: z
          .boolean()
          .default(true)
          .describe(
            "AWS Backup's daily automatic backups of the file system (`aws_efs_backup_policy`); the policy pack expects them on.",
          ),
      })
      .prefault({})
      .describe(
        "The shared EFS file system: encrypted with a customer key, TLS-only, a mount target per private subnet, `prevent_destroy`.",
      ),
    storageClass: efsStorageClassParameters
      .prefault({})
      .describe("The EFS CSI driver's StorageClass: dynamic provisioning, one access point per volume."),
    ebs: z
      .strictObject({
        storageClass: ebsStorageClassParameters
          .prefault({})
          .describe(
            "The EBS CSI driver's StorageClass: encrypted gp3 volumes, bound when a pod is scheduled (`WaitForFirstConsumer`: EBS is zonal), expandable.",
          ),
      })
      .prefault({})
      .describe("Block storage: the EBS CSI driver's settings (the `aws-ebs-csi-driver` add-on)."),
  })
  .superRefine((storage, ctx) => {
    const efs = storage.storageClass;
    const ebs = storage.ebs.storageClass;
    if (ebs.isDefault === true && efs.isDefault) {
      ctx.addIssue({
        code: "custom",
        path: ["ebs", "storageClass", "isDefault"],
        message: `the EFS StorageClass ${efs.name} is already the default (storage.storageClass.isDefault): a cluster has one default StorageClass`,
        input: ebs.isDefault,
        params: { fix: "set storage.ebs.storageClass.isDefault: false, or storage.storageClass.isDefault: false" },
      });
    }
    if (ebs.name === efs.name) {
      ctx.addIssue({
        code: "custom",
        path: ["ebs", "storageClass", "name"],
        message: "is the EFS StorageClass's name too (storage.storageClass.name): two classes cannot share a name",
        input: ebs.name,
        params: { fix: "give storage.ebs.storageClass.name or storage.storageClass.name another name" },
      });
    }
  })
  .prefault({});

export type StorageConfig = z.output<typeof storageSchema>;
export type EbsStorageClassConfig = StorageConfig["ebs"]["storageClass"];

/** Whether the EBS class is the cluster's default: as configured, else exactly when the EFS class is not. */
export function ebsClassIsDefault(storage: StorageConfig): boolean {
  return storage.ebs.storageClass.isDefault ?? !storage.storageClass.isDefault;
}
