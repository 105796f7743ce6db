/**
 * Node-pool label keys Karpenter's NodePool CRD refuses (its CEL rules on `spec.template.metadata.labels` at
 * the pinned v1.14.1, crds/karpenter.sh_nodepools-v1.14.1.yaml): a key whose domain (the part before `/`, or
 * the whole key) ends in `karpenter.sh` or `karpenter.k8s.aws`, except the well-known labels listed below, and
 * `kubernetes.io/hostname` and `karpenter.sh/nodepool`, which Karpenter sets itself. The API server would refuse
 * the NodePool at apply, after the rest of the foundation is built. Since Karpenter 1.9 the kubernetes.io and
 * k8s.io domains are no longer restricted (Karpenter syncs the labels to the Node itself). Taint keys are not
 * restricted by the CRD.
 */

const RESTRICTED_DOMAINS = ["karpenter.sh", "karpenter.k8s.aws"];

/** Labels of the restricted domains the CRD accepts: Karpenter's and the AWS provider's well-known labels. */
const WELL_KNOWN = new Set([
  "karpenter.sh/capacity-type",
  ...[
    "instance-tenancy",
    "capacity-reservation-type",
    "capacity-reservation-id",
    "capacity-reservation-interruptible",
    "ec2nodeclass",
    "instance-encryption-in-transit-supported",
    "instance-category",
    "instance-hypervisor",
    "instance-family",
    "instance-generation",
    "instance-local-nvme",
    "instance-size",
    "instance-cpu",
    "instance-cpu-manufacturer",
    "instance-cpu-sustained-clock-speed-mhz",
    "instance-memory",
    "instance-ebs-bandwidth",
    "instance-network-bandwidth",
    "instance-gpu-name",
    "instance-gpu-manufacturer",
    "instance-gpu-count",
    "instance-gpu-memory",
    "instance-accelerator-name",
    "instance-accelerator-manufacturer",
    "instance-accelerator-count",
    "instance-capability-flex",
    "placement-group-id",
    "placement-group-partition",
  ].map((name) => `karpenter.k8s.aws/${name}`),
]);

/** Labels Karpenter sets on every node itself. */
const SET_BY_KARPENTER = new Set(["kubernetes.io/hostname", "karpenter.sh/nodepool"]);

/** Why Karpenter's NodePool refuses a label key, or undefined when it accepts it. */
export function restrictedNodeLabel(key: string): string | undefined {
  if (SET_BY_KARPENTER.has(key)) return `is restricted: Karpenter sets ${key} on every node itself`;
  const domain = key.split("/")[0];
  const restricted = RESTRICTED_DOMAINS.find((candidate) => domain.endsWith(candidate));
  if (restricted && !WELL_KNOWN.has(key))
    return `is in the ${restricted} label domain, restricted by Karpenter's NodePool to its well-known labels (the API server would refuse the NodePool)`;
  return undefined;
}

export const RESTRICTED_LABEL_FIX =
  "use a label in your own domain, such as example.com/team, or a well-known label (karpenter.sh/capacity-type, karpenter.k8s.aws/instance-family ...)";
