import { Construct } from "constructs";
import { EksFargateProfile } from "@cdktf/provider-aws/lib/eks-fargate-profile";
import type { IamRoleWithPolicies } from "./iam/addon-identity";
import { roleName, roleWithPolicies } from "./iam/addon-identity";
import { partitionOf } from "./iam/policy";
import { stableId } from "./naming";
import { FARGATE_PROFILES, type FargateProfileSpec, type FargateProfiles } from "./fargate-capability";
export { FARGATE_PROFILES, type FargateProfileSpec, type FargateProfiles };

export interface FargateProps {
  readonly clusterName: string;
  /** The cluster's name as a reference to the cluster resource, so profiles wait for it. */
  readonly clusterNameRef: string;
  readonly account: string;
  readonly region: string;
  /** Private subnets only: Fargate refuses public ones, and pods get no public IPs. */
  readonly privateSubnetIds: string[];
}

/**
 * The pod execution role (pulls images, ships logs) and the Fargate profiles for the platform's bootstrap
 * pods, created when the first profile is asked for. The role's trust is limited to this cluster's Fargate
 * profiles in this account (confused-deputy guard).
 */
export class FargateCompute extends Construct implements FargateProfiles {
  private readonly props: FargateProps;
  private podExecutionRole?: IamRoleWithPolicies;
  private readonly created = new Map<string, EksFargateProfile>();
  private previous?: EksFargateProfile;

  constructor(scope: Construct, id: string, props: FargateProps) {
    super(scope, id);
    this.props = props;
  }

  profile(spec: FargateProfileSpec): EksFargateProfile {
    const existing = this.created.get(spec.name);
    if (existing) return existing;
    const role = this.executionRole();
    const profile: EksFargateProfile = stableId(
      new EksFargateProfile(this, spec.name, {
        clusterName: this.props.clusterNameRef,
        fargateProfileName: spec.name,
        podExecutionRoleArn: role.role.arn,
        subnetIds: this.props.privateSubnetIds,
        selector: [{ namespace: spec.namespace, labels: spec.labels }],
        // EKS creates and deletes one Fargate profile at a time per cluster: chain them instead of racing.
        dependsOn: [...role.attachments, ...(this.previous ? [this.previous] : [])],
      }),
      spec.name,
    );
    this.created.set(spec.name, profile);
    this.previous = profile;
    return profile;
  }

  private executionRole(): IamRoleWithPolicies {
    const props = this.props;
    const partition = partitionOf(props.region);
    this.podExecutionRole ??= roleWithPolicies(this, {
      name: "fargate_pod_execution",
      iamName: roleName(props.clusterName, "fargate"),
      description: `Fargate pod execution role of EKS cluster ${props.clusterName}`,
      trust: [
        {
          Effect: "Allow",
          Principal: { Service: "eks-fargate-pods.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            ArnLike: {
              "aws:SourceArn": `arn:${partition}:eks:${props.region}:${props.account}:fargateprofile/${props.clusterName}/*`,
            },
          },
        },
      ],
      managedPolicies: ["AmazonEKSFargatePodExecutionRolePolicy"],
      region: props.region,
    });
    return this.podExecutionRole;
  }
}
