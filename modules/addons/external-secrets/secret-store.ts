import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { manifestsRelease, type KubernetesObject } from "../../manifests-release";

export interface ParameterStoreSecretStoreProps {
  readonly name: string;
  readonly region: string;
  /** Namespace the release record lives in (the operator's). The store itself is cluster-scoped. */
  readonly namespace: string;
  /** The operator's release: its CRDs and validating webhook must serve before the store is created. */
  readonly dependsOn: ReadonlyArray<ITerraformDependable>;
}

/**
 * A `ClusterSecretStore` for SSM Parameter Store. No `auth`: the AWS SDK's default chain in the controller
 * finds its own credentials (Pod Identity or IRSA), so the store carries no secret and no role to assume.
 */
export function parameterStoreClusterSecretStore(name: string, region: string): KubernetesObject {
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ClusterSecretStore",
    metadata: { name },
    spec: { provider: { aws: { service: "ParameterStore", region } } },
  };
}

/** `helm_release.external_secrets_stores`: applied at install time, so a first-ever plan needs no CRDs. */
export function externalSecretsStores(scope: Construct, props: ParameterStoreSecretStoreProps): Release {
  return manifestsRelease(scope, "external-secrets-stores", {
    name: "external-secrets-stores",
    namespace: props.namespace,
    objects: [parameterStoreClusterSecretStore(props.name, props.region)],
    dependsOn: props.dependsOn,
  });
}
