import { z } from "zod";
import { fields } from "./fields";
import { clusterSchema } from "./cluster-schema";
import { vpcSchema } from "./vpc-schema";
import { backendSchema } from "./backend-schema";
import { karpenterSchema } from "./karpenter-schema";
import { dnsSchema, networkSchema } from "./network-schema";
import { operatorsSchema } from "./operators-schema";
import { waiverSchema } from "./waiver-schema";
import { layersSchema } from "./layer-schema";
import { storageSchema } from "./storage-schema";
import { bounded, externalId, sessionName } from "./text";
import { terraformCloudAccountsSchema } from "./terraform-cloud-schema";

/**
 * The platform config: the product's public interface. One strict schema with the defaults in it; unknown
 * keys are errors everywhere. `npm run docs:config` (and the README) render it, so docs never drift.
 */

export const addonOverrideSchema = z.strictObject({
  enabled: z
    .boolean()
    .optional()
    .describe(
      "Switch the add-on off (or back on); default on whenever its layer is on. An add-on in a layer that is off stays off, and turning off one that an enabled add-on depends on is a config error.",
    ),
  delivery: z
    .enum(["eks-addon", "helm", "manifests"])
    .optional()
    .describe(
      "How the add-on is installed: `eks-addon` (EKS managed add-on), `helm` (Helm chart) or `manifests` (plain Kubernetes objects). Each add-on offers only some of these; its default and choices are in addons-reference.md.",
    ),
  version: bounded(128)
    .regex(/^v?\d+\.\d+\.\d+([-+.][\w.-]+)?$/, {
      message: "must be an exact version such as 1.14.1 or v1.20.4-eksbuild.2 (no ranges, no 'latest')",
    })
    .optional()
    .describe(
      "Exact version to install instead of the newest pin that supports the cluster's Kubernetes version (e.g. 1.14.1 or v1.20.4-eksbuild.2; no ranges, no 'latest'). A version outside the known pins needs `acknowledgeUnknownVersion`.",
    ),
  acknowledgeUnknownVersion: z
    .boolean()
    .optional()
    .describe(
      "Accept a `version` this release has not verified against the cluster's Kubernetes version: synth warns instead of failing, and the report marks it unverified.",
    ),
  values: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      "Chart values (helm) or configuration values (eks-addon), merged over the add-on's defaults and checked against the delivery's values schema where it has one. Values the platform sets for identity and wiring (the service account and its role, cluster, VPC, DNS filters) cannot be overridden; values that widen privileges (hostNetwork, privileged, TLS verification off) need a policy waiver. Strings are literal text, never Terraform expressions.",
    ),
  identity: z
    .enum(["pod-identity", "irsa"])
    .optional()
    .describe(
      "AWS identity mode of an add-on that calls AWS: `pod-identity` (needs eks-pod-identity-agent) or `irsa`. Default: Pod Identity, or IRSA for add-ons on Fargate, where Pod Identity cannot serve pods.",
    ),
  migrateFrom: z
    .enum(["eks-addon", "helm"])
    .optional()
    .describe(
      "Switch delivery without uninstalling: the delivery the add-on is installed with today (`eks-addon` or `helm`), with the new one in `delivery`. Remove it once the migration is applied (docs/addons.md).",
    ),
});

const backendDefault = { type: "local" as const };

const environmentFields = {
  name: fields.dnsLabel.describe(
    "Environment name: prefix of its stacks (`<name>-foundation` ...) and the default cluster name.",
  ),
  account: fields.account.describe(
    "AWS account id the environment is deployed to; the AWS provider refuses any other (`allowed_account_ids`).",
  ),
  region: fields.region.describe("AWS region of the cluster and everything else in the environment."),
  assumeRoleArn: fields.roleArn
    .optional()
    .describe("Role the AWS provider assumes for every stack of the environment (cross-account deployments)."),
  externalId: externalId
    .optional()
    .describe(
      "External id for `assumeRoleArn`, when its trust policy requires one: 2-1224 characters of letters, digits and `_+=,.@:/-` (what STS accepts).",
    ),
  sessionName: sessionName
    .optional()
    .describe(
      "Session name for `assumeRoleArn`, 2-64 characters of letters, digits and `_+=,.@-`; default `cdktf-<stack>`.",
    ),
  tags: fields.tags
    .default({})
    .describe(
      "Tags on every AWS resource (provider default tags), beside `environment`, `stack` and `managed-by`. Keys (1-128 characters) may not start with `aws:` (reserved by AWS); keys and values (at most 256 characters) may not hold control characters or invisible formatting characters (zero-width, bidi controls, line separators, byte-order marks).",
    ),
  backend: backendSchema
    .default(backendDefault)
    .describe(
      "Where each stack keeps its Terraform state: local files, S3, or Terraform Cloud (one workspace per stack).",
    ),
  imageRegistryMirror: bounded(255)
    .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, {
      message:
        "must be a registry host with an optional path, such as 111111111111.dkr.ecr.eu-west-1.amazonaws.com/mirror (lower case; no scheme, tag or digest)",
    })
    .optional()
    .describe(
      "Registry (host and optional path) that mirrors the upstream images of the add-ons that hold an AWS identity (Helm deliveries): the platform pulls each of their images from `<mirror>/<upstream path>` (`public.ecr.aws/karpenter/controller` becomes `<mirror>/karpenter/controller`), tags and digests unchanged. Their values can never choose an image. Omitted (the default): each image comes from its upstream registry. EKS add-ons always pull from EKS's registry.",
    ),
  adoptExistingNamespaces: z
    .boolean()
    .default(false)
    .describe(
      'Upgrading a cluster built before the platform created its add-on namespaces (Helm\'s `create_namespace` made them, unlabeled): `true` writes an `import` block for each namespace the layers now create (`kubernetes_namespace_v1.<namespace>`), so the next apply adopts it and adds its Pod Security labels instead of failing with `namespaces "cert-manager" already exists`. Leave it `false` (the default) for a new cluster: an import of a namespace that does not exist fails the plan. Once applied, either value plans no change.',
    ),
  iam: z
    .strictObject({
      permissionsBoundaryArn: fields.policyArn
        .optional()
        .describe(
          "Your organization's permissions boundary, set on every IAM role the platform creates in the environment (the cluster role, Karpenter's node role, Fargate's pod execution role, every add-on's role, the Terraform Cloud run roles) and on the roles of team stacks; a policy of the environment's account and partition. Default: none (with Terraform Cloud runs building the platform, the platform's own boundary `tfc-<cluster>-boundary`). It then replaces that boundary on the roles runs create, and the run roles may create roles only with it (docs/foundation.md). The spot service-linked role takes no boundary (IAM refuses one on service-linked roles).",
        ),
    })
    .prefault({})
    .describe("IAM settings of every role the platform creates in the environment."),
  layers: layersSchema.describe("Switch layers (stacks) on or off; the later layers need the foundation."),
  cluster: clusterSchema.prefault({}).describe("The EKS cluster: version, endpoint, logs, encryption, access."),
  vpc: vpcSchema.describe("An existing VPC (`id` and subnets) or a new one (`create`)."),
  dns: dnsSchema
    .optional()
    .describe(
      "The environment's Route 53 hosted zone: external-dns records, the shared ALB's certificate, the echo server host, ACME DNS-01. Required when the network layer is on; unused otherwise.",
    ),
  karpenter: karpenterSchema.describe("Karpenter node classes and node pools (the foundation layer)."),
  network: networkSchema.describe("The network layer: shared ALB, DNS policy, optional ACME issuer."),
  storage: storageSchema.describe(
    "The storage layer: EFS file system and its StorageClass, and the EBS CSI driver's gp3 StorageClass.",
  ),
  operators: operatorsSchema.describe("The operators layer: External Secrets Operator and its Parameter Store access."),
  policy: z
    .strictObject({
      waivers: z
        .array(waiverSchema)
        .default([])
        .describe("Accepted exceptions to the built-in policy pack, each with a reason."),
    })
    .prefault({})
    .describe("The built-in policy pack's settings for this environment."),
};

