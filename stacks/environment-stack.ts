import { DefaultTokenResolver, Fn, StringConcat, TerraformElement, Tokenization, type TerraformStack } from "cdktf";
import { DataAwsEksClusterAuth } from "@cdktf/provider-aws/lib/data-aws-eks-cluster-auth";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { configureBackend } from "../modules/backends";
import type { ClusterHandle } from "../modules/cluster-handle";
import type { EnvironmentConfig } from "../modules/config/schema";
import { repairHclOutput } from "../modules/hcl/repair";
import { attachPolicyPack } from "../modules/policy/attach";
import { policyPackWaiver } from "../modules/policy/pack-waiver";
import { GUARD_RULES, environmentProviderGuard, POLICY_PACK_RULE } from "../modules/policy/provider-guard";
import { policyRule } from "../modules/policy/registry";
import { environmentAwsProvider } from "./aws-provider";
import { MINIMUM_TERRAFORM_VERSION, requireTerraformVersion } from "../modules/terraform-blocks";
import { tokenPerClusterCall } from "../modules/cluster-call-tokens";

/**
 * What every stack of an environment has, whoever owns it: the platform's layers (`LayerStack`) and a team's own
 * stacks (`TeamStack`) both call these, so a team stack cannot drift from the layers' backend, account guard or
 * cluster authentication.
 */

export { MINIMUM_TERRAFORM_VERSION } from "../modules/terraform-blocks";

export interface EnvironmentStackSetup {
  readonly environment: EnvironmentConfig;
  /** The stack's name (`<env>-<layer>`, `<env>-team-<name>`): state file, workspace, default tag, session name. */
  readonly stackName: string;
  /** The stack's part of the state key within the environment (`<layer>`, `team-<name>`): `<env>/<unit>.tfstate` on S3. */
  readonly unit: string;
  /**
   * Check the stack against the built-in policy pack with the environment's waivers (default true). `false` needs
   * a POLICY_PACK_ON waiver naming the stack, and keeps the provider rules (`attachEnvironmentPolicy`).
   */
  readonly policyPack?: boolean;
}

/** Backend, the account-guarded AWS provider with default tags, the policy pack, and HCL output that parses. */
export function configureEnvironmentStack(stack: TerraformStack, setup: EnvironmentStackSetup): void {
  const env = setup.environment;
  configureBackend(stack, env, setup.unit, setup.stackName);
  environmentAwsProvider(stack, { environment: env, stackName: setup.stackName });
  // Whatever the auth mode or backend: the stacks' blocks (`removed`, `ephemeral`, S3 `use_lockfile`) need it,
  // and an older Terraform would refuse them at init or ignore the lock (TERRAFORM_VERSION_FOR_BLOCKS).
  requireTerraformVersion(stack, MINIMUM_TERRAFORM_VERSION);
  attachEnvironmentPolicy(stack, env, setup.stackName, setup.policyPack ?? true);
  refuseCrossStackDependsOn(stack);
  // cdktf's HCL renderer writes JSON strings with references unescaped: `cdktf synth --hcl` must still parse.
  repairHclOutput(stack);
}

/**
 * The policy pack with the environment's waivers and its provider guard (every AWS provider locked to the
 * environment's account, with its default tags). Without the pack (`policyPack: false`, team stacks) the stack
 * needs a POLICY_PACK_ON waiver naming it, which the stack's evaluation reports as applied, and it keeps the guard.
 */
export function attachEnvironmentPolicy(
  stack: TerraformStack,
  env: EnvironmentConfig,
  stackName: string,
  policyPack: boolean,
): void {
  const guard = environmentProviderGuard(env, stackName);
  if (policyPack) return attachPolicyPack(stack, env, { guard });
  const waiver = policyPackWaiver(env, stackName);
  const finding = {
    rule: POLICY_PACK_RULE,
    stack: stackName,
    address: stackName,
    problem: "the policy pack is switched off (policyPack: false)",
    fix: policyRule(POLICY_PACK_RULE)?.fix ?? "",
  };
  attachPolicyPack(stack, env, { guard, rules: GUARD_RULES, waived: [{ finding, waiver }] });
}

/**
 * Helm and Kubernetes providers for the cluster. `ephemeral` (default): a token minted at every plan and every
 * apply, never stored, so a long first apply or a Terraform Cloud apply confirmed hours after its plan still
 * authenticates (the `aws_eks_cluster_auth` data source's token is minted at plan time and lasts 15 minutes).
 * `exec`: `aws eks get-token` on the machine running Terraform, as the assumed role.
 */
export function configureKubernetesProviders(
  stack: TerraformStack,
  env: EnvironmentConfig,
  cluster: ClusterHandle,
): void {
  const connection = {
    host: cluster.endpoint,
    clusterCaCertificate: Fn.base64decode(cluster.certificateAuthorityData),
  };
  if (env.cluster.kubernetesAuth === "exec") {
    const args = [
      "eks",
      "get-token",
      "--cluster-name",
      cluster.name,
      "--region",
      env.region,
      ...(env.assumeRoleArn ? ["--role-arn", env.assumeRoleArn] : []),
    ];
    const exec = { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args };
    new KubernetesProvider(stack, "kubernetes", { ...connection, exec: [exec] });
    new HelmProvider(stack, "helm", { kubernetes: { ...connection, exec } });
    return;
  }
  if (env.cluster.kubernetesAuth === "token") {
    const token = new DataAwsEksClusterAuth(stack, "cluster-auth", { name: cluster.name }).token;
    new KubernetesProvider(stack, "kubernetes", { ...connection, token });
    new HelmProvider(stack, "helm", { kubernetes: { ...connection, token } });
    return;
  }
  // Ephemeral: a token per call to the cluster, opened when that call can start (modules/cluster-call-tokens.ts).
  // In the foundation the name refers to the cluster resource, so no token opens before the cluster exists.
  // (Only the foundation's own handle has apiAccess: elsewhere the cluster is another state's, and the name is known.)
  tokenPerClusterCall(stack, connection, cluster.apiAccess.length > 0 ? cluster.nameReference : cluster.name);
}

/**
 * `dependsOn` on a resource of another stack becomes `depends_on = [data.terraform_remote_state.<x>.outputs.<y>]`
 * in cdktf, which Terraform refuses at plan time ("Invalid depends_on reference"). Fail the synth instead, naming
 * the element and the fix: the stack dependency already orders the applies (`addDependency`, and every stack of
 * an environment depends on its foundation).
 */
const RESOLVER = new DefaultTokenResolver(new StringConcat());

function refuseCrossStackDependsOn(stack: TerraformStack): void {
  stack.node.addValidation({
    validate: () =>
      stack.node
        .findAll()
        .filter((element): element is TerraformElement => element instanceof TerraformElement)
        .flatMap((element) => {
          const dependsOn =
            (element as { dependsOn?: ReadonlyArray<string | { readonly fqn: string }> }).dependsOn ?? [];
          return dependsOn.flatMap((entry) => {
            const address = String(
              Tokenization.resolve(typeof entry === "string" ? entry : entry.fqn, {
                scope: element,
                preparing: false,
                resolver: RESOLVER,
              }),
            );
            if (!address.startsWith("data.terraform_remote_state.")) return [];
            return [
              `${element.node.path}: depends_on points into another stack (${address}), which Terraform refuses; drop it: stack dependencies order the applies (the environment's \`cluster\` handle has no apiAccess for this reason)`,
            ];
          });
        }),
  });
}
