import { z } from "zod";
import { DEFAULT_KARPENTER_AMI_ALIAS } from "../versions";
import { fields } from "./cluster-schema";

const quantity = z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?(m|k|Ki|Mi|Gi|Ti|Pi|M|G|T|P)?$/, { message: "must be a Kubernetes quantity such as 1000, 500m or 4000Gi" })]);
const duration = z.string().regex(/^(Never|(\d+(s|m|h))+)$/, { message: "must be a duration such as 30s, 5m, 720h or Never" });

const taint = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

export const nodePoolSchema = z.strictObject({
  name: fields.dnsLabel,
  capacityTypes: z.array(z.enum(["on-demand", "spot", "reserved"])).min(1).default(["on-demand", "spot"]),
  architectures: z.array(z.enum(["amd64", "arm64"])).min(1).default(["amd64", "arm64"]),
  instanceCategories: z.array(z.string().regex(/^[a-z]+$/)).min(1).default(["c", "m", "r"]),
  instanceFamilies: z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1).optional(),
  /** Oldest instance generation allowed, e.g. 5 allows m5 and newer (Karpenter's `instance-generation Gt <this - 1>`). */
  minInstanceGeneration: z.number().int().min(1).default(5),
  limits: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).default({ cpu: 1000, memory: "1000Gi" }),
  disruption: z
    .strictObject({
      consolidationPolicy: z.enum(["WhenEmptyOrUnderutilized", "WhenEmpty"]).default("WhenEmptyOrUnderutilized"),
      consolidateAfter: duration.default("1m"),
      /** Share of nodes that may be disrupted at once, e.g. "10%". */
      budget: z.string().regex(/^(\d+%|\d+)$/).default("10%"),
    })
    .prefault({}),
  expireAfter: duration.default("720h"),
  taints: z.array(taint).default([]),
  labels: z.record(z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9._-]+$/), z.string().max(63)).default({}),
  weight: z.number().int().min(1).max(100).optional(),
});

export const karpenterSchema = z
  .strictObject({
    /** EC2NodeClass AMI alias, pinned: `al2023@vYYYYMMDD` or `bottlerocket@vX.Y.Z`. `@latest` is refused. */
    amiAlias: z
      .string()
      .regex(/^(al2023|bottlerocket)@v[\d.]+$/, { message: "must be a pinned AMI alias such as al2023@v20251112 (never @latest)" })
      .default(DEFAULT_KARPENTER_AMI_ALIAS),
    rootVolumeSize: z.string().regex(/^\d+Gi$/, { message: "must be a size in Gi such as 50Gi" }).default("50Gi"),
    /** Node pools; a general-purpose `default` pool is created when none is given. */
    nodePools: z.array(nodePoolSchema).min(1).optional(),
  })
  .prefault({});

export const dnsSchema = z.strictObject({
  domain: z.string().regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { message: "must be a DNS domain such as dev.example.com" }),
  hostedZoneId: z.string().regex(/^Z[A-Z0-9]{4,31}$/, { message: "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" }),
});

export const networkSchema = z
  .strictObject({
    ingress: z
      .strictObject({
        scheme: z.enum(["internet-facing", "internal"]).default("internet-facing"),
        sslPolicy: z.string().regex(/^ELBSecurityPolicy-/, { message: "must be an ELB security policy such as ELBSecurityPolicy-TLS13-1-2-2021-06" }).default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
        /** CIDRs allowed to reach the ALB; default 0.0.0.0/0 (an internal ALB is reachable only from networks routed to the VPC). */
        inboundCidrs: z.array(fields.cidr).min(1).optional(),
        /** The IngressGroup every Ingress of the default `alb` class joins: one shared ALB per environment. */
        groupName: z.string().regex(/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/, { message: "must be an ingress group name: lower-case letters, digits, '-' and '.', at most 63 characters" }).default("shared"),
        ipAddressType: z.enum(["ipv4", "dualstack"]).default("ipv4"),
      })
      .prefault({}),
    /** external-dns: `upsert-only` never deletes records; `sync` also deletes the ones it owns. */
    dnsPolicy: z.enum(["upsert-only", "sync"]).default("upsert-only"),
    /** An ACME ClusterIssuer solving DNS-01 through Route 53 in the configured hosted zone. */
    acmeIssuer: z
      .strictObject({
        email: z.string().email(),
        server: z.url().default("https://acme-v02.api.letsencrypt.org/directory"),
      })
      .optional(),
  })
  .prefault({});

