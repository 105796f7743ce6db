import { z } from "zod";
import { fields } from "./fields";
import { echoSchema } from "./echo-schema";
import { bounded } from "./text";

/** `dns` and `network`: the environment's domain and zone, the shared ALB, NetworkPolicy, echo, external-dns, ACME. */

export const dnsSchema = z.strictObject({
  domain: bounded(253)
    .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
      message: "must be a DNS domain such as dev.example.com",
    })
    .describe(
      "The environment's domain: the shared ALB's certificate covers it and `*.<domain>`, external-dns only manages names under it, the echo server is `echo.<domain>`.",
    ),
  hostedZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]{4,31}$/, { message: "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" })
    .describe(
      "Route 53 hosted zone of `domain`: holds the certificate validation record, and is the only zone external-dns (and ACME DNS-01) may change.",
    ),
});

export const networkSchema = z
  .strictObject({
    ingress: z
      .strictObject({
        scheme: z
          .enum(["internet-facing", "internal"])
          .default("internet-facing")
          .describe("`internet-facing` puts the shared ALB in the public subnets, `internal` in the private subnets."),
        sslPolicy: bounded(128)
          .regex(/^ELBSecurityPolicy-[A-Za-z0-9-]+$/, {
            message:
              "must be an ELB security policy such as ELBSecurityPolicy-TLS13-1-2-2021-06: ELBSecurityPolicy- and letters, digits and '-'",
          })
          .default("ELBSecurityPolicy-TLS13-1-2-2021-06")
          .describe("ELB security policy of the HTTPS listener; the default allows only TLS 1.2 and 1.3."),
        inboundCidrs: z
          .array(fields.cidr)
          .min(1)
          .optional()
          .describe(
            "CIDRs allowed to reach the ALB; default 0.0.0.0/0 (an internal ALB is reachable only from networks routed to the VPC).",
          ),
        groupName: z
          .string()
          .regex(/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/, {
            message: "must be an ingress group name: lower-case letters, digits, '-' and '.', at most 63 characters",
          })
          .default("shared")
          .describe("The IngressGroup every Ingress of the default `alb` class joins: one shared ALB per environment."),
        ipAddressType: z
          .enum(["ipv4", "dualstack"])
          .default("ipv4")
          .describe("Addresses of the ALB: `ipv4` only, or `dualstack` for IPv4 and IPv6."),
      })
      .prefault({})
      .describe(
        "The shared ALB: IngressClassParams enforce these settings on every Ingress of the `alb` class; HTTP redirects to HTTPS.",
      ),
    policyEnforcement: z
      .boolean()
      .default(true)
      .describe(
        "Kubernetes NetworkPolicy enforcement by the VPC CNI's network policy agent (`enableNetworkPolicy` of the foundation's vpc-cni add-on), on EC2 nodes; pods on Fargate are not covered. Off is a finding of NETWORK_POLICY_ENFORCED that takes a waiver.",
      ),
    echo: echoSchema.describe(
      "Who the echo server (`addons.echo-server`) answers at `echo.<domain>`: a source-ip condition on its rule of the shared ALB.",
    ),
    dnsPolicy: z
      .enum(["upsert-only", "sync"])
      .default("upsert-only")
      .describe("external-dns policy: `upsert-only` never deletes records; `sync` also deletes the ones it owns."),
    acmeIssuer: z
      .strictObject({
        email: z
          .email()
          .max(254, { message: "must be at most 254 characters", abort: true })
          .describe("Email address of the ACME account the issuer registers."),
        server: z
          .url()
          .max(2048, { message: "must be at most 2048 characters", abort: true })
          .default("https://acme-v02.api.letsencrypt.org/directory")
          .describe("ACME directory URL; the default is Let's Encrypt production."),
      })
      .optional()
      .describe(
        "An ACME ClusterIssuer (`acme`) solving DNS-01 through Route 53 in the configured hosted zone; needs cert-manager. Omitted, none.",
      ),
  })
  .prefault({});

export type NetworkConfig = z.output<typeof networkSchema>;
