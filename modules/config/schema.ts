import { z } from "zod";
import { ADDONS } from "../addons/catalog";
import { backendSchema, clusterSchema, fields, vpcSchema } from "./cluster-schema";
import {
  dnsSchema,
  karpenterSchema,
  layersSchema,
  networkSchema,
  operatorsSchema,
  storageSchema,
  waiverSchema,
} from "./layer-schema";

/**
 * The platform config: the product's public interface. One strict schema with the defaults in it; unknown
 * keys are errors everywhere. `npm run docs:config` (and the README) render it, so docs never drift.
 */

export const addonOverrideSchema = z.strictObject({
  enabled: z.boolean().optional(),
  delivery: z.enum(["eks-addon", "helm", "manifests"]).optional(),
  /** Pin another version. Outside the known pins it needs `acknowledgeUnknownVersion`. */
  version: z.string().regex(/^v?\d+\.\d+\.\d+([-+.][\w.-]+)?$/, { message: "must be an exact version such as 1.14.1 or v1.20.4-eksbuild.2 (no ranges, no 'latest')" }).optional(),
  /** Accept a `version` this release has not verified against the cluster's Kubernetes version. */
  acknowledgeUnknownVersion: z.boolean().optional(),
  /** Chart values (helm) or configuration values (eks-addon); merged over the add-on's defaults. */
  values: z.record(z.string(), z.unknown()).optional(),
  /** Force the AWS identity mode. Pod Identity cannot serve pods on Fargate. */
  identity: z.enum(["pod-identity", "irsa"]).optional(),
  /** Switch delivery without uninstalling: the delivery the add-on is installed with today. */
  migrateFrom: z.enum(["eks-addon", "helm"]).optional(),
});

const addonsSchema = z
  .strictObject(Object.fromEntries(ADDONS.map((addon) => [addon.name, addonOverrideSchema.optional()])))
  .default({});

const backendDefault = { type: "local" as const };

export const environmentSchema = z.strictObject({
  name: fields.dnsLabel,
  account: fields.account,
  region: fields.region,
  assumeRoleArn: fields.roleArn.optional(),
  externalId: z.string().min(2).max(1224).optional(),
  sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/).optional(),
  tags: fields.tags.default({}),
  backend: backendSchema.default(backendDefault),
  layers: layersSchema,
  cluster: clusterSchema.prefault({}),
  vpc: vpcSchema,
  dns: dnsSchema,
  karpenter: karpenterSchema,
  network: networkSchema,
  storage: storageSchema,
  operators: operatorsSchema,
  addons: addonsSchema,
  policy: z.strictObject({ waivers: z.array(waiverSchema).default([]) }).prefault({}),
});

export const platformConfigSchema = z.strictObject({
  /** Any environment field; deep-merged under every environment (the environment wins). */
  defaults: z.record(z.string(), z.unknown()).optional(),
  environments: z.array(z.unknown()).min(1, { message: "must list at least one environment" }),
});

export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type EnvironmentInput = z.input<typeof environmentSchema>;
export type AddonOverride = z.output<typeof addonOverrideSchema>;

export interface PlatformConfig {
  readonly environments: ReadonlyArray<EnvironmentConfig>;
}
