import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { ZodType } from "zod";
import type { Capability } from "./capabilities";
import type { PodSecurity } from "./pod-security";
import type { ClusterHandle } from "../cluster-handle";
import type { EnvironmentConfig } from "../config/schema";
import type { PolicyStatement } from "../iam/policy";
import type { VersionPin } from "../versions";

import type { Layer } from "../layers";
export type { Layer } from "../layers";
export type { PodSecurity, PodSecurityLevel } from "./pod-security";

export type DeliveryKind = "eks-addon" | "helm" | "manifests";
export type IdentityMode = "pod-identity" | "irsa" | "none";
export type Values = Record<string, unknown>;

/** What an add-on's values and policies may use. Cluster attributes are tokens (cross-stack where needed). */
export interface AddonContext {
  readonly environment: EnvironmentConfig;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly cluster: ClusterHandle;
}

/** An add-on's AWS identity: the policy its controller needs. `undefined` on the add-on means it needs none. */
export interface IdentitySpec {
  /** Least-privilege statements, literal JSON, scoped to the cluster where upstream allows. */
  readonly statements?: (ctx: AddonContext) => PolicyStatement[];
  /** AWS managed policies to attach instead of, or beside, the statements. */
  readonly managedPolicies?: ReadonlyArray<string>;
  /**
   * Whether this environment's configuration needs the identity at all (default: always). An add-on that calls
   * AWS only for an optional feature (cert-manager's DNS-01 solver) gets no role, and no identity to override,
   * without it.
   */
  readonly neededWhen?: (environment: EnvironmentConfig) => boolean;
}

interface DeliveryBase {
  /** Pinned versions, newest first, each with the Kubernetes versions it supports (from `versions.ts`). */
  readonly pins: ReadonlyArray<VersionPin>;
  /** Checks user `values` for this delivery before anything is built. Unknown keys pass unless the schema is strict. */
  readonly valuesSchema?: ZodType;
  /**
   * Values the add-on computes for its identity and wiring (the cluster it serves, its VPC, its DNS zone): a user
   * `values` override of one is a config error naming the path and `why`. The service account the engine sets
   * (name, create, IRSA role annotation) is locked for every add-on with a `serviceAccount`.
   */
  readonly lockedValues?: ReadonlyArray<LockedValue>;
  /**
   * Environment variables that set what `lockedValues` set (Karpenter's CLUSTER_NAME, external-dns's
   * EXTERNAL_DNS_<FLAG>): refused in the chart's `env`/`extraEnv` lists and maps. Add-ons with an `identity` also
   * refuse the AWS SDK's credential, role and endpoint variables (values-checks.ts).
   */
  readonly lockedEnv?: ReadonlyArray<LockedEnv>;
}

/** One value path users may not override, and why (shown in the config error). */
export interface LockedValue {
  readonly path: ReadonlyArray<string>;
  readonly why: string;
}

/** An environment variable users may not set, and why; a `name` ending in `*` is a prefix (`EXTERNAL_DNS_*`). */
export interface LockedEnv {
  readonly name: string;
  readonly why: string;
}

/** Where a chart keeps one of its images, and the image (or registry) upstream publishes it as. */
export interface ImageValue {
  /** The values path of the repository (or registry) reference: `["controller", "image", "repository"]`. */
  readonly path: ReadonlyArray<string>;
  /** Its upstream value, registry host first: `public.ecr.aws/karpenter/controller`, or `quay.io`. */
  readonly upstream: string;
}

/** Delivered as an EKS managed add-on: EKS owns the lifecycle; values become `configuration_values`. */
export interface EksAddonDelivery extends DeliveryBase {
  readonly kind: "eks-addon";
  /** The `addon_name` EKS knows it by. */
  readonly addonName: string;
  readonly values?: (ctx: AddonContext) => Values;
}

/** Delivered as a Helm release. */
export interface HelmDelivery extends DeliveryBase {
  readonly kind: "helm";
  readonly repository: string;
  readonly chart: string;
  readonly values?: (ctx: AddonContext) => Values;
  /** Where the chart keeps its service account settings (default `serviceAccount`): IRSA annotations go there. */
  readonly serviceAccountValuesPath?: ReadonlyArray<string>;
  /**
   * Where the chart keeps its images (sidecars included), for an add-on with an `identity`: values cannot set
   * images there, and with `imageRegistryMirror` the engine points these paths at the mirror.
   */
  readonly images?: ReadonlyArray<ImageValue>;
  /** Seconds Helm waits for resources to be ready (default 600). */
  readonly timeoutSeconds?: number;
  /** Install the chart's CRDs with the release (default true). */
  readonly installCrds?: boolean;
}

/** Delivered as plain Kubernetes objects through the Kubernetes provider, for add-ons too small for a chart. */
export interface ManifestsDelivery extends DeliveryBase {
  readonly kind: "manifests";
  /** Builds the objects; returns the resources later add-ons and dependants wait for. */
  readonly render: (scope: Construct, ctx: AddonContext, input: ManifestsInput) => ITerraformDependable[];
}

