import { ClusterAccess } from "../modules/access";
import { EksControlPlane } from "../modules/cluster";
import { FARGATE_PROFILES, FargateCompute } from "../modules/fargate";
import { networkPlacement } from "../modules/vpc";
import { RunRoleAccess } from "../modules/terraform-cloud/access";
import type { TerraformStack } from "cdktf";
import type { LayerBase, LayerBuildInput } from "./layer-types";

/**
 * `<env>-foundation`: VPC placement, the EKS control plane and access entries, and the Fargate profiles service
 * for add-ons that run before any node (Karpenter, CoreDNS). Everything else is add-ons and their companions.
 */
export function buildFoundation(stack: TerraformStack, input: LayerBuildInput): LayerBase {
  const env = input.environment;
  const placement = networkPlacement(stack, env);
  const controlPlane = new EksControlPlane(stack, "control-plane", { environment: env, network: placement });
  const cluster = controlPlane.handle;
  new ClusterAccess(stack, "access", { environment: env, clusterName: controlPlane.cluster.name });
  new RunRoleAccess(stack, "run-role-access", { environment: env, clusterName: controlPlane.cluster.name });
  input.capabilities.provide(
    FARGATE_PROFILES,
    new FargateCompute(stack, "fargate", {
      clusterName: cluster.name,
      clusterNameRef: cluster.nameReference,
      account: env.account,
      region: env.region,
      privateSubnetIds: placement.privateSubnetIds,
    }),
  );
  return { cluster, apiAccess: cluster.apiAccess };
}
