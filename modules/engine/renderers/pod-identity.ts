import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { stableId } from "../../naming";
import type { RenderInput } from "./render-input";

/**
 * Binds the add-on's role to its service account with EKS Pod Identity, for deliveries that are not EKS add-ons
 * (those bind it on `aws_eks_addon` itself). Created before the workload so its first pods get credentials.
 */
export function podIdentityAssociation(input: RenderInput): EksPodIdentityAssociation | undefined {
  const { scope, ctx, addon, role } = input;
  if (!role || addon.identity !== "pod-identity") return undefined;
  return stableId(
    new EksPodIdentityAssociation(scope, "pod-identity", {
      clusterName: ctx.cluster.name,
      namespace: addon.namespace,
      serviceAccount: addon.serviceAccount ?? addon.name,
      roleArn: role.role.arn,
    }),
    addon.name,
  );
}
