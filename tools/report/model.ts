import { inventory, type InventoryEntry } from "../../modules/engine/inventory";
import type { AddonDefinition } from "../../modules/engine/types";
import { layerInfo, type Layer } from "../../modules/layers";
import { planOf, planPlatform, type EnvironmentPlan, type PlatformPlan } from "../../modules/plan";
import type { ConfigIssue } from "../../modules/errors";
import type { PlatformConfig } from "../../modules/config/schema";
import type { EnvironmentConfig } from "../../modules/config/schema";
import { roleName } from "../../modules/iam/role-name";
import { stackName } from "../../modules/naming";
import { KUBERNETES_VERSIONS, type KubernetesVersion } from "../../modules/versions";
import { terraformCloudPlan } from "../../modules/terraform-cloud/plan";
import { organizationBoundaryArn, platformRoleBoundaryArn } from "../../modules/terraform-cloud/settings";
import { environmentWarnings, type ReportWarning } from "./warnings";

/**
 * The operator report as data: per environment, its stacks and the add-ons each installs (delivery, pinned
 * version, the Kubernetes versions that version supports, AWS identity and role, namespace, dependencies) and
 * what deserves attention. Computed from the validated config and the add-on plan only: nothing is synthesized.
 */

export interface AddonRow extends InventoryEntry {
  readonly stack: string;
  /** The IAM role the add-on's service account assumes; null when it needs no AWS identity. */
  readonly roleName: string | null;
  readonly description: string;
}

export interface StackRow {
  readonly name: string;
  readonly layer: Layer;
  /** Stacks whose outputs this one reads (and which must be applied first, destroyed last). */
  readonly dependsOn: ReadonlyArray<string>;
  /** Enabled add-ons it installs, in install order. */
  readonly addons: ReadonlyArray<string>;
}

/** A Terraform Cloud workspace the terraform-cloud stack manages (`backend.manageWorkspaces`), with its wiring. */
export interface WorkspaceRow {
  readonly workspace: string;
  readonly stack: string;
  /** `remote`, or `agent (<pool id>)`. */
  readonly execution: string;
  /** The run role's ARN (dynamic credentials), or null when the runs bring their own credentials. */
  readonly runRole: string | null;
  /** Workspaces whose applies queue a run here (run triggers). */
  readonly triggeredBy: ReadonlyArray<string>;
  /** Workspaces allowed to read this one's state. */
  readonly stateReadBy: ReadonlyArray<string>;
}

export interface EnvironmentReport {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly clusterName: string;
  readonly kubernetesVersion: KubernetesVersion;
  readonly endOfStandardSupport: string;
  readonly endOfExtendedSupport: string;
  /** Where the cluster runs: the VPC (given or created: NAT gateways, VPC endpoints). */
  readonly network: string;
  /** The permissions boundary the environment's roles carry, and which roles: boundaryText. */
  readonly permissionsBoundary: string;
  /** Stacks of the layers switched on. */
  readonly stacks: ReadonlyArray<StackRow>;
  /** Enabled add-ons only, in catalog order. */
  readonly addons: ReadonlyArray<AddonRow>;
  /** Add-ons switched off (or whose layer is off). */
  readonly disabledAddons: ReadonlyArray<string>;
  /** Managed Terraform Cloud workspaces; empty when the environment does not manage them. */
  readonly workspaces: ReadonlyArray<WorkspaceRow>;
  readonly warnings: ReadonlyArray<ReportWarning>;
  /** Problems resolution found (the same ones synth refuses with). */
  readonly issues: ReadonlyArray<ConfigIssue>;
}

export interface PlatformReport {
  /** The day the support calendar and waiver expiries were judged against (YYYY-MM-DD). */
  readonly asOf: string;
  readonly environments: ReadonlyArray<EnvironmentReport>;
}

export interface ReportOptions {
  /** "Today" for support dates and waiver expiry; default now. */
  readonly now?: Date;
  readonly catalog?: ReadonlyArray<AddonDefinition>;
}

/** The report of a plan, or of a validated config (which carries its plan); nothing is resolved again. */
export function buildReport(config: PlatformConfig | PlatformPlan, options: ReportOptions = {}): PlatformReport {
  const now = options.now ?? new Date();
  const platformPlan =
    "catalog" in config ? config : (planOf(config) ?? planPlatform(config, { catalog: options.catalog }));
  return {
    asOf: now.toISOString().slice(0, 10),
    environments: platformPlan.environments.map((environmentPlan) =>
      environmentReport(environmentPlan, platformPlan.catalog, now),
    ),
  };
}