const efsStorageClassParameters = z
  .strictObject({
    name: fields.dnsLabel.default("efs-sc"),
    /** Mark it as the cluster's default StorageClass (`storageclass.kubernetes.io/is-default-class`). */
    isDefault: z.boolean().default(false),
    /** Permissions of each volume's access-point root directory. */
    directoryPerms: z.string().regex(/^[0-7]{3}$/, { message: "must be octal permissions such as 700 or 750" }).default("700"),
    /** POSIX group ids handed to volumes (one per access point); the driver's defaults. */
    gidRangeStart: z.number().int().min(1).max(2147483647).default(50000),
    gidRangeEnd: z.number().int().min(1).max(2147483647).default(7000000),
    /** Directory on the file system under which volumes are created. */
    basePath: z.string().regex(/^\/[\w.\-/]*$/, { message: "must be an absolute path such as /dynamic_provisioning" }).default("/dynamic_provisioning"),
    /** Give every volume its own directory even when PVC names repeat across namespaces. */
    ensureUniqueDirectory: z.boolean().default(true),
    /** `Delete` removes the access point when the claim goes; the data under basePath stays on the file system. */
    reclaimPolicy: z.enum(["Delete", "Retain"]).default("Delete"),
    /** EFS is regional: volumes can bind at once, before a pod is scheduled. */
    volumeBindingMode: z.enum(["Immediate", "WaitForFirstConsumer"]).default("Immediate"),
  })
  .superRefine((storageClass, ctx) => {
    if (storageClass.gidRangeStart > storageClass.gidRangeEnd) {
      ctx.addIssue({ code: "custom", path: ["gidRangeEnd"], message: `must not be below gidRangeStart (${storageClass.gidRangeStart})`, input: storageClass.gidRangeEnd });
    }
  });

export const storageSchema = z
  .strictObject({
    efs: z
      .strictObject({
        performanceMode: z.enum(["generalPurpose", "maxIO"]).default("generalPurpose"),
        throughputMode: z.enum(["elastic", "bursting"]).default("elastic"),
        /** Files not read for this long move to Infrequent Access; reading one moves it back. */
        transitionToIA: z.enum(["AFTER_1_DAY", "AFTER_7_DAYS", "AFTER_14_DAYS", "AFTER_30_DAYS", "AFTER_60_DAYS", "AFTER_90_DAYS"]).default("AFTER_30_DAYS"),
        /** AWS Backup's daily automatic backups of the file system (`aws_efs_backup_policy`). */
        backups: z.boolean().default(true),
      })
      .prefault({}),
    storageClass: efsStorageClassParameters.prefault({}),
  })
  .prefault({});

/** IAM policies grant on keys, not aliases: an alias ARN in `Resource` never matches `kms:Decrypt`. */
const kmsKeyOnlyArn = fields.kmsKeyArn.refine((arn) => /:key\/[\w-]+$/.test(arn), { message: "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>): IAM cannot grant on an alias" });

export const operatorsSchema = z
  .strictObject({
    externalSecrets: z
      .strictObject({
        /** SSM parameter path prefixes the operator may read; default `/<environment name>/`. */
        ssmPathPrefixes: z.array(z.string().regex(/^\/([\w.\-/]*\/)?$/, { message: "must be an SSM path prefix starting and ending with '/'" })).min(1).optional(),
        /** KMS keys SecureString parameters are encrypted with; default: the account's aws/ssm key. */
        kmsKeyArns: z.array(kmsKeyOnlyArn).default([]),
        /** Name of the ClusterSecretStore for SSM Parameter Store. */
        storeName: fields.dnsLabel.default("aws-parameter-store"),
      })
      .prefault({}),
  })
  .prefault({});

export const waiverSchema = z.strictObject({
  /** Policy rule id, e.g. EKS_PUBLIC_ENDPOINT. */
  rule: z.string().regex(/^[A-Z0-9_]+$/, { message: "must be a policy rule id such as EKS_PUBLIC_ENDPOINT" }),
  /** The Terraform address (`<type>.<name>`) this waiver covers; omit to waive the rule on every resource. */
  resource: z.string().min(1).optional(),
  reason: z.string().min(10, { message: "must explain the waiver in at least 10 characters" }),
  /** Optional end date (YYYY-MM-DD); an expired waiver no longer applies. */
  expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});

export const layersSchema = z
  .strictObject({
    foundation: z.boolean().default(true),
    network: z.boolean().default(true),
    storage: z.boolean().default(true),
    operators: z.boolean().default(true),
  })
  .prefault({});

export type NodePoolConfig = z.output<typeof nodePoolSchema>;
export type KarpenterConfig = z.output<typeof karpenterSchema>;
export type NetworkConfig = z.output<typeof networkSchema>;
export type StorageConfig = z.output<typeof storageSchema>;
export type OperatorsConfig = z.output<typeof operatorsSchema>;
export type WaiverConfig = z.output<typeof waiverSchema>;
export type LayerSwitches = z.output<typeof layersSchema>;