const ADDONS_DESCRIPTION =
  "Per add-on overrides, keyed by add-on name; every add-on is on by default when its layer is.";

/** The environment schema without a catalog: `addons` takes any name. Its output type is `EnvironmentConfig`. */
export const environmentSchema = z.strictObject({
  ...environmentFields,
  addons: z.record(z.string(), addonOverrideSchema).default({}).describe(ADDONS_DESCRIPTION),
});

const schemasByCatalog = new Map<string, z.ZodType<EnvironmentConfig>>();

/**
 * The environment schema for a catalog of add-ons: `addons.<name>` only for names in it (any other name is an
 * error with a "did you mean"). The config does not import the catalog: the platform plan passes it in.
 */
export function environmentSchemaFor(addonNames: ReadonlyArray<string>): z.ZodType<EnvironmentConfig> {
  const key = addonNames.join("\n");
  let schema = schemasByCatalog.get(key);
  if (!schema) {
    const addons = z
      .strictObject(Object.fromEntries(addonNames.map((name) => [name, addonOverrideSchema.optional()])))
      .default({})
      .describe(ADDONS_DESCRIPTION);
    schema = z.strictObject({ ...environmentFields, addons }) as unknown as z.ZodType<EnvironmentConfig>;
    schemasByCatalog.set(key, schema);
  }
  return schema;
}

/** The `terraform-cloud` stack (modules/terraform-cloud): it spans environments, so it is configured at the top level. */
export const terraformCloudSchema = z.strictObject({
  backend: backendSchema
    .default(backendDefault)
    .describe(
      "Where the terraform-cloud stack keeps its own state: local (default, `terraform.terraform-cloud.tfstate`), S3 (`<keyPrefix>/terraform-cloud.tfstate`; `region` required) or a Terraform Cloud workspace you create once (`<workspacePrefix>terraform-cloud`; it cannot manage itself).",
    ),
  accounts: terraformCloudAccountsSchema,
});

export const platformConfigSchema = z.strictObject({
  /** Any environment field; deep-merged under every environment (the environment wins). */
  defaults: z.record(z.string(), z.unknown()).optional(),
  environments: z.array(z.unknown()).min(1, { message: "must list at least one environment" }),
  terraformCloud: terraformCloudSchema
    .optional()
    .describe(
      "Settings of the terraform-cloud stack, which exists when an environment's cloud backend has `manageWorkspaces: true`: its workspaces, their wiring and their AWS run roles.",
    ),
});

export type TerraformCloudConfig = z.output<typeof terraformCloudSchema>;
export type TerraformCloudInput = z.input<typeof terraformCloudSchema>;

export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type EnvironmentInput = z.input<typeof environmentSchema>;
export type AddonOverride = z.output<typeof addonOverrideSchema>;
export type AddonOverrideInput = z.input<typeof addonOverrideSchema>;

export interface PlatformConfig {
  readonly environments: ReadonlyArray<EnvironmentConfig>;
  readonly terraformCloud?: TerraformCloudConfig;
}

export type DnsConfig = NonNullable<EnvironmentConfig["dns"]>;

/** The environment's DNS settings: validation requires them wherever the network layer is on. */
export function dnsOf(environment: EnvironmentConfig): DnsConfig {
  if (!environment.dns)
    throw new Error(
      `environment ${environment.name} has no dns settings; validation requires them when the network layer is on`,
    );
  return environment.dns;
}
