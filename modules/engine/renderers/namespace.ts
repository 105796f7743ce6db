import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { stableId } from "../../naming";
import { namespaceMetadata, type NamespacePodSecurity } from "../pod-security";

/**
 * The Namespace of add-ons delivered by Helm or as EKS add-ons outside kube-system, created by the platform
 * (`kubernetes_namespace_v1.<namespace>`) before anything is installed in it, so its Pod Security labels hold for
 * the first pod: Helm's `create_namespace` cannot label. Manifests add-ons create their own Namespace with the
 * labels and annotation they are given (`ManifestsInput.namespaceMetadata`).
 */
export function platformNamespace(
  scope: Construct,
  props: {
    readonly name: string;
    readonly security: NamespacePodSecurity;
    readonly dependsOn: ReadonlyArray<ITerraformDependable>;
  },
): NamespaceV1 {
  return stableId(
    new NamespaceV1(scope, `namespace-${props.name}`, {
      metadata: { name: props.name, ...namespaceMetadata(props.security) },
      dependsOn: [...props.dependsOn],
    }),
    props.name,
  );
}
