import { Construct } from "constructs";
import { join } from "node:path";
import { AssetType, TerraformAsset, TerraformStack, type ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { stableId } from "./naming";

/** A Kubernetes object as plain data (validated against its CRD by `npm run validate`). */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

export interface ManifestsReleaseProps {
  /** Release name; also its Terraform address `helm_release.<name>`. */
  readonly name: string;
  readonly namespace: string;
  readonly objects: ReadonlyArray<KubernetesObject>;
  /** What must exist first (the controller whose CRDs and webhooks these objects need). */
  readonly dependsOn?: ReadonlyArray<ITerraformDependable>;
}

const chartAssets = new WeakMap<TerraformStack, TerraformAsset>();

/** The chart ships inside the synthesized stack (cdktf asset), so Terraform Cloud runs need no chart repository. */
function chartAsset(scope: Construct): TerraformAsset {
  const stack = TerraformStack.of(scope);
  let asset = chartAssets.get(stack);
  if (!asset) {
    asset = new TerraformAsset(stack, "platform-manifests-chart", {
      path: join(__dirname, "..", "charts", "platform-manifests"),
      type: AssetType.DIRECTORY,
    });
    chartAssets.set(stack, asset);
  }
  return asset;
}

/**
 * Custom resources through Helm instead of `kubernetes_manifest`: a first-ever apply cannot plan a
 * `kubernetes_manifest` whose CRD does not exist yet, while Helm resolves kinds only when it installs. Destroy
 * runs in reverse dependency order, so these objects go before the controller that owns their finalizers.
 */
export function manifestsRelease(scope: Construct, id: string, props: ManifestsReleaseProps): Release {
  const release = new Release(scope, id, {
    name: props.name,
    namespace: props.namespace,
    chart: `./${chartAsset(scope).path}`,
    values: [JSON.stringify({ objects: props.objects })],
    wait: true,
    atomic: true,
    cleanupOnFail: true,
    timeout: 300,
    maxHistory: 10,
    dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
  });
  return stableId(release, props.name);
}
