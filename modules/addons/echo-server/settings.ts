import { dnsOf } from "../../config/schema";
import type { AddonContext } from "../../engine/types";
import { PINS, type VersionPin } from "../../versions";

export const NAME = "echo-server";
/** external-dns handles an Ingress only when this annotation is absent or says `dns-controller`. */
export const EXTERNAL_DNS_CONTROLLER_ANNOTATION = "external-dns.alpha.kubernetes.io/controller";
/** The image's tag is the pinned version (`PINS["echo-server"]`), its digest the pin's `digest`: one place for both. */
export const IMAGE_REPOSITORY = "ealen/echo-server";
export const PORT = 8080;

/**
 * `ealen/echo-server:<version>@sha256:...`: pulled by digest (the tag is for readers; with both, the runtime pulls
 * the digest). The engine refuses a version without a pin, so a missing digest here is a defect, not a config error.
 */
export function echoImage(version: string): string {
  const pins: ReadonlyArray<VersionPin> = PINS["echo-server"].manifests;
  const digest = pins.find((pin) => pin.version === version)?.digest;
  if (!digest) throw new Error(`${NAME} ${version} has no digest in PINS["echo-server"] (modules/versions.ts)`);
  return `${IMAGE_REPOSITORY}:${version}@${digest}`;
}

/**
 * The image's feature toggles (its README and src/global.json at 0.9.2; every one defaults to true). The echo
 * server answers with the request it received (host, method and URL, query, body, headers) and nothing else:
 * - `ENABLE__ENVIRONMENT`: the process environment in every answer, and one variable by `?echo_env_body=<name>`;
 * - `ENABLE__FILE`: any file or directory listing of the container by `?echo_file=<path>`;
 * - `ENABLE__HEADER`: response headers the caller chooses by `?echo_header=` (a Set-Cookie for the parent domain);
 * - `ENABLE__COOKIES`: the caller's cookies, which under `echo.<domain>` include the parent domain's;
 * - `LOGS__FORMAT: line`: one line per request (method and URL) instead of every request's headers, Authorization
 *   included, in the node's logs.
 */
export const ECHO_ENV: Readonly<Record<string, string>> = {
  ENABLE__ENVIRONMENT: "false",
  ENABLE__FILE: "false",
  ENABLE__HEADER: "false",
  ENABLE__COOKIES: "false",
  LOGS__FORMAT: "line",
};

/** `echo.<domain>`: the one URL that proves certificate, ALB, controller and DNS work together. */
export function echoHost(ctx: AddonContext): string {
  return `echo.${dnsOf(ctx.environment).domain}`;
}
