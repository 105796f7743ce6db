import type { ITerraformDependable } from "cdktf";
import type { KubernetesVersion } from "./versions";

/**
 * What later layers and add-ons know about the cluster. Inside the foundation stack the attributes are
 * resource attributes; in later stacks the same values become cross-stack references (outputs + remote state).
 */
export interface ClusterHandle {
  /** Cluster name as configured: a plain string, so values and names stay readable. */
  readonly name: string;
  /**
   * The same name as a reference to the cluster resource: what is created with it (access entries, Fargate
   * profiles) waits for the cluster. Only meaningful in the foundation stack.
   */
  readonly nameReference: string;
  readonly arn: string;
  readonly kubernetesVersion: KubernetesVersion;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  /** ARN of the IAM OIDC provider, for IRSA trust policies. */
  readonly oidcProviderArn: string;
  /** Issuer without `https://`, the prefix of the `:sub` and `:aud` condition keys. */
  readonly oidcIssuer: string;
  /** The cluster security group EKS creates; Karpenter nodes and Fargate pods join it. */
  readonly clusterSecurityGroupId: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  /** Resources that must exist before anything talks to the cluster API (Terraform's access entry). */
  readonly apiAccess: ITerraformDependable[];
}
