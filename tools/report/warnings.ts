import { KUBERNETES_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS, type KubernetesVersion } from "../../modules/versions";
import { standardSupportProblem } from "../../modules/policy/support";
import { waiverDaysLeft } from "../../modules/policy/engine";
import { type AddonPlan } from "../../modules/engine/resolve";
import { type EnvironmentConfig } from "../../modules/config/schema";

/**
 * What an operator should look at before applying: the cluster's place in the EKS support calendar, pins at the
 * edge of what they are known to support, versions nobody verified, and policy waivers. Warnings need action;
 * notes are worth knowing.
 */

export type WarningTopic = "kubernetes-support" | "compatibility" | "unverified-version" | "waiver";

export interface ReportWarning {
  readonly severity: "warning" | "note";
  readonly topic: WarningTopic;
  /** What it is about: the Kubernetes version, an add-on, or a policy rule. */
  readonly subject: string;
  readonly message: string;
}

/** Standard support ending within this many days is worth a note. */
const SUPPORT_NOTICE_DAYS = 90;
/** ... and within this many days, a warning. */
const SUPPORT_WARNING_DAYS = 30;
/** A waiver expiring within this many days is a warning: synth starts failing the day after its `expires` day. */
const WAIVER_NOTICE_DAYS = 30;

export function environmentWarnings(
  environment: EnvironmentConfig,
  plan: AddonPlan,
  options: { readonly now: Date },
): ReportWarning[] {
  return [
    ...supportWarnings(environment.cluster.kubernetesVersion as KubernetesVersion, options.now),
    ...supportTypeWarnings(environment, options.now),
    ...compatibilityWarnings(environment, plan),
    ...plan.warnings.map((message): ReportWarning => ({
      severity: "warning",
      topic: "unverified-version",
      subject: message.split(" ")[0],
      message,
    })),
    ...waiverWarnings(environment, options.now),
  ];
}

const DAY_MS = 86_400_000;
const daysUntil = (date: string, now: Date) => Math.ceil((Date.parse(`${date}T00:00:00Z`) - now.getTime()) / DAY_MS);

function supportWarnings(version: KubernetesVersion, now: Date): ReportWarning[] {
  const calendar = KUBERNETES_VERSIONS[version];
  const subject = `Kubernetes ${version}`;
  const standard = daysUntil(calendar.endOfStandardSupport, now);
  const extended = daysUntil(calendar.endOfExtendedSupport, now);
  if (extended <= 0) {
    return [
      {
        severity: "warning",
        topic: "kubernetes-support",
        subject,
        message: `${subject} is past the end of extended support (${calendar.endOfExtendedSupport}): EKS upgrades such clusters automatically; upgrade it yourself first`,
      },
    ];
  }
  if (standard <= 0) {
    return [
      {
        severity: "warning",
        topic: "kubernetes-support",
        subject,
        message: `${subject} is past the end of standard support (${calendar.endOfStandardSupport}): EKS bills extended support until ${calendar.endOfExtendedSupport}; upgrade the cluster`,
      },
    ];
  }
  if (standard <= SUPPORT_NOTICE_DAYS) {
    return [
      {
        severity: standard <= SUPPORT_WARNING_DAYS ? "warning" : "note",
        topic: "kubernetes-support",
        subject,
        message: `${subject} leaves standard support in ${standard} day${standard === 1 ? "" : "s"} (${calendar.endOfStandardSupport}); plan the upgrade`,
      },
    ];
  }
  return [];
}

/** STANDARD support near or past its end: synth refuses it (EKS_SUPPORT_WINDOW) unless waived. */
function supportTypeWarnings(environment: EnvironmentConfig, now: Date): ReportWarning[] {
  if (environment.cluster.supportType !== "STANDARD") return [];
  const problem = standardSupportProblem(environment.cluster.kubernetesVersion, now);
  return problem
    ? [
        {
          severity: "warning",
          topic: "kubernetes-support",
          subject: "supportType STANDARD",
          message: `${problem}; synth fails (EKS_SUPPORT_WINDOW) unless waived`,
        },
      ]
    : [];
}

