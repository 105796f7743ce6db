import { Construct } from "constructs";
import { EksFargateProfile } from "@cdktf/provider-aws/lib/eks-fargate-profile";
import type { IamRoleWithPolicies } from "./iam/addon-identity";
import { roleName, roleWithPolicies } from "./iam/addon-identity";
import { partitionOf } from "./iam/policy";
import { stableId } from "./naming";

/** One Fargate profile: a namespace and, optionally, the pod labels it is limited to. */
export interface FargateProfileSpec {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Record<string, string>;
}

/** Karpenter's controller: it must run before (and independently of) the nodes it launches. */
export const KARPENTER_PROFILE: FargateProfileSpec = { name: "karpenter", namespace: "karpenter" };
/** CoreDNS only, not all of kube-system: DNS must answer before any node exists. */
export const COREDNS_PROFILE: FargateProfileSpec = { name: "coredns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };

export interface FargateProps {
  readonly clusterName: string;
  /** The cluster's name as a reference to the cluster resource, so profiles wait for it. */
  readonly clusterNameRef: string;
  readonly account: string;
  readonly region: string;
  /** Private subnets only: Fargate refuses public ones, and pods get no public IPs. */
  readonly privateSubnetIds: string[];
  readonly profiles: ReadonlyArray<FargateProfileSpec>;
}

/**
 * The pod execution role (pulls images, ships logs) and the Fargate profiles for the platform's bootstrap
 * pods. The role's trust is limited to this cluster's Fargate profiles in this account (confused-deputy guard).
 */
export class FargateCompute extends Construct {
  readonly podExecutionRole: IamRoleWithPolicies;
  readonly profiles: ReadonlyMap<string, EksFargateProfile>;

  constructor(scope: Construct, id: string, props: FargateProps) {
    super(scope, id);
    const partition = partitionOf(props.region);
    this.podExecutionRole = roleWithPolicies(this, {
      name: "fargate_pod_execution",
      iamName: roleName(props.clusterName, "fargate"),
      description: `Fargate pod execution role of EKS cluster ${props.clusterName}`,
      trust: [{
        Effect: "Allow",
        Principal: { Service: "eks-fargate-pods.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { ArnLike: { "aws:SourceArn": `arn:${partition}:eks:${props.region}:${props.account}:fargateprofile/${props.clusterName}/*` } },
      }],
      managedPolicies: ["AmazonEKSFargatePodExecutionRolePolicy"],
      region: props.region,
    });

    const profiles = new Map<string, EksFargateProfile>();
    let previous: EksFargateProfile | undefined;
    for (const spec of props.profiles) {
      const profile: EksFargateProfile = stableId(new EksFargateProfile(this, spec.name, {
        clusterName: props.clusterNameRef,
        fargateProfileName: spec.name,
        podExecutionRoleArn: this.podExecutionRole.role.arn,
        subnetIds: props.privateSubnetIds,
        selector: [{ namespace: spec.namespace, labels: spec.labels }],
        // EKS creates and deletes one Fargate profile at a time per cluster: chain them instead of racing.
        dependsOn: [...this.podExecutionRole.attachments, ...(previous ? [previous] : [])],
      }), spec.name);
      profiles.set(spec.name, profile);
      previous = profile;
    }
    this.profiles = profiles;
  }
}
