import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { adoptExisting } from "../../imports";
import { stableId } from "../../naming";
import { namespaceMetadata, type NamespacePodSecurity } from "../pod-security";

/**
 * The Namespace of add-ons delivered by Helm or as EKS add-ons outside kube-system, created by the platform
 * (`kubernetes_namespace_v1.<namespace>`) before anything is installed in it, so its Pod Security labels hold for
 * the first pod: Helm's `create_namespace` cannot label. Manifests add-ons create their own Namespace with the
 * labels and annotation they are given (`ManifestsInput.namespaceMetadata`). With `adopt` (the environment's
 * `adoptExistingNamespaces`), an `import` block adopts a namespace Helm created on a cluster built before; the import
 * uses the namespace resource's own provider configuration (its per-call token).
 */
export function platformNamespace(
  scope: Construct,
  props: {
    readonly name: string;
    readonly security: NamespacePodSecurity;
    readonly dependsOn: ReadonlyArray<ITerraformDependable>;
    readonly adopt?: boolean;
  },
): NamespaceV1 {
  const namespace = stableId(
    new NamespaceV1(scope, `namespace-${props.name}`, {
      metadata: { name: props.name, ...namespaceMetadata(props.security) },
      dependsOn: [...props.dependsOn],
    }),
    props.name,
  );
  if (props.adopt) adoptExisting(namespace, props.name);
  return namespace;
}
