import { Testing, TerraformStack } from "cdktf";
import { ADDONS } from "../../modules/addons/catalog";
import { renderAddons } from "../../modules/engine/render";
import { resolveAddons, type ResolvedAddon } from "../../modules/engine/resolve";
import type { AddonDefinition, DeliveryKind } from "../../modules/engine/types";
import { logicalName } from "../../modules/naming";
import { DEFAULT_KUBERNETES_VERSION, PINS, type VersionPin } from "../../modules/versions";
import { environmentWith, fakeContext } from "../helpers/engine-fixtures";

/**
 * Every add-on of the real catalog, in every delivery it offers, picked up automatically as add-ons are
 * registered: it resolves for the default Kubernetes version, renders its pinned resource, and gets an IAM role
 * exactly when it declares an identity, bound the way its identity mode says.
 */

/** Synthesized Terraform JSON. */
type Json = Record<string, any>;

interface Case {
  readonly addon: AddonDefinition;
  readonly kind: DeliveryKind;
  readonly label: string;
}

const cases: Case[] = ADDONS.flatMap((addon) =>
  addon.deliveries.map((delivery) => ({ addon, kind: delivery.kind, label: `${addon.name} (${delivery.kind})` })),
);
const results = new Map<
  string,
  { resolved: ResolvedAddon; issues: ReadonlyArray<unknown>; json: Json; identityNeeded: boolean }
>();

beforeAll(() => {
  const app = Testing.app();
  for (const { addon, kind, label } of cases) {
    const environment = environmentWith({ [addon.name]: { delivery: kind } });
    const plan = resolveAddons(environment, ADDONS);
    const resolved = plan.addons.find((candidate) => candidate.name === addon.name)!;
    const stack = new TerraformStack(app, `${addon.name}-${kind}`);
    renderAddons(stack, fakeContext(environment), [resolved]);
    // An identity the add-on declares for an optional feature only (neededWhen) is not created without it.
    const identityNeeded = addon.identity !== undefined && (addon.identity.neededWhen?.(environment) ?? true);
    results.set(label, { resolved, issues: plan.issues, json: JSON.parse(Testing.synth(stack)), identityNeeded });
  }
}, 120_000);

const result = (label: string) => results.get(label)!;
const resourcesOf = (label: string, type: string): Record<string, Json> => result(label).json.resource?.[type] ?? {};

it("the catalog has add-ons in every delivery kind it supports", () => {
  expect(cases.length).toBeGreaterThanOrEqual(ADDONS.length);
  expect(new Set(ADDONS.map((addon) => addon.name)).size).toBe(ADDONS.length);
});

it("every EKS add-on delivery takes its pins from PINS under its EKS name, so `npm run pins` checks it", () => {
  const eksPins = PINS as Record<string, { eksAddon?: ReadonlyArray<VersionPin> }>;
  const pinned = Object.keys(PINS).filter((name) => eksPins[name].eksAddon !== undefined);
  const deliveries = ADDONS.flatMap((addon) => addon.deliveries.filter((delivery) => delivery.kind === "eks-addon"));
  expect(deliveries.map((delivery) => delivery.addonName).sort()).toEqual([...pinned].sort());
  for (const delivery of deliveries)
    expect({ [delivery.addonName]: delivery.pins }).toEqual({
      [delivery.addonName]: eksPins[delivery.addonName].eksAddon,
    });
});

describe.each(cases.map((c) => [c.label, c] as const))("%s", (label, { addon, kind }) => {
  const address = logicalName(addon.name);

  it(`resolves for Kubernetes ${DEFAULT_KUBERNETES_VERSION} to a pinned version, without problems`, () => {
    const { resolved, issues } = result(label);
    expect(issues).toEqual([]);
    expect(resolved).toMatchObject({
      enabled: true,
      delivery: expect.objectContaining({ kind }),
      versionUnverified: false,
    });
    expect(resolved.supportedKubernetes).toContain(DEFAULT_KUBERNETES_VERSION);
    expect(resolved.version).toMatch(/^v?\d+\.\d+\.\d+/);
  });

  it("renders its delivery's resource with the pinned version", () => {
    const { resolved, json } = result(label);
    const delivery = resolved.delivery;
    if (delivery.kind === "eks-addon") {
      expect(resourcesOf(label, "aws_eks_addon")[address]).toMatchObject({
        addon_name: delivery.addonName,
        addon_version: resolved.version,
      });
    } else if (delivery.kind === "helm") {
      expect(resourcesOf(label, "helm_release")[address]).toMatchObject({
        chart: delivery.chart,
        repository: delivery.repository,
        version: resolved.version,
      });
    } else {
      const objects = Object.keys(json.resource ?? {}).filter(
        (type) => type.startsWith("kubernetes_") || type === "helm_release",
      );
      expect(objects.length).toBeGreaterThan(0);
      expect(JSON.stringify(json.resource)).toContain(resolved.version);
    }
    expect(JSON.stringify(json)).not.toMatch(/[:@"]latest"/);
  });

  it(`has an IAM role iff it declares an identity its config needs (${addon.identity ? "declares one" : "declares none"})`, () => {
    const { resolved, identityNeeded } = result(label);
    // The add-on's own role is `aws_iam_role.<name>`; companions may bring roles of their own (Karpenter's node role).
    const roles = resourcesOf(label, "aws_iam_role");
    if (!identityNeeded) {
      expect(roles[address]).toBeUndefined();
      expect(resolved.identity).toBe("none");
      return;
    }
    expect(Object.keys(roles)).toContain(address);
    const trust = JSON.parse(roles[address].assume_role_policy).Statement[0];
    const serviceAccount = resolved.serviceAccount ?? addon.name;
    if (resolved.identity === "irsa") {
      expect(addon.runsOn).toBe("fargate");
      expect(Object.values<string>(trust.Condition.StringEquals)).toEqual([
        `system:serviceaccount:${addon.namespace}:${serviceAccount}`,
        "sts.amazonaws.com",
      ]);
    } else {
      expect(resolved.identity).toBe("pod-identity");
      expect(trust.Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
      const binding =
        kind === "eks-addon"
          ? resourcesOf(label, "aws_eks_addon")[address].pod_identity_association
          : [resourcesOf(label, "aws_eks_pod_identity_association")[address]];
      expect(binding).toEqual([
        expect.objectContaining({ role_arn: `\${aws_iam_role.${address}.arn}`, service_account: serviceAccount }),
      ]);
    }
    const attachments = Object.values(resourcesOf(label, "aws_iam_role_policy_attachment")).filter(
      (attachment) => attachment.role === `\${aws_iam_role.${address}.name}`,
    );
    const ownPolicies = Object.keys(resourcesOf(label, "aws_iam_policy")).filter(
      (name) => name === address || new RegExp(`^${address}_\\d+$`).test(name),
    );
    expect(attachments.length).toBe((addon.identity?.managedPolicies?.length ?? 0) + ownPolicies.length);
  });
});
