/**
 * The AWS services the platform itself calls from the private subnets, as interface endpoint names
 * (`com.amazonaws.<region>.<name>`), and who calls each. Plain data: the config schema reads it.
 */
export const INTERFACE_ENDPOINT_SERVICES = [
  "ecr.api", // image pulls: registry API (nodes, Fargate)
  "ecr.dkr", // image pulls: Docker registry API (layers then come from S3: the gateway endpoint)
  "sts", // IRSA web identity and every SDK's credential chain
  "ec2", // Karpenter (instances, fleets, launch templates), the VPC CNI (ENIs), the EBS CSI driver
  "sqs", // Karpenter's interruption queue
  "eks-auth", // EKS Pod Identity credentials
  "eks", // Karpenter (cluster endpoint discovery), the node bootstrap
  "ssm", // Karpenter's AMI lookup (public parameters), External Secrets' SSM store
  "elasticloadbalancing", // the AWS Load Balancer Controller
] as const;

export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];
