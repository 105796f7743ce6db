import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { Ec2Tag } from "@cdktf/provider-aws/lib/ec2-tag";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Fn, Op, TerraformLocal } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamSessionContext } from "@cdktf/provider-aws/lib/data-aws-iam-session-context";
import type { ClusterHandle } from "./cluster-handle";
import type { EnvironmentConfig } from "./config/schema";
import { roleName, roleWithPolicies } from "./iam/addon-identity";
import { dnsSuffixOf, partitionOf } from "./iam/policy";
import { logsKeyStatement, platformKey } from "./kms";
import { stableId } from "./naming";
import { dynamicRunRoleArn } from "./terraform-cloud/settings";
import type { KubernetesVersion } from "./versions";
import { clusterNameOf, KARPENTER_DISCOVERY_TAG, type NetworkPlacement } from "./vpc";

export interface EksControlPlaneProps {
  readonly environment: EnvironmentConfig;
  readonly network: NetworkPlacement;
}

/**
 * The EKS control plane with the platform's security defaults: private endpoint, public endpoint only for listed
 * CIDRs, secrets envelope-encrypted with a customer key, all five log types into a pre-created, encrypted log
 * group with retention, API-only authentication and no implicit cluster-creator admin. No node groups:
 * CoreDNS and Karpenter run on Fargate and Karpenter launches everything else.
 */
