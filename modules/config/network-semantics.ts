import type { ConfigIssue } from "../errors";
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
  return issues;
}
