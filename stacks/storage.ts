import { EFS_FILE_SYSTEM, EfsStorage } from "../modules/efs";
import { clusterFrom } from "./cluster-consumer";
import type { TerraformStack } from "cdktf";
import type { LayerBase, LayerBuildInput } from "./layer-types";

/** `<env>-storage`: an encrypted EFS file system; the EFS CSI driver add-on puts its StorageClass over it. */
export function buildStorage(stack: TerraformStack, input: LayerBuildInput): LayerBase {
  const cluster = clusterFrom(input.reads);
  const efs = new EfsStorage(stack, "efs", { environment: input.environment, cluster });
  input.capabilities.provide(EFS_FILE_SYSTEM, { fileSystemId: efs.fileSystem.id, mountTargets: efs.mountTargets });
  return { cluster };
}
