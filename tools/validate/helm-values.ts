import { asString } from "../../modules/terraform-json";
import type { ResourceView } from "./stacks";

/**
 * The values a `helm_release` hands Helm: one reader for the validator and the policy pack
 * (modules/terraform-json/helm-values.ts).
 */
export { coalesce, releaseValues, type ReleaseValues } from "../../modules/terraform-json/helm-values";

/** The chart name a release installs: `oci://host/charts/cert-manager`, `jetstack/cert-manager` -> `cert-manager`. */
export function chartName(release: ResourceView): string | undefined {
  const chart = asString(release.body.chart);
  if (!chart) return undefined;
  const last = chart.replace(/\/+$/, "").split("/").pop() ?? chart;
  return last.replace(/\.tgz$/, "").replace(/-v?\d+\.\d+\.\d+.*$/, "");
}
