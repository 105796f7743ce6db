import { dnsOf } from "../../config/schema";
import type { AddonContext } from "../../engine/types";

export const NAME = "echo-server";
/** external-dns handles an Ingress only when this annotation is absent or says `dns-controller`. */
export const EXTERNAL_DNS_CONTROLLER_ANNOTATION = "external-dns.alpha.kubernetes.io/controller";
/** The image's tag is the pinned version (`PINS["echo-server"]`): one place for both. */
export const IMAGE_REPOSITORY = "ealen/echo-server";
export const PORT = 8080;

/** `echo.<domain>`: the one URL that proves certificate, ALB, controller and DNS work together. */
export function echoHost(ctx: AddonContext): string {
  return `echo.${dnsOf(ctx.environment).domain}`;
}
