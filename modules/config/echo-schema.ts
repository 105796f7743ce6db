import { z } from "zod";
import { fields } from "./fields";

/**
 * `network.echo`: who the echo server answers. It joins the environment's shared ALB (one per environment, whose
 * scheme is the environment's), so the proof goes through the same certificate, ALB, controller and DNS record as
 * every application; its listener rule carries a `source-ip` condition (the AWS Load Balancer Controller's
 * `alb.ingress.kubernetes.io/conditions.echo-server`), and a request from anywhere else gets the group's 404.
 */

/**
 * The private IPv4 ranges (RFC 1918). On an internal ALB they are every client routed to the VPC; on an
 * internet-facing one no client on the internet has such a source address, so by default nothing answers there.
 */
export const ECHO_DEFAULT_CIDRS: ReadonlyArray<string> = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/**
 * An ALB rule condition takes at most 3 values, a rule 5: echo's rule also matches its host (1) and the path
 * `/*` (1), which leaves 3 for the source addresses.
 */
export const ECHO_MAX_CIDRS = 3;

export const echoSchema = z
  .strictObject({
    allowedCidrs: z
      .array(fields.cidr)
      .min(1, {
        message: "must list at least one CIDR (to turn the echo server off: addons.echo-server.enabled: false)",
      })
      .max(ECHO_MAX_CIDRS, {
        message: `must list at most ${ECHO_MAX_CIDRS} CIDRs: an ALB rule condition holds 3 values (and a rule 5, of which the host and the path take 2)`,
      })
      .default([...ECHO_DEFAULT_CIDRS])
      .describe(
        `Source CIDRs the echo server answers (at most ${ECHO_MAX_CIDRS}: one ALB rule condition); any other source gets the shared ALB's 404. Default the private ranges ${ECHO_DEFAULT_CIDRS.join(", ")}: every client routed to an internal ALB, and no client on the internet. On an internet-facing ALB, list the address you test from (office, VPN or CI egress).`,
      ),
    acknowledgeOpenToInternet: z
      .boolean()
      .default(false)
      .describe(
        "Required when `allowedCidrs` cover the internet (0.0.0.0/0, or blocks that together cover more public addresses than a /8): the echo server then answers anyone who finds it, and ECHO_SERVER_RESTRICTED needs a waiver too.",
      ),
  })
  .prefault({});