export type Delivery = EksAddonDelivery | HelmDelivery | ManifestsDelivery;

/** A dependency on another add-on, imported (never named by string). `ready` waits for its webhooks. */
export type AddonDependency = AddonDefinition | { readonly addon: AddonDefinition; readonly ready: true };

export interface AddonDefinition {
  readonly name: string;
  readonly description: string;
  readonly layer: Layer;
  readonly namespace: string;
  /** The service account the AWS identity is bound to. */
  readonly serviceAccount?: string;
  /**
   * Where its pods run. `fargate`: before any EC2 node exists (Pod Identity does not work there, so these
   * default to IRSA). `every-node`: a DaemonSet, which installs with zero nodes. `nodes`: a Deployment that
   * needs EC2 capacity, so it waits for the layer's node capacity (Karpenter's node pools) when there is one.
   */
  readonly runsOn: "fargate" | "every-node" | "nodes";
  /**
   * The strictest Pod Security Standard its pods meet at its pin, with the values the platform sets (from the
   * chart's or EKS add-on's pod spec), and why when below `restricted`. Its namespace enforces the weakest level
   * of the add-ons in it and warns and audits at `restricted`; kube-system is left privileged
   * (modules/engine/pod-security.ts).
   */
  readonly podSecurity: PodSecurity;
  readonly deliveries: ReadonlyArray<Delivery>;
  readonly defaultDelivery: DeliveryKind;
  readonly identity?: IdentitySpec;
  readonly dependsOn?: ReadonlyArray<AddonDependency>;
  /** Capabilities its companions need from the layer or from other add-ons of the layer (it is built after their providers). */
  readonly needs?: ReadonlyArray<Capability<unknown>>;
  /** Capabilities its companions provide to the rest of the layer. */
  readonly provides?: ReadonlyArray<Capability<unknown>>;
  /** Resources that belong to the add-on but are not its delivery: built before it, or after it is installed. */
  readonly companions?: Companions;
  /** Documentation link for the report and README. */
  readonly docs?: string;
}

/** What companions see: the add-on's context and plan, and the layer's capabilities (only those it declares). */
export interface CompanionContext extends AddonContext {
  readonly addon: ResolvedAddonView;
  /** The values the delivery installs with (merged: engine-computed < add-on defaults < environment overrides). */
  readonly values: Values;
  /** What everything in-cluster waits for (Terraform's access entry, in the foundation layer). */
  readonly apiAccess: ReadonlyArray<ITerraformDependable>;
  /**
   * The add-on's Namespace when the engine creates it (Helm and EKS add-on deliveries outside kube-system): what
   * companions install in that namespace waits for it. Empty otherwise.
   */
  readonly namespace: ReadonlyArray<ITerraformDependable>;
  /** Values provided for a capability the add-on `needs`; empty when nothing in the layer provides it. */
  need<T>(capability: Capability<T>): T[];
  /** Provides a capability the add-on declares in `provides`. */
  provide<T>(capability: Capability<T>, value: T): void;
}

/** The parts of the add-on's resolved plan that companions read. */
export interface ResolvedAddonView {
  readonly name: string;
  readonly namespace: string;
  readonly version: string;
  readonly delivery: Delivery;
}

/** What an add-on's companions build around its delivery. */
export interface CompanionParts {
  /** Built before the delivery (Fargate profile, CRD release, queues, node role): the delivery waits for these. */
  readonly before?: ReadonlyArray<ITerraformDependable>;
  /** Builds what needs the add-on installed (node pools, ingress group, issuer, storage class, secret store). */
  readonly after?: (installed: ReadonlyArray<ITerraformDependable>) => void;
}

/** Resources that belong to an add-on but are not its delivery. Called once, before the delivery renders. */
export type Companions = (scope: Construct, ctx: CompanionContext) => CompanionParts;

/**
 * What a manifests delivery gets: its pinned version, merged values, what its objects must wait for, and the
 * labels and annotations its own Namespace carries (Pod Security, from the add-on's `podSecurity`).
 */
export interface ManifestsInput {
  readonly version: string;
  readonly values: Values;
  readonly dependsOn: ITerraformDependable[];
  readonly namespaceMetadata: {
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
}

/** Declares an add-on. Plain data: the engine reads it, nothing subclasses it. */
export function defineAddon<const T extends AddonDefinition>(definition: T): T {
  return Object.freeze(definition);
}

export function dependencyTarget(dependency: AddonDependency): { addon: AddonDefinition; ready: boolean } {
  return "addon" in dependency
    ? { addon: dependency.addon, ready: dependency.ready }
    : { addon: dependency, ready: false };
}

export function deliveryOf(definition: AddonDefinition, kind: DeliveryKind): Delivery | undefined {
  return definition.deliveries.find((delivery) => delivery.kind === kind);
}
