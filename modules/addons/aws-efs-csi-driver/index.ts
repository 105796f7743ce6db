import { z } from "zod";
import { efsCsiDriverStatements } from "./iam";
import { PINS } from "../../versions";
import { karpenter } from "../karpenter";
import { defineAddon } from "../../engine/types";
import { EFS_FILE_SYSTEM } from "../../efs-capability";

/** Construct code, loaded only when the engine renders: the declaration itself loads without cdktf. */
const storageClass = () => require("./storage-class") as typeof import("./storage-class");

const valuesSchema = z.looseObject({
  controller: z.looseObject({}).optional(),
  node: z.looseObject({}).optional(),
});

/**
 * Amazon EFS CSI driver: ReadWriteMany volumes on the storage layer's file system, one access point per volume.
 * Its controller and node DaemonSet cannot run on Fargate (no privileged pods, no CSI node plugins), so it
 * needs EC2 capacity from Karpenter. Only the controller calls AWS (access points); the nodes mount over TLS.
 */
export const awsEfsCsiDriver = defineAddon({
  name: "aws-efs-csi-driver",
  description: "EFS CSI driver: dynamically provisioned ReadWriteMany volumes (access points)",
  layer: "storage",
  namespace: "kube-system",
  serviceAccount: "efs-csi-controller-sa",
  runsOn: "nodes",
  // The node DaemonSet mounts EFS for the kubelet: privileged, root, host network and host paths (the kubelet
  // directory). In kube-system, which stays privileged.
  podSecurity: {
    level: "privileged",
    reason: "node plugin: privileged root container, host network, kubelet host paths for mounts",
  },
  defaultDelivery: "eks-addon",
  deliveries: [
    {
      kind: "eks-addon",
      addonName: "aws-efs-csi-driver",
      pins: PINS["aws-efs-csi-driver"].eksAddon,
      valuesSchema,
    },
    {
      kind: "helm",
      repository: "https://kubernetes-sigs.github.io/aws-efs-csi-driver/",
      chart: "aws-efs-csi-driver",
      pins: PINS["aws-efs-csi-driver"].helm,
      serviceAccountValuesPath: ["controller", "serviceAccount"],
      images: [
        { path: ["image", "repository"], upstream: "public.ecr.aws/efs-csi-driver/amazon/aws-efs-csi-driver" },
        ...["livenessprobe", "csi-node-driver-registrar", "csi-provisioner"].map((name, index) => ({
          path: ["sidecars", ["livenessProbe", "nodeDriverRegistrar", "csiProvisioner"][index], "image", "repository"],
          upstream: `public.ecr.aws/csi-components/${name}`,
        })),
      ],
      // The chart reads `controller.replicaCount` (a top-level `replicaCount` is ignored by Helm, silently).
      values: () => ({ controller: { replicaCount: 2 } }),
      valuesSchema: valuesSchema.extend({
        controller: z.looseObject({ replicaCount: z.number().int().min(1).optional() }).optional(),
        replicaCount: z
          .never({ message: "the chart reads controller.replicaCount; a top-level replicaCount is ignored" })
          .optional(),
      }),
    },
  ],
  identity: { statements: efsCsiDriverStatements },
  // Cross-layer (foundation): no depends_on, but a config error when Karpenter is disabled.
  dependsOn: [karpenter],
  // The StorageClass over the layer's file system, only with the driver: a class nobody provisions would leave
  // claims Pending. It waits for the driver and the mount targets.
  needs: [EFS_FILE_SYSTEM],
  companions: (scope, ctx) => ({
    after: (driver) => {
      for (const fileSystem of ctx.need(EFS_FILE_SYSTEM)) {
        storageClass().efsStorageClass(scope, {
          config: ctx.environment.storage.storageClass,
          fileSystemId: fileSystem.fileSystemId,
          dependsOn: [...driver, fileSystem.mountTargets],
        });
      }
    },
  }),
  docs: "https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html",
});
