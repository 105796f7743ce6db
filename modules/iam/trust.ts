import type { PolicyStatement } from "./policy";
import { partitionOf } from "./policy";

/** The cluster a trust is for: what a team stack has from its environment and cluster handle. */
export interface TrustTarget {
  readonly account: string;
  readonly region: string;
  /** The cluster name (a token from the cluster handle is fine: it renders into the policy JSON). */
  readonly clusterName: string;
}

/**
 * Trust for EKS Pod Identity, limited to one account and one cluster (the confused-deputy guard AWS documents;
 * the IAM_POD_IDENTITY_TRUST rule requires it). Which namespace and service account get the role is the
 * `aws_eks_pod_identity_association`'s job: name them there.
 */
export function podIdentityTrustFor(target: TrustTarget): PolicyStatement[] {
  return [
    {
      Effect: "Allow",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: {
        StringEquals: { "aws:SourceAccount": target.account },
        ArnEquals: {
          "aws:SourceArn": `arn:${partitionOf(target.region)}:eks:${target.region}:${target.account}:cluster/${target.clusterName}`,
        },
      },
    },
  ];
}

/**
 * Trust for IRSA: one service account of one namespace, through the cluster's OIDC provider (StringEquals on
 * `:sub` and `:aud`, as IAM_IRSA_TRUST_SCOPED requires). `oidcIssuer` is the issuer without `https://`.
 */
export function irsaTrustFor(
  oidcProviderArn: string,
  oidcIssuer: string,
  namespace: string,
  serviceAccount: string,
): PolicyStatement[] {
  return [
    {
      Effect: "Allow",
      Principal: { Federated: oidcProviderArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${oidcIssuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
          [`${oidcIssuer}:aud`]: "sts.amazonaws.com",
        },
      },
    },
  ];
}
