import type { ConfigIssue } from "../errors";
import { coversInternet, parseCidrs, publicAddressCount } from "../cidr";
import type { AddonPlanView } from "./addon-plan-view";
import type { EnvironmentConfig } from "./schema";

/**
 * Cross-field rules of the network layer, for `semanticIssues` (paths relative to the environment). The
 * network stack also refuses to synthesize when any applies, so a rule is never silently skipped.
 */
export function networkIssues(environment: EnvironmentConfig, plan: AddonPlanView): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!environment.layers.network) return issues;
  const enabled = (name: string) => plan.addons.some((addon) => addon.name === name && addon.enabled);
  if (environment.network.acmeIssuer && !enabled("cert-manager")) {
    issues.push({
      path: "network.acmeIssuer",
      message: "the ACME ClusterIssuer needs cert-manager, which is disabled",
      fix: "enable addons.cert-manager or remove network.acmeIssuer",
    });
  }
  // Judged by the addresses covered (cidr.ts), as for the API endpoint: 0.0.0.0/1 + 128.0.0.0/1 is 0.0.0.0/0.
  const echo = environment.network.echo;
  const echoCidrs = parseCidrs(echo.allowedCidrs);
  if (enabled("echo-server") && echoCidrs && coversInternet(echoCidrs) && !echo.acknowledgeOpenToInternet) {
    issues.push({
      path: "network.echo.allowedCidrs",
      message: `opens the echo server to the internet: together these blocks cover ${publicAddressCount(echoCidrs).toLocaleString("en-US")} public addresses (more than a /8)`,
      value: echo.allowedCidrs,
      allowed: "the addresses you test from (office, VPN, CI egress), or the default private ranges",
      fix: "list specific CIDRs, or set network.echo.acknowledgeOpenToInternet: true (and waive ECHO_SERVER_RESTRICTED)",
    });
  }
  return issues;
}
