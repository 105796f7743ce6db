/**
 * Library entry: compose the platform's stacks in your own cdktf app.
 *
 *   import { App } from "cdktf";
 *   import { Platform, loadConfigFile } from "cdktf-eks-platform";
 *   const app = new App();
 *   const platform = new Platform(app, { config: loadConfigFile("platform.yaml") });
 *   for (const environment of platform.environments) environment.addStack("payments", (stack) => { ... });
 *   app.synth();
 *
 * A team stack (`TeamStack`) gets the environment's backend, guarded AWS provider and Kubernetes/Helm providers
 * (`awsProvider(stack, alias, { region })` adds another AWS provider inside the same guard);
 * `stack.cluster` / `environment.cluster` is the cluster handle that is safe in any stack. README: "Layout and
 * library use".
 */
export { Platform, type EnvironmentStacks, type PlatformProps } from "./stacks/platform";
export { LayerStack, type LayerStackProps } from "./stacks/layer-stack";
export { TeamStack, type TeamStackEnvironment, type TeamStackOptions, type TeamStackProps } from "./stacks/team-stack";
export {
  configureEnvironmentStack,
  configureKubernetesProviders,
  MINIMUM_TERRAFORM_VERSION,
  type EnvironmentStackSetup,
} from "./stacks/environment-stack";
export { awsProvider, type AwsProviderOptions } from "./stacks/aws-provider";
export { ENVIRONMENTS_VARIABLE, environmentNamesFrom, selectEnvironments } from "./modules/selection";
export { defineConfig, type EnvironmentEntryInput, type PlatformConfigInput } from "./modules/config-input";
export type { ConfigInput, EnvironmentEntryInputFor, PlatformConfigInputFor } from "./modules/config/input";
export { LAYER_BUILDERS, type LayerBase, type LayerBuilder, type LayerBuildInput } from "./stacks/layers";
export { LAYERS, LAYER_TABLE, enabledLayers, layerInfo, layerOrder, type Layer } from "./modules/layers";
export {
  KUBERNETES_VERSIONS,
  SUPPORTED_KUBERNETES_VERSIONS,
  DEFAULT_KUBERNETES_VERSION,
  PINS,
  UNVERIFIED,
  type KubernetesVersion,
  type VersionPin,
} from "./modules/versions";
export { roleName } from "./modules/iam/addon-identity";
// What the policy pack's messages name, for team stacks: literal JSON policies and scoped trusts.
export { policyJson, policyDocument, type PolicyStatement } from "./modules/iam/policy";
export { irsaTrustFor, podIdentityTrustFor, type TrustTarget } from "./modules/iam/trust";
export { describeAppFailure, runPlatformApp, type RunPlatformAppOptions } from "./modules/app-runner";
export { AL2023_AMI_RELEASES, amiAliasIssue, checkAmiAlias } from "./modules/ami-releases";
export { stackName } from "./modules/naming";
export { defineCapability, NODE_CAPACITY, type Capability } from "./modules/engine/capabilities";
export {
  isPlatformPlan,
  loadConfigFile,
  parseConfigText,
  planOf,
  planPlatform,
  validateConfig,
  type EnvironmentPlan,
  type PlanOptions,
  type PlatformPlan,
} from "./modules/plan";
export {
  addonOverrideSchema,
  environmentSchema,
  environmentSchemaFor,
  type EnvironmentConfig,
  type EnvironmentInput,
  type PlatformConfig,
  type AddonOverride,
} from "./modules/config/schema";
export { PlatformConfigError, formatIssue, type ConfigIssue } from "./modules/errors";
export {
  defineAddon,
  type AddonDefinition,
  type AddonContext,
  type CompanionContext,
  type CompanionParts,
  type Companions,
  type Delivery,
} from "./modules/engine/types";
export { ADDONS, type AddonName } from "./modules/addons/catalog";
export { resolveAddons, type AddonPlan, type ResolvedAddon } from "./modules/engine/resolve";
export { inventory, type InventoryEntry } from "./modules/engine/inventory";
export { synthesizeAtomically } from "./modules/synth";
export { TerraformCloudStack, type TerraformCloudStackProps } from "./stacks/terraform-cloud";
export {
  terraformCloudPlan,
  type ManagedEnvironmentPlan,
  type TerraformCloudPlan,
  type WorkspacePlan,
} from "./modules/terraform-cloud/plan";
export {
  teamWorkspacePlan,
  type TeamAccess,
  type TeamAccessLevel,
  type TeamPolicyStatement,
  type TeamWorkspaceOptions,
  type TeamWorkspacePlan,
} from "./modules/terraform-cloud/team";
export type { ClusterHandle } from "./modules/cluster-handle";
export { waiverDaysLeft } from "./modules/policy/engine";
export { standardSupportProblem, SUPPORT_WINDOW_DAYS } from "./modules/policy/support";
export {
  attachPolicyPack,
  evaluatePolicy,
  formatFinding,
  policyEvaluationOf,
  unusedWaivers,
  POLICY_RULES,
  POLICY_RULE_IDS,
  type Finding,
  type PolicyEvaluation,
  type PolicyRule,
  type AppliedWaiver,
} from "./modules/policy";