export function environmentReport(
  environmentPlan: EnvironmentPlan,
  catalog: ReadonlyArray<AddonDefinition>,
  now: Date,
): EnvironmentReport {
  const { environment, addons: plan } = environmentPlan;
  const clusterName = environment.cluster.name ?? environment.name;
  const descriptions = new Map(catalog.map((definition) => [definition.name, definition.description]));
  const entries = inventory(plan);
  const addons: AddonRow[] = entries
    .filter((entry) => entry.enabled)
    .map((entry) => ({
      ...entry,
      stack: stackName(environment.name, entry.layer),
      roleName: entry.identity === "none" ? null : roleName(clusterName, entry.name),
      description: descriptions.get(entry.name) ?? "",
    }));
  const stacks: StackRow[] = environmentPlan.layers.map((layer) => ({
    name: stackName(environment.name, layer),
    layer,
    dependsOn: layerInfo(layer).reads.map((read) => stackName(environment.name, read)),
    addons: addons.filter((addon) => addon.layer === layer).map((addon) => addon.name),
  }));
  const kubernetesVersion = environment.cluster.kubernetesVersion as KubernetesVersion;
  const calendar = KUBERNETES_VERSIONS[kubernetesVersion];
  return {
    name: environment.name,
    account: environment.account,
    region: environment.region,
    clusterName,
    kubernetesVersion,
    endOfStandardSupport: calendar.endOfStandardSupport,
    endOfExtendedSupport: calendar.endOfExtendedSupport,
    network: networkText(environment),
    permissionsBoundary: boundaryText(environment),
    stacks,
    addons,
    disabledAddons: entries.filter((entry) => !entry.enabled).map((entry) => entry.name),
    workspaces: workspaceRows(environmentPlan),
    warnings: environmentWarnings(environment, plan, { now }),
    issues: plan.issues,
  };
}

/** The environment's managed workspaces, from the same plan the terraform-cloud stack is built from. */
function workspaceRows(environmentPlan: EnvironmentPlan): WorkspaceRow[] {
  const managed = terraformCloudPlan({ environments: [environmentPlan] })?.environments[0];
  if (!managed) return [];
  const workspaceOf = (stack: string) =>
    managed.workspaces.find((workspace) => workspace.stack === stack)?.name ?? stack;
  const execution =
    managed.settings.executionMode === "agent" ? `agent (${managed.settings.agentPoolId ?? "?"})` : "remote";
  return managed.workspaces.map((workspace) => ({
    workspace: workspace.name,
    stack: workspace.stack,
    execution,
    runRole: workspace.runRole?.arn ?? null,
    triggeredBy: workspace.triggeredBy.map(workspaceOf),
    stateReadBy: workspace.sharesStateWith.map(workspaceOf),
  }));
}

/** "1.32–1.35" for a contiguous run of known versions, else a comma list; "unverified" when empty. */
export function kubernetesRangeText(versions: ReadonlyArray<string>): string {
  if (versions.length === 0) return "unverified";
  const known = Object.keys(KUBERNETES_VERSIONS);
  const indexes = versions.map((version) => known.indexOf(version));
  const contiguous = indexes.every((index, i) => index >= 0 && (i === 0 || index === indexes[i - 1] + 1));
  if (versions.length === 1) return versions[0];
  return contiguous ? `${versions[0]}–${versions[versions.length - 1]}` : versions.join(", ");
}

/** One line on the VPC: an existing one by id, or what the platform creates (NAT gateways, endpoints). */
export function networkText(environment: EnvironmentConfig): string {
  const create = environment.vpc.create;
  if (!create) return `existing VPC ${environment.vpc.id} (its NAT and endpoints are not the platform's)`;
  const endpoints = [
    ...(create.endpoints.s3Gateway ? ["S3 gateway"] : []),
    ...(create.endpoints.interface.length > 0 ? [`interface: ${create.endpoints.interface.join(", ")}`] : []),
  ];
  return `created VPC ${create.cidr} in ${create.azs.length} AZs, NAT ${create.natGateways}, VPC endpoints: ${endpoints.join("; ") || "none"}`;
}

/** Which permissions boundary the environment's roles carry (modules/terraform-cloud/boundary.ts), in one line. */
export function boundaryText(environment: EnvironmentConfig): string {
  const organization = organizationBoundaryArn(environment);
  if (organization)
    return `${organization} (the organization's: every role of the environment, team stacks' and run roles included; the service-linked spot role takes none)`;
  const platform = platformRoleBoundaryArn(environment);
  if (platform)
    return `${platform} (the platform's own, on the platform's layers' roles: Terraform Cloud runs build them)`;
  return "none (iam.permissionsBoundaryArn not set)";
}
