import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import type { NetworkConfig } from "../../config/network-schema";
import { manifestsRelease, type KubernetesObject } from "../../manifests-release";

export type AcmeIssuerConfig = NonNullable<NetworkConfig["acmeIssuer"]>;

export const ACME_CLUSTER_ISSUER = "acme";

export interface AcmeClusterIssuerProps {
  readonly issuer: AcmeIssuerConfig;
  readonly dns: { readonly domain: string; readonly hostedZoneId: string };
  readonly region: string;
  /** cert-manager's namespace (the release record lives there; the issuer is cluster-scoped). */
  readonly namespace: string;
  /** cert-manager's release: its CRDs and webhook must exist first, and it must outlive the issuer. */
  readonly certManager: ReadonlyArray<ITerraformDependable>;
}

/** The ClusterIssuer object: ACME, DNS-01 through Route 53 in the environment's zone, ambient (pod) credentials. */
export function acmeClusterIssuerObject(
  props: Omit<AcmeClusterIssuerProps, "certManager" | "namespace">,
): KubernetesObject {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: ACME_CLUSTER_ISSUER },
    spec: {
      acme: {
        email: props.issuer.email,
        server: props.issuer.server,
        privateKeySecretRef: { name: `${ACME_CLUSTER_ISSUER}-account-key` },
        solvers: [
          {
            selector: { dnsZones: [props.dns.domain] },
            dns01: { route53: { region: props.region, hostedZoneID: props.dns.hostedZoneId } },
          },
        ],
      },
    },
  };
}

/** `helm_release.cert_manager_cluster_issuer`: a custom resource, so through `manifestsRelease` (never kubernetes_manifest). */
export function acmeClusterIssuer(scope: Construct, props: AcmeClusterIssuerProps): Release {
  return manifestsRelease(scope, "cert-manager-cluster-issuer", {
    name: "cert-manager-cluster-issuer",
    namespace: props.namespace,
    objects: [acmeClusterIssuerObject(props)],
    dependsOn: props.certManager,
  });
}
