import { z } from "zod";
import { ebsCsiDriverStatements, ebsVolumeKeyStatements } from "./iam";
import { PINS } from "../../versions";
import { karpenter } from "../karpenter";
import { defineAddon } from "../../engine/types";
import { ebsClassIsDefault } from "../../config/storage-schema";

/** Construct code, loaded only when the engine renders: the declaration itself loads without cdktf. */
const storageClass = () => require("./storage-class") as typeof import("./storage-class");
const volumeKey = () => require("./volume-key") as typeof import("./volume-key");

const valuesSchema = z.looseObject({
  controller: z.looseObject({}).optional(),
  node: z.looseObject({}).optional(),
});

/**
 * Amazon EBS CSI driver: ReadWriteOnce block volumes for StatefulSets, through an encrypted gp3 StorageClass.
 * Its controller and node DaemonSet cannot run on Fargate (no privileged pods, no block devices), so it needs EC2
 * capacity from Karpenter. Only the controller calls AWS (volumes, snapshots, attachments); the nodes mount.
 */
export const awsEbsCsiDriver = defineAddon({
  name: "aws-ebs-csi-driver",
  description: "EBS CSI driver: encrypted gp3 block volumes (ReadWriteOnce) for StatefulSets",
  layer: "storage",
  namespace: "kube-system",
  serviceAccount: "ebs-csi-controller-sa",
  runsOn: "nodes",
  podSecurity: {
    level: "privileged",
    reason: "node plugin: privileged container, kubelet host paths for attaching and mounting volumes",
  },
  defaultDelivery: "eks-addon",
  deliveries: [
    {
      kind: "eks-addon",
      addonName: "aws-ebs-csi-driver",
      pins: PINS["aws-ebs-csi-driver"].eksAddon,
      valuesSchema,
    },
    {
      kind: "helm",
      repository: "https://kubernetes-sigs.github.io/aws-ebs-csi-driver",
      chart: "aws-ebs-csi-driver",
      pins: PINS["aws-ebs-csi-driver"].helm,
      serviceAccountValuesPath: ["controller", "serviceAccount"],
      // Where the chart (values.yaml at 2.64.0) keeps each image: a mirror (`imageRegistryMirror`) rewrites them.
      images: [
        { path: ["image", "repository"], upstream: "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver" },
        {
          path: ["sidecars", "volumemodifier", "image", "repository"],
          upstream: "public.ecr.aws/ebs-csi-driver/volume-modifier-for-k8s",
        },
        ...(
          [
            ["provisioner", "csi-provisioner"],
            ["attacher", "csi-attacher"],
            ["snapshotter", "csi-snapshotter"],
            ["livenessProbe", "livenessprobe"],
            ["resizer", "csi-resizer"],
            ["nodeDriverRegistrar", "csi-node-driver-registrar"],
          ] as const
        ).map(([sidecar, image]) => ({
          path: ["sidecars", sidecar, "image", "repository"],
          upstream: `public.ecr.aws/csi-components/${image}`,
        })),
      ],
      // The region from config, not the instance metadata: Karpenter's nodes keep IMDS at hop limit 1 (pods
      // cannot reach it), and the controller's policy holds for this region only.
      values: (ctx) => ({ controller: { region: ctx.region, replicaCount: 2 } }),
      valuesSchema: valuesSchema.extend({
        controller: z.looseObject({ replicaCount: z.number().int().min(1).optional() }).optional(),
      }),
      lockedValues: [{ path: ["controller", "region"], why: "the region the controller's IAM policy is scoped to" }],
    },
  ],
  identity: { statements: (ctx) => [...ebsCsiDriverStatements(ctx), ...ebsVolumeKeyStatements(ctx)] },
  // Cross-layer (foundation): no depends_on, but a config error when Karpenter is disabled.
  dependsOn: [karpenter],
  // The volumes' key (unless the account's default key) and the StorageClass, only with the driver: a class
  // nobody provisions would leave claims Pending. The class waits for the driver, whose role has the key grants.
  companions: (scope, ctx) => {
    const kmsKeyArn = volumeKey().ebsVolumeKeyArn(scope, ctx);
    return {
      after: (driver) => {
        storageClass().ebsStorageClass(scope, {
          config: ctx.environment.storage.ebs.storageClass,
          isDefault: ebsClassIsDefault(ctx.environment.storage),
          kmsKeyArn,
          dependsOn: driver,
        });
      },
    };
  },
  docs: "https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html",
});
