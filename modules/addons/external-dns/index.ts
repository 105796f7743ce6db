import { dnsOf } from "../../config/schema";
import { z } from "zod";
import { externalDnsStatements } from "./iam";
import { PINS } from "../../versions";
import type { AddonContext } from "../../engine/types";
import { defineAddon } from "../../engine/types";

/** Marks the records this cluster owns; unique per account, region and cluster so two clusters never fight. */
export function txtOwnerId(ctx: AddonContext): string {
  return `${ctx.account}-${ctx.region}-${ctx.cluster.name}`;
}

const dnsPolicies = ["upsert-only", "sync", "create-only"] as const;

/** What keeps external-dns in the environment's zone and off other clusters' records: not overridable. */
const DNS_SCOPE = [
  { path: ["domainFilters"], why: "limits records to the environment's domain (dns.domain)" },
  {
    path: ["extraArgs"],
    why: "carries --zone-id-filter, the only hosted zone its IAM policy allows (dns.hostedZoneId)",
  },
  { path: ["txtOwnerId"], why: "marks the records this cluster owns, so two clusters never change each other's" },
  { path: ["provider"], why: "Route 53, the provider its IAM policy is for" },
  { path: ["registry"], why: "TXT ownership records, which txtOwnerId relies on" },
];

/**
 * external-dns reads every flag from an `EXTERNAL_DNS_<FLAG>` variable as well (`EXTERNAL_DNS_AWS_ASSUME_ROLE`,
 * `EXTERNAL_DNS_ZONE_ID_FILTER` ...): each would undo a locked value or swap its role, so none is accepted.
 */
const DNS_SCOPE_ENV = [
  {
    name: "EXTERNAL_DNS_*",
    why: "external-dns reads its flags from EXTERNAL_DNS_<FLAG> variables: its role (--aws-assume-role), zone, domain and owner are the platform's; set the chart's values instead",
  },
];

/**
 * external-dns: Route 53 records for Ingress and Service hosts, in the environment's hosted zone only (domain
 * filter, zone-id filter and IAM all agree). `upsert-only` by default: it never deletes a record.
 */
export const externalDns = defineAddon({
  name: "external-dns",
  description: "Route 53 records for Ingress and Service hosts in the environment's zone",
  layer: "network",
  namespace: "external-dns",
  serviceAccount: "external-dns",
  runsOn: "nodes",
  // Restricted: the chart's podSecurityContext (1.21.1) is non-root with seccomp RuntimeDefault, its container
  // securityContext non-root 65532, no escalation, ALL dropped, read-only root. The EKS community add-on's manifest
  // is not verified here: the namespace warns and audits at restricted either way.
  podSecurity: { level: "restricted" },
  defaultDelivery: "helm",
  deliveries: [
    {
      kind: "helm",
      repository: "https://kubernetes-sigs.github.io/external-dns/",
      chart: "external-dns",
      pins: PINS["external-dns"].helm,
      images: [{ path: ["image", "repository"], upstream: "registry.k8s.io/external-dns/external-dns" }],
      values: (ctx) => ({
        provider: { name: "aws" },
        sources: ["ingress", "service"],
        domainFilters: [dnsOf(ctx.environment).domain],
        registry: "txt",
        txtOwnerId: txtOwnerId(ctx),
        policy: ctx.environment.network.dnsPolicy,
        extraArgs: [`--zone-id-filter=${dnsOf(ctx.environment).hostedZoneId}`],
        // Region explicitly: no instance metadata lookups (hop limit 1 on nodes).
        env: [{ name: "AWS_DEFAULT_REGION", value: ctx.region }],
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
      }),
      valuesSchema: z.looseObject({
        policy: z.enum(dnsPolicies).optional(),
        // external-dns has no leader election: two replicas would race on the same records.
        replicaCount: z.number().int().min(0).max(1).optional(),
      }),
      lockedValues: DNS_SCOPE,
      lockedEnv: DNS_SCOPE_ENV,
    },
    {
      kind: "eks-addon",
      addonName: "external-dns",
      pins: PINS["external-dns"].eksAddon,
      values: (ctx) => ({
        domainFilters: [dnsOf(ctx.environment).domain],
        txtOwnerId: txtOwnerId(ctx),
        policy: ctx.environment.network.dnsPolicy,
        extraArgs: [`--zone-id-filter=${dnsOf(ctx.environment).hostedZoneId}`],
      }),
      lockedValues: DNS_SCOPE,
      lockedEnv: DNS_SCOPE_ENV,
    },
  ],
  identity: { statements: (ctx) => externalDnsStatements(ctx.partition, dnsOf(ctx.environment).hostedZoneId) },
  docs: "https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/",
});
