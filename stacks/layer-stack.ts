import { Construct } from "constructs";
import { Fn, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsEksClusterAuth } from "@cdktf/provider-aws/lib/data-aws-eks-cluster-auth";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { configureBackend } from "../modules/backends";
import type { ClusterHandle } from "../modules/cluster-handle";
import type { EnvironmentConfig } from "../modules/config/schema";
import { CapabilityRegistry } from "../modules/engine/capabilities";
import { renderAddons, type RenderedAddon } from "../modules/engine/render";
import { addonsOfLayer, type AddonPlan } from "../modules/engine/resolve";
import type { AddonContext } from "../modules/engine/types";
import { partitionOf } from "../modules/iam/policy";
import { layerInfo, type Layer } from "../modules/layers";
import { stackName } from "../modules/naming";
import { ephemeralResource, requireTerraformVersion } from "../modules/terraform-blocks";
import { repairHclOutput } from "../modules/hcl/repair";
import { attachPolicyPack } from "../modules/policy/attach";
import { LAYER_BUILDERS } from "./layers";

/** The oldest Terraform the stacks work with: ephemeral resources and S3-native locking arrived in 1.10. */
export const MINIMUM_TERRAFORM_VERSION = ">= 1.10";

export interface LayerStackProps {
  readonly environment: EnvironmentConfig;
  /** The environment's resolved add-ons (from the platform plan), computed once per environment. */
  readonly addonPlan: AddonPlan;
  readonly layer: Layer;
  /** The environment's stacks of earlier layers; this one reads those its layer table entry names. */
  readonly earlier: ReadonlyMap<Layer, LayerStack>;
}

/**
 * One layer of one environment: its own state (backend), an AWS provider locked to the environment's account,
 * default tags, the layer's own resources (its `LAYER_BUILDERS` entry), Kubernetes/Helm providers pointed at
 * the cluster, and the layer's add-ons with their companions. Every layer is this one class.
 */
export class LayerStack extends TerraformStack {
  readonly environment: EnvironmentConfig;
  readonly layer: Layer;
  readonly addonPlan: AddonPlan;
  /** The cluster as this layer sees it (cross-stack references outside the foundation). */
  readonly cluster: ClusterHandle;
  /** What the layer's resources and add-on companions provided (node capacity, the ingress group ...). */
  readonly capabilities = new CapabilityRegistry();
  readonly addons: ReadonlyMap<string, RenderedAddon>;

  constructor(scope: Construct, props: LayerStackProps) {
    const env = props.environment;
    const name = stackName(env.name, props.layer);
    super(scope, name);
    this.environment = env;
    this.layer = props.layer;
    this.addonPlan = props.addonPlan;
    configureBackend(this, env, props.layer, name);
    new AwsProvider(this, "aws", {
      region: env.region,
      // A credential for any other account fails the plan instead of touching that account.
      allowedAccountIds: [env.account],
      assumeRole: env.assumeRoleArn ? [{ roleArn: env.assumeRoleArn, externalId: env.externalId, sessionName: env.sessionName ?? `cdktf-${name}` }] : undefined,
      defaultTags: [{ tags: { ...env.tags, environment: env.name, stack: name, "managed-by": "cdktf-eks-platform" } }],
    });
    attachPolicyPack(this, env);
    // cdktf's HCL renderer writes JSON strings with references unescaped: `cdktf synth --hcl` must still parse.
    repairHclOutput(this);

    const reads = new Map(layerInfo(props.layer).reads.map((read) => {
      const stack = props.earlier.get(read);
      if (!stack) throw new Error(`${name} reads the ${read} layer, which was not built first`);
      this.addDependency(stack);
      return [read, stack] as const;
    }));
    const base = LAYER_BUILDERS[props.layer](this, { environment: env, reads, capabilities: this.capabilities });
    this.cluster = base.cluster;
    this.configureKubernetesProviders(this.cluster);
    this.addons = renderAddons(this, this.addonContext(), addonsOfLayer(this.addonPlan, props.layer), { apiAccess: base.apiAccess, capabilities: this.capabilities });
  }

  /**
   * Helm and Kubernetes providers for the cluster. `ephemeral` (default): a token minted at every plan and every
   * apply, never stored, so a long first apply or a Terraform Cloud apply confirmed hours after its plan still
   * authenticates (the `aws_eks_cluster_auth` data source's token is minted at plan time and lasts 15 minutes).
   * `exec`: `aws eks get-token` on the machine running Terraform, as the assumed role.
   */
  private configureKubernetesProviders(cluster: ClusterHandle): void {
    const env = this.environment;
    const connection = { host: cluster.endpoint, clusterCaCertificate: Fn.base64decode(cluster.certificateAuthorityData) };
    if (env.cluster.kubernetesAuth === "exec") {
      const args = ["eks", "get-token", "--cluster-name", cluster.name, "--region", env.region, ...(env.assumeRoleArn ? ["--role-arn", env.assumeRoleArn] : [])];
      const exec = { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args };
      new KubernetesProvider(this, "kubernetes", { ...connection, exec: [exec] });
      new HelmProvider(this, "helm", { kubernetes: { ...connection, exec } });
      return;
    }
    // Ephemeral resources need Terraform >= 1.10 (which S3-native locking needs too).
    requireTerraformVersion(this, MINIMUM_TERRAFORM_VERSION);
    const token = env.cluster.kubernetesAuth === "token"
      ? new DataAwsEksClusterAuth(this, "cluster-auth", { name: cluster.name }).token
      : ephemeralResource(this, "aws_eks_cluster_auth", "cluster", { name: cluster.name }, "token");
    new KubernetesProvider(this, "kubernetes", { ...connection, token });
    new HelmProvider(this, "helm", { kubernetes: { ...connection, token } });
  }

  /** What add-ons of this layer see. */
  private addonContext(): AddonContext {
    const env = this.environment;
    return { environment: env, account: env.account, region: env.region, partition: partitionOf(env.region), cluster: this.cluster };
  }
}
