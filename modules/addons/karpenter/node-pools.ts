import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import type { KarpenterConfig, NodePoolConfig } from "../../config/karpenter-schema";
import { nodePoolSchema } from "../../config/karpenter-schema";
import { manifestsRelease, type KubernetesObject } from "../../manifests-release";
import { minimumVcpusFor } from "../../policy/nodes";
import { KARPENTER_DISCOVERY_TAG } from "../../vpc";

/** The pool created when the config lists none: general purpose, on-demand and spot, both architectures. */
export const DEFAULT_NODE_POOL: NodePoolConfig = nodePoolSchema.parse({ name: "default" });

export interface NodePoolObjectsProps {
  readonly clusterName: string;
  readonly karpenter: KarpenterConfig;
  /** The AMI alias: the configured one, or the default for the cluster's Kubernetes version. */
  readonly amiAlias: string;
  /** kubelet maxPods; omitted, Karpenter derives it from the instance type's ENI limits. */
  readonly maxPods?: number;
  readonly subnetIds: ReadonlyArray<string>;
  readonly securityGroupIds: ReadonlyArray<string>;
  /** IAM role name of the nodes (Karpenter creates and manages the instance profile). */
  readonly nodeRoleName: string;
  /** Customer key for the root volumes; the account's EBS default key when absent. */
  readonly volumeKmsKeyArn?: string;
  readonly tags?: Record<string, string>;
}

/** One EC2NodeClass per pool, so pools can diverge later without moving nodes between classes. */
export function ec2NodeClass(pool: NodePoolConfig, props: NodePoolObjectsProps): KubernetesObject {
  return {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: pool.name },
    spec: {
      // Pinned: a new AMI arrives through a reviewed change (and drifts nodes), never by itself.
      amiSelectorTerms: [{ alias: props.amiAlias }],
      role: props.nodeRoleName,
      subnetSelectorTerms: props.subnetIds.map((id) => ({ id })),
      securityGroupSelectorTerms: props.securityGroupIds.map((id) => ({ id })),
      ...(props.maxPods !== undefined ? { kubelet: { maxPods: props.maxPods } } : {}),
      // IMDSv2 only, and one hop: pods cannot borrow the node's credentials through the metadata service.
      metadataOptions: {
        httpEndpoint: "enabled",
        httpProtocolIPv6: "disabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      },
      blockDeviceMappings: blockDevices(props),
      tags: { ...props.tags, [KARPENTER_DISCOVERY_TAG]: props.clusterName, Name: `${props.clusterName}-${pool.name}` },
    },
  };
}

/**
 * Encrypted gp3 volumes. AL2023 has one root volume; Bottlerocket keeps its OS on /dev/xvda and containers on
 * /dev/xvdb, which is the volume that counts as root for ephemeral storage. Both are listed so none is unencrypted.
 */
function blockDevices(props: NodePoolObjectsProps): unknown[] {
  const ebs = (volumeSize: string) => ({
    volumeSize,
    volumeType: "gp3",
    encrypted: true,
    deleteOnTermination: true,
    ...(props.volumeKmsKeyArn ? { kmsKeyID: props.volumeKmsKeyArn } : {}),
  });
  if (!props.amiAlias.startsWith("bottlerocket"))
    return [{ deviceName: "/dev/xvda", rootVolume: true, ebs: ebs(props.karpenter.rootVolumeSize) }];
  return [
    { deviceName: "/dev/xvda", ebs: ebs("4Gi") },
    { deviceName: "/dev/xvdb", rootVolume: true, ebs: ebs(props.karpenter.rootVolumeSize) },
  ];
}

/**
 * `maxPods`: the EC2NodeClass's kubelet maxPods, when set. The pool then admits only instance types whose ENIs
 * hold that many pod IPs (with prefix delegation a 1-vCPU Graviton .medium holds 96, fewer than 110):
 * NODES_FIT_MAX_PODS in the policy pack checks the same.
 */
export function nodePool(pool: NodePoolConfig, maxPods?: number): KubernetesObject {
  const requirements: Array<{ key: string; operator: string; values: string[] }> = [
    { key: "karpenter.sh/capacity-type", operator: "In", values: [...pool.capacityTypes] },
    { key: "kubernetes.io/arch", operator: "In", values: [...pool.architectures] },
    { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
    { key: "karpenter.k8s.aws/instance-category", operator: "In", values: [...pool.instanceCategories] },
    { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: [String(pool.minInstanceGeneration - 1)] },
  ];
  if (pool.instanceFamilies)
    requirements.push({ key: "karpenter.k8s.aws/instance-family", operator: "In", values: [...pool.instanceFamilies] });
  const vcpus = maxPods === undefined ? 1 : minimumVcpusFor(maxPods);
  if (vcpus > 1)
    requirements.push({ key: "karpenter.k8s.aws/instance-cpu", operator: "Gt", values: [String(vcpus - 1)] });
  const limits = Object.fromEntries(
    Object.entries(pool.limits)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, String(value)]),
  );
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: pool.name },
    spec: {
      template: {
        metadata: Object.keys(pool.labels).length > 0 ? { labels: pool.labels } : {},
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: pool.name },
          requirements,
          expireAfter: pool.expireAfter,
          ...(pool.taints.length > 0 ? { taints: pool.taints } : {}),
        },
      },
      disruption: {
        consolidationPolicy: pool.disruption.consolidationPolicy,
        consolidateAfter: pool.disruption.consolidateAfter,
        budgets: [{ nodes: pool.disruption.budget }],
      },
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
      ...(pool.weight !== undefined ? { weight: pool.weight } : {}),
    },
  };
}

/** Every pool's EC2NodeClass and NodePool, classes first. */
export function nodePoolObjects(props: NodePoolObjectsProps): KubernetesObject[] {
  const pools = props.karpenter.nodePools ?? [DEFAULT_NODE_POOL];
  return [...pools.map((pool) => ec2NodeClass(pool, props)), ...pools.map((pool) => nodePool(pool, props.maxPods))];
}

/**
 * The pools go through the shipped manifests chart after the Karpenter release: its CRDs exist by then on a
 * first deploy, and on destroy the pools (and the nodes they own) go while the controller still runs.
 */
export function nodePoolsRelease(
  scope: Construct,
  props: NodePoolObjectsProps & { readonly dependsOn: ReadonlyArray<ITerraformDependable> },
): Release {
  return manifestsRelease(scope, "karpenter-node-pools", {
    name: "karpenter-node-pools",
    namespace: "karpenter",
    objects: nodePoolObjects(props),
    dependsOn: props.dependsOn,
  });
}
