import { asString, firstBlock, resources } from "../terraform-json";
import { KUBERNETES_VERSIONS } from "../versions";
import { defineRule, type PolicyRule, type Violation } from "./types";

/** How long before the end of standard support a STANDARD cluster is refused: time to upgrade or switch. */
export const SUPPORT_WINDOW_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `now` (UTC date) to `date` (YYYY-MM-DD); negative once it has passed. */
export function daysUntil(date: string, now: Date): number {
  return Math.round((Date.parse(date) - Date.parse(now.toISOString().slice(0, 10))) / DAY_MS);
}

/** What happens to a STANDARD cluster of `version` at `now`, or undefined when it is not yet near the end. */
export function standardSupportProblem(version: string, now: Date): string | undefined {
  const calendar = (KUBERNETES_VERSIONS as Record<string, { endOfStandardSupport: string } | undefined>)[version];
  if (!calendar) return undefined;
  const days = daysUntil(calendar.endOfStandardSupport, now);
  if (days > SUPPORT_WINDOW_DAYS) return undefined;
  const when =
    days < 0
      ? `ended on ${calendar.endOfStandardSupport}`
      : `ends on ${calendar.endOfStandardSupport} (in ${days} day${days === 1 ? "" : "s"})`;
  return `standard support for Kubernetes ${version} ${when}: with support_type STANDARD, EKS upgrades the control plane by itself, and the next plan tries to downgrade it`;
}

export const SUPPORT_RULES: PolicyRule[] = [
  defineRule({
    id: "EKS_SUPPORT_WINDOW",
    area: "eks",
    title: `A cluster on STANDARD support is not within ${SUPPORT_WINDOW_DAYS} days of (or past) its version's end of standard support`,
    scanners: {},
    fix: "upgrade cluster.kubernetesVersion by one minor, or set cluster.supportType: EXTENDED (the default)",
    check: ({ json, now }) =>
      resources(json, "aws_eks_cluster").flatMap((cluster): Violation[] => {
        const supportType = asString(firstBlock(cluster.body.upgrade_policy)?.support_type) ?? "EXTENDED";
        const version = asString(cluster.body.version);
        const problem = supportType === "STANDARD" && version ? standardSupportProblem(version, now) : undefined;
        return problem ? [{ resource: cluster, problem }] : [];
      }),
  }),
];
