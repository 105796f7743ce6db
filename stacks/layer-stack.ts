import { Construct } from "constructs";
import { Fn, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsEksClusterAuth } from "@cdktf/provider-aws/lib/data-aws-eks-cluster-auth";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { AddonContext, Layer } from "../modules/engine/types";
import type { AddonPlan } from "../modules/engine/resolve";
import type { ClusterHandle } from "../modules/cluster-handle";
import type { EnvironmentConfig } from "../modules/config/schema";
import { configureBackend } from "../modules/backend";
import { partitionOf } from "../modules/iam/policy";
import { stackName } from "../modules/naming";
import { attachPolicyPack } from "../modules/policy/attach";

export interface LayerStackProps {
  readonly environment: EnvironmentConfig;
  /** The environment's resolved add-ons (from `resolveAddons`), computed once per environment. */
  readonly addonPlan: AddonPlan;
}

/**
 * What every layer has in common: its own state (backend), an AWS provider locked to the environment's account,
 * default tags, and Kubernetes/Helm providers pointed at the cluster. The only base class in the project.
 */
export abstract class LayerStack extends TerraformStack {
  readonly environment: EnvironmentConfig;
  readonly layer: Layer;
  readonly addonPlan: AddonPlan;

  protected constructor(scope: Construct, layer: Layer, props: LayerStackProps) {
    const name = stackName(props.environment.name, layer);
    super(scope, name);
    this.environment = props.environment;
    this.layer = layer;
    this.addonPlan = props.addonPlan;
    const env = props.environment;
    configureBackend(this, env, layer, name);
    new AwsProvider(this, "aws", {
      region: env.region,
      // A credential for any other account fails the plan instead of touching that account.
      allowedAccountIds: [env.account],
      assumeRole: env.assumeRoleArn ? [{ roleArn: env.assumeRoleArn, externalId: env.externalId, sessionName: env.sessionName ?? `cdktf-${name}` }] : undefined,
      defaultTags: [{ tags: { ...env.tags, environment: env.name, stack: name, "managed-by": "cdktf-eks-platform" } }],
    });
    attachPolicyPack(this, env);
  }

  /** Helm and Kubernetes providers for the cluster: a short-lived token by default, or `aws eks get-token`. */
  protected configureKubernetesProviders(cluster: ClusterHandle): void {
    const env = this.environment;
    const connection = { host: cluster.endpoint, clusterCaCertificate: Fn.base64decode(cluster.certificateAuthorityData) };
    if (env.cluster.kubernetesAuth === "exec") {
      const args = ["eks", "get-token", "--cluster-name", cluster.name, "--region", env.region, ...(env.assumeRoleArn ? ["--role-arn", env.assumeRoleArn] : [])];
      const exec = { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args };
      new KubernetesProvider(this, "kubernetes", { ...connection, exec: [exec] });
      new HelmProvider(this, "helm", { kubernetes: { ...connection, exec } });
      return;
    }
    // The data source reads the token at plan time: works where no AWS CLI exists (Terraform Cloud runs).
    const auth = new DataAwsEksClusterAuth(this, "cluster-auth", { name: cluster.name });
    new KubernetesProvider(this, "kubernetes", { ...connection, token: auth.token });
    new HelmProvider(this, "helm", { kubernetes: { ...connection, token: auth.token } });
  }

  /** What add-ons of this layer see. */
  protected addonContext(cluster: ClusterHandle): AddonContext {
    const env = this.environment;
    return { environment: env, account: env.account, region: env.region, partition: partitionOf(env.region), cluster };
  }
}