export class EksControlPlane extends Construct {
  readonly cluster: EksCluster;
  readonly handle: ClusterHandle;
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: EksControlPlaneProps) {
    super(scope, id);
    const env = props.environment;
    const name = clusterNameOf(env);
    const partition = partitionOf(env.region);
    const logGroupName = `/aws/eks/${name}/cluster`;

    const keyArn =
      env.cluster.kmsKeyArn ??
      platformKey(this, "cluster", {
        name: `eks/${name}`,
        description: `EKS ${name}: envelope encryption of Kubernetes secrets, and the control-plane logs`,
        account: env.account,
        partition,
        serviceStatements: [
          logsKeyStatement({
            partition,
            region: env.region,
            account: env.account,
            logGroupPrefix: `/aws/eks/${name}/`,
            dnsSuffix: dnsSuffixOf(env.region),
          }),
        ],
      }).arn;
    this.keyArn = keyArn;

    const logGroup = stableId(
      new CloudwatchLogGroup(this, "logs", {
        name: logGroupName,
        retentionInDays: env.cluster.logs.retentionDays,
        kmsKeyId: keyArn,
        lifecycle: { preventDestroy: true },
      }),
      "cluster",
    );

    const clusterRole = roleWithPolicies(this, {
      name: "cluster",
      iamName: roleName(name, "cluster"),
      description: `EKS control plane of ${name}`,
      trust: [
        { Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] },
      ],
      managedPolicies: ["AmazonEKSClusterPolicy"],
      statements: [
        {
          Sid: "SecretsEncryption",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
          Resource: keyArn,
        },
      ],
      region: env.region,
    });

    const endpoint = env.cluster.endpoint;
    this.cluster = stableId(
      new EksCluster(this, "cluster", {
        name,
        version: env.cluster.kubernetesVersion,
        roleArn: clusterRole.role.arn,
        vpcConfig: {
          subnetIds: props.network.privateSubnetIds,
          endpointPrivateAccess: endpoint.privateAccess,
          endpointPublicAccess: endpoint.publicAccessCidrs.length > 0,
          publicAccessCidrs: endpoint.publicAccessCidrs.length > 0 ? endpoint.publicAccessCidrs : undefined,
        },
        encryptionConfig: { provider: { keyArn }, resources: ["secrets"] },
        enabledClusterLogTypes: [...env.cluster.logs.types],
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        bootstrapSelfManagedAddons: false,
        deletionProtection: env.cluster.deletionProtection,
        // EXTENDED by default (the AWS default): with STANDARD, EKS upgrades the control plane by itself when standard
        // support ends, and the next plan then tries a downgrade (EKS_SUPPORT_WINDOW guards the STANDARD case).
        upgradePolicy: { supportType: env.cluster.supportType },
        // Network outlives compute: NAT and private routes are destroyed only after the cluster and all on it.
        dependsOn: [logGroup, ...clusterRole.attachments, ...props.network.egress],
      }),
      "cluster",
    );

    // EKS creates the cluster security group; Karpenter's EC2NodeClass finds it by this tag, so nodes join it.
    stableId(
      new Ec2Tag(this, "cluster-sg-discovery", {
        resourceId: this.cluster.vpcConfig.clusterSecurityGroupId,
        key: KARPENTER_DISCOVERY_TAG,
        value: name,
      }),
      "cluster_security_group_karpenter_discovery",
    );

    const issuerUrl = this.cluster.identity.get(0).oidc.get(0).issuer;
    const oidc = stableId(
      new IamOpenidConnectProvider(this, "oidc", { url: issuerUrl, clientIdList: ["sts.amazonaws.com"] }),
      "cluster",
    );

    this.handle = {
      name,
      nameReference: this.cluster.name,
      arn: this.cluster.arn,
      kubernetesVersion: env.cluster.kubernetesVersion as KubernetesVersion,
      endpoint: this.cluster.endpoint,
      certificateAuthorityData: this.cluster.certificateAuthority.get(0).data,
      oidcProviderArn: oidc.arn,
      // A local keeps the trust policies literal, parseable JSON: `${local.oidc_issuer}` has no quotes inside,
      // where an inline `${replace(..., "https://", "")}` would put Terraform's quotes into the JSON string.
      oidcIssuer: stableId(
        new TerraformLocal(this, "oidc-issuer", Fn.replace(issuerUrl, "https://", "")),
        "oidc_issuer",
      ).asString,
      clusterSecurityGroupId: this.cluster.vpcConfig.clusterSecurityGroupId,
      vpcId: props.network.vpcId,
      privateSubnetIds: props.network.privateSubnetIds,
      apiAccess: this.terraformAccess(env, name),
    };
  }

  /**
   * The identity the Kubernetes and Helm providers call the API as gets cluster-admin through an access entry:
   * the later layers install CRDs, cluster roles and webhooks. Nothing else is granted implicitly (creator admin
   * is off). That identity is one fixed role (the config refuses an environment without one): the role the AWS
   * provider assumes, the configured `terraformRoleArn`, or the foundation workspace's run role. When Terraform
   * runs as `terraformRoleArn` without assuming it, a precondition checks at plan time that the caller's session
   * really is that role, so another operator gets an error naming the fix instead of replacing the entry.
   */
  private terraformAccess(env: EnvironmentConfig, clusterName: string): EksAccessPolicyAssociation[] {
    // With Terraform Cloud dynamic credentials, the foundation workspace's run role (a computed ARN: no reference into the terraform-cloud stack).
    const principalArn =
      env.cluster.access.terraformRoleArn ?? env.assumeRoleArn ?? dynamicRunRoleArn(env, "foundation");
    if (principalArn === undefined)
      throw new Error(
        `${env.name}: no Terraform role for the cluster's admin access entry (the config check refuses this)`,
      );
    const callerMustBe = !env.assumeRoleArn && !dynamicRunRoleArn(env, "foundation");
    const entry = stableId(
      new EksAccessEntry(this, "terraform-access", {
        clusterName: this.cluster.name,
        principalArn,
        type: "STANDARD",
        lifecycle: callerMustBe
          ? {
              precondition: [
                {
                  condition: Op.eq(this.callerIdentityArn(), principalArn),
                  errorMessage: `Terraform runs as another identity than cluster.access.terraformRoleArn (${principalArn}), which gets the cluster's admin access entry and is what the Kubernetes and Helm providers call the cluster as: run as that role (assume it, or use a profile for it), or set assumeRoleArn so Terraform assumes it.`,
                },
              ],
            }
          : undefined,
      }),
      "terraform",
    );
    const association = new EksAccessPolicyAssociation(this, "terraform-admin", {
      clusterName: clusterName,
      principalArn: entry.principalArn,
      policyArn: `arn:${partitionOf(env.region)}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
      accessScope: { type: "cluster" },
    });
    return [stableId(association, "terraform")];
  }

  private callerIdentityArn(): string {
    const caller = stableId(new DataAwsCallerIdentity(this, "caller"), "current");
    return stableId(new DataAwsIamSessionContext(this, "caller-session", { arn: caller.arn }), "current").issuerArn;
  }
}
