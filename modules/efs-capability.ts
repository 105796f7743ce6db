import type { ITerraformDependable } from "cdktf";
import { defineCapability } from "./engine/capabilities";

/** The storage layer's file system, as the EFS CSI driver's StorageClass needs it (plain data: no cdktf loaded). */
export interface SharedFileSystem {
  readonly fileSystemId: string;
  /** Claims are served only once the mount targets exist. */
  readonly mountTargets: ITerraformDependable;
}

export const EFS_FILE_SYSTEM = defineCapability<SharedFileSystem>("the storage layer's EFS file system");
