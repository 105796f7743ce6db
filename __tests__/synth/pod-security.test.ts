import { join } from "node:path";
import { ADDONS } from "../../modules/addons/catalog";
import { addonsOfLayer } from "../../modules/engine/install-order";
import { POD_SECURITY_DECLARED, namespacePodSecurity } from "../../modules/engine/pod-security";
import { loadConfigFile, planOf } from "../../modules/plan";
import { logicalName, stackName } from "../../modules/naming";
import { fixtureStacks, type FixtureConfig } from "../helpers/fixtures";

/**
 * Issue 23 item 3 on the shared syntheses of both example configs: every namespace the platform installs an add-on
 * in (derived from the catalog and each environment's plan, never listed here) but kube-system is created by its
 * layer's stack with the Pod Security labels its add-ons declare, before anything is installed in it; the VPC CNI
 * enforces NetworkPolicies exactly as each environment's `network.policyEnforcement` says.
 */

type Json = Record<string, any>;

const FIXTURES: FixtureConfig[] = ["example", "all-options"];

/** Per fixture, environment and layer: the stack's JSON and the namespaces its enabled add-ons expect. */
const cases = FIXTURES.flatMap((fixture) => {
  const config = loadConfigFile(join(__dirname, "..", "..", "config", `${fixture}.yaml`));
  const stacks = fixtureStacks(fixture);
  return planOf(config)!.environments.flatMap((plan) =>
    plan.layers.map((layer) => {
      const stack = stackName(plan.environment.name, layer);
      const addons = addonsOfLayer(plan.addons, layer);
      const expected = namespacePodSecurity(
        addons.map((addon) => ({ ...addon, podSecurity: addon.definition.podSecurity })),
      );
      return { fixture, stack, json: stacks.get(stack)! as Json, addons, expected, environment: plan.environment };
    }),
  );
});

describe.each(cases)("$fixture $stack", ({ json, addons, expected }) => {
  const namespaces = (json.resource.kubernetes_namespace_v1 ?? {}) as Record<string, Json>;
  const byName = new Map(Object.values(namespaces).map((namespace) => [namespace.metadata.name, namespace]));

  it("covers the layer's namespaces but kube-system, which stays unlabeled", () => {
    const inLayer = [...new Set(addons.map((addon) => addon.namespace))].filter((name) => name !== "kube-system");
    expect([...expected.keys()].sort()).toEqual(inLayer.sort());
    expect(byName.has("kube-system")).toBe(false);
  });

  it("creates every one with enforce at the weakest declared level, warn and audit at restricted", () => {
    for (const [name, security] of expected) {
      const metadata = byName.get(name)?.metadata;
      expect([name, metadata?.labels]).toEqual([
        name,
        {
          "pod-security.kubernetes.io/enforce": security.enforce,
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
        },
      ]);
      const declared = [...security.declared].map(([addon, level]) => `${addon}=${level}`).join(",");
      expect(metadata?.annotations).toEqual({ [POD_SECURITY_DECLARED]: declared });
    }
  });

  it("installs each Helm release and EKS add-on outside kube-system after its namespace, without Helm creating it", () => {
    for (const addon of addons.filter((candidate) => candidate.namespace !== "kube-system")) {
      if (addon.delivery.kind === "manifests") continue;
      const namespace = `kubernetes_namespace_v1.${logicalName(addon.namespace)}`;
      expect(namespaces[logicalName(addon.namespace)]).toBeDefined();
      const type = addon.delivery.kind === "helm" && !addon.installedWith ? "helm_release" : "aws_eks_addon";
      const resource = json.resource[type][logicalName(addon.name)];
      expect([addon.name, resource.depends_on]).toEqual([addon.name, expect.arrayContaining([namespace])]);
      if (type === "helm_release") expect(resource.create_namespace).toBe(false);
    }
    for (const release of Object.values((json.resource.helm_release ?? {}) as Record<string, Json>))
      expect([release.name, release.create_namespace ?? false]).toEqual([release.name, false]);
  });
});

describe.each(cases.filter(({ json }) => json.resource.aws_eks_addon?.vpc_cni))(
  "$fixture $stack: the VPC CNI",
  ({ json, environment }) => {
    it("enforces NetworkPolicies as network.policyEnforcement says", () => {
      const values = JSON.parse(json.resource.aws_eks_addon.vpc_cni.configuration_values);
      expect(values.enableNetworkPolicy).toBe(String(environment.network.policyEnforcement));
    });
  },
);

describe("the fixtures", () => {
  it("use both network.policyEnforcement choices", () => {
    const choices = cases.map(({ environment }) => environment.network.policyEnforcement);
    expect(new Set(choices)).toEqual(new Set([true, false]));
  });

  it("install every add-on namespace of the catalog somewhere", () => {
    const covered = new Set(cases.flatMap(({ expected }) => [...expected.keys()]));
    const catalog = new Set(ADDONS.map((addon) => addon.namespace).filter((name) => name !== "kube-system"));
    expect([...catalog].filter((name) => !covered.has(name))).toEqual([]);
  });
});
