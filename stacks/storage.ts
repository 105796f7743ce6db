import { Construct } from "constructs";
import type { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { addonsOfLayer } from "../modules/engine/resolve";
import { renderAddons, type RenderedAddon } from "../modules/engine/render";
import { awsEfsCsiDriver } from "../modules/addons/aws-efs-csi-driver";
import type { ClusterHandle } from "../modules/cluster-handle";
import { EfsStorage } from "../modules/efs";
import { efsStorageClass } from "../modules/addons/aws-efs-csi-driver/storage-class";
import { clusterFrom } from "./cluster-consumer";
import type { FoundationStack } from "./foundation";
import { LayerStack, type LayerStackProps } from "./layer-stack";

export interface StorageStackProps extends LayerStackProps {
  readonly foundation: FoundationStack;
}

/**
 * `<env>-storage`: reads the cluster from the foundation stack. An encrypted EFS file system, the EFS CSI driver,
 * and a StorageClass over both (only when the driver is enabled: a class nobody provisions would leave claims Pending).
 */
export class StorageStack extends LayerStack {
  readonly cluster: ClusterHandle;
  readonly addons: ReadonlyMap<string, RenderedAddon>;
  readonly efs: EfsStorage;
  readonly storageClass?: StorageClassV1;

  constructor(scope: Construct, props: StorageStackProps) {
    super(scope, "storage", props);
    this.addDependency(props.foundation);
    this.cluster = clusterFrom(props.foundation);
    this.configureKubernetesProviders(this.cluster);
    this.efs = new EfsStorage(this, "efs", { environment: this.environment, cluster: this.cluster });
    this.addons = renderAddons(this, this.addonContext(this.cluster), addonsOfLayer(this.addonPlan, "storage"));
    const driver = this.addons.get(awsEfsCsiDriver.name);
    if (driver) {
      this.storageClass = efsStorageClass(this, {
        config: this.environment.storage.storageClass,
        fileSystemId: this.efs.fileSystem.id,
        dependsOn: [...driver.resources, this.efs.mountTargets],
      });
    }
  }
}
