import { resource, type RuleCase } from "./edit";

/**
 * Cases for what keeps an apply safe (modules/policy/safety.ts): stateful resources protected from destroy, versions
 * pinned, in-cluster resources ordered after the access entry.
 */
export const SAFETY_CASES: RuleCase[] = [
  ...(["aws_kms_key.cluster", "aws_cloudwatch_log_group.cluster"] as const).map((address): RuleCase => ({
    rule: "STATEFUL_PREVENT_DESTROY",
    what: `${address} unprotected`,
    layer: "foundation",
    address,
    breakIt: (j) => void delete resource(j, address).lifecycle,
  })),
  {
    rule: "STATEFUL_PREVENT_DESTROY",
    what: "EFS unprotected",
    layer: "storage",
    address: "aws_efs_file_system.efs",
    breakIt: (j) => void delete resource(j, "aws_efs_file_system.efs").lifecycle,
  },
  ...["latest", "~1.14", "1.x", ""].map((version): RuleCase => ({
    rule: "VERSIONS_PINNED",
    what: `chart version "${version}"`,
    layer: "foundation",
    address: "helm_release.karpenter",
    breakIt: (j) => void (resource(j, "helm_release.karpenter").version = version),
  })),
  {
    rule: "VERSIONS_PINNED",
    what: "add-on without a version",
    layer: "foundation",
    address: "aws_eks_addon.coredns",
    breakIt: (j) => void delete resource(j, "aws_eks_addon.coredns").addon_version,
  },
  {
    rule: "INCLUSTER_AFTER_ACCESS",
    what: "a release not ordered after the access entry",
    layer: "foundation",
    address: "helm_release.reloader",
    breakIt: (j) => void (resource(j, "helm_release.reloader").depends_on = []),
  },
  {
    rule: "INCLUSTER_AFTER_ACCESS",
    what: "no Terraform access entry at all",
    layer: "foundation",
    address: "helm_release.karpenter",
    breakIt: (j) => void delete j.resource.aws_eks_access_policy_association.terraform,
  },
];