/**
 * Pins whose newest supported Kubernetes version is the cluster's: the next Kubernetes upgrade needs another pin.
 * A pin the platform moves by itself (another catalog pin covers the next version) is fine; a version pinned in
 * config, or no pin for the next version, is a warning; on the newest Kubernetes this release knows, every pin
 * ends there, so that is one note naming them.
 */
function compatibilityWarnings(environment: EnvironmentConfig, plan: AddonPlan): ReportWarning[] {
  const cluster = environment.cluster.kubernetesVersion as KubernetesVersion;
  const next = SUPPORTED_KUBERNETES_VERSIONS[SUPPORTED_KUBERNETES_VERSIONS.indexOf(cluster) + 1];
  const overrides = environment.addons as Record<string, { version?: string } | undefined>;
  const warnings: ReportWarning[] = [];
  const endingWithRelease: string[] = [];
  for (const addon of plan.addons) {
    if (!addon.enabled || addon.versionUnverified || addon.supportedKubernetes.length === 0) continue;
    const newest = addon.supportedKubernetes[addon.supportedKubernetes.length - 1];
    if (newest !== cluster) continue;
    const label = `${addon.name} ${addon.version}`;
    if (!next) {
      endingWithRelease.push(label);
    } else if (overrides[addon.name]?.version) {
      warnings.push({
        severity: "warning",
        topic: "compatibility",
        subject: addon.name,
        message: `${label} (pinned in addons.${addon.name}.version) supports Kubernetes up to ${cluster}, the cluster's version: move or remove the pin before upgrading to ${next}`,
      });
    } else if (!addon.delivery.pins.some((pin) => pin.kubernetes.includes(next))) {
      warnings.push({
        severity: "warning",
        topic: "compatibility",
        subject: addon.name,
        message: `${label} supports Kubernetes up to ${cluster}, the cluster's version, and no pinned ${addon.delivery.kind} version supports ${next} yet: upgrading Kubernetes needs a platform release with a newer pin`,
      });
    }
  }
  if (endingWithRelease.length > 0) {
    warnings.push({
      severity: "note",
      topic: "compatibility",
      subject: `Kubernetes ${cluster}`,
      message: `Kubernetes ${cluster} is the newest version this platform release supports; these pins end there, so the next upgrade needs a newer platform release: ${endingWithRelease.join(", ")}`,
    });
  }
  return warnings;
}

function waiverWarnings(environment: EnvironmentConfig, now: Date): ReportWarning[] {
  return environment.policy.waivers.map((waiver): ReportWarning => {
    const scope = waiver.resource ? ` on ${waiver.resource}` : " for the whole environment";
    const subject = waiver.rule;
    // Expiry is the policy pack's judgement (through the `expires` day, UTC), so this agrees with synth.
    const days = waiverDaysLeft(waiver, now);
    if (waiver.expires && days !== undefined) {
      if (days < 0)
        return {
          severity: "warning",
          topic: "waiver",
          subject,
          message: `waiver of ${waiver.rule}${scope} expired on ${waiver.expires} and no longer applies: synth fails until the finding is fixed or the waiver renewed`,
        };
      if (days === 0)
        return {
          severity: "warning",
          topic: "waiver",
          subject,
          message: `waiver of ${waiver.rule}${scope} expires today (${waiver.expires}; it applies through the end of the day, UTC, and synth fails from tomorrow): ${waiver.reason}`,
        };
      if (days <= WAIVER_NOTICE_DAYS)
        return {
          severity: "warning",
          topic: "waiver",
          subject,
          message: `waiver of ${waiver.rule}${scope} expires in ${days} day${days === 1 ? "" : "s"} (${waiver.expires}): ${waiver.reason}`,
        };
    }
    return {
      severity: "note",
      topic: "waiver",
      subject,
      message: `waiver in use: ${waiver.rule}${scope}${waiver.expires ? ` until ${waiver.expires}` : ", no end date"}: ${waiver.reason}`,
    };
  });
}
