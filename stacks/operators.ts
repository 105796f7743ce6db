import { Construct } from "constructs";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { addonsOfLayer } from "../modules/engine/resolve";
import { renderAddons, type RenderedAddon } from "../modules/engine/render";
import { externalSecrets } from "../modules/addons/external-secrets";
import type { ClusterHandle } from "../modules/cluster-handle";
import { externalSecretsStores } from "../modules/addons/external-secrets/secret-store";
import { clusterFrom } from "./cluster-consumer";
import type { FoundationStack } from "./foundation";
import { LayerStack, type LayerStackProps } from "./layer-stack";

export interface OperatorsStackProps extends LayerStackProps {
  readonly foundation: FoundationStack;
}

/** `<env>-operators`: reads the cluster from the foundation stack. External Secrets and its Parameter Store store. */
export class OperatorsStack extends LayerStack {
  readonly cluster: ClusterHandle;
  readonly addons: ReadonlyMap<string, RenderedAddon>;
  readonly secretStores?: Release;

  constructor(scope: Construct, props: OperatorsStackProps) {
    super(scope, "operators", props);
    this.addDependency(props.foundation);
    this.cluster = clusterFrom(props.foundation);
    this.configureKubernetesProviders(this.cluster);
    this.addons = renderAddons(this, this.addonContext(this.cluster), addonsOfLayer(this.addonPlan, "operators"));
    const operator = this.addons.get(externalSecrets.name);
    if (operator) {
      this.secretStores = externalSecretsStores(this, {
        name: this.environment.operators.externalSecrets.storeName,
        region: this.environment.region,
        namespace: operator.addon.namespace,
        dependsOn: operator.resources,
      });
    }
  }
}
