import { inventory } from "../../modules/engine/inventory";
import { resolveAddons } from "../../modules/engine/resolve";
import { addonsOfLayer } from "../../modules/engine/install-order";
import type { AddonOverride } from "../../modules/config/schema";
import { FAKE_CATALOG, base, cycleA, cycleB, dependent, environmentWith, oldOnly } from "../helpers/engine-fixtures";

/**
 * The add-on engine's resolution with fake add-ons, no synthesis: versions, dependencies and their order, values,
 * identity and delivery errors, and the inventory. What the deliveries render is engine.test.ts.
 */

describe("versions", () => {
  it.each([
    ["1.32", "v1.9.0-eksbuild.3", "1.9.4"],
    ["1.33", "v1.9.0-eksbuild.3", "1.9.4"],
    ["1.35", "v2.0.0-eksbuild.1", "2.0.1"],
  ] as const)(
    "Kubernetes %s gets the newest pin that supports it (%s / %s)",
    (kubernetesVersion, eksVersion, chartVersion) => {
      const versionOf = (addons: Record<string, AddonOverride>) =>
        resolveAddons(environmentWith(addons, { kubernetesVersion }), FAKE_CATALOG).addons.find(
          (a) => a.name === "demo",
        )!.version;
      expect(versionOf({})).toBe(eksVersion);
      expect(versionOf({ demo: { delivery: "helm" } })).toBe(chartVersion);
    },
  );

  it("a pinned version outside the Kubernetes envelope names the versions that would work", () => {
    const plan = resolveAddons(environmentWith({ demo: { version: "v1.9.0-eksbuild.3" } }), FAKE_CATALOG);
    expect(plan.issues).toEqual([
      expect.objectContaining({
        path: "addons.demo.version",
        value: "v1.9.0-eksbuild.3",
        allowed: "v2.0.0-eksbuild.1",
        message: expect.stringContaining("supports 1.32, 1.33"),
      }),
    ]);
  });

  it("an unknown version needs acknowledgeUnknownVersion", () => {
    const plan = resolveAddons(environmentWith({ demo: { version: "v3.0.0-eksbuild.1" } }), FAKE_CATALOG);
    expect(plan.issues).toEqual([
      expect.objectContaining({
        path: "addons.demo.version",
        fix: expect.stringContaining("acknowledgeUnknownVersion"),
      }),
    ]);
  });

  it("an acknowledged unknown version is used, marked unverified, and reported as a warning", () => {
    const plan = resolveAddons(
      environmentWith({ demo: { version: "v3.0.0-eksbuild.1", acknowledgeUnknownVersion: true } }),
      FAKE_CATALOG,
    );
    expect(plan.issues).toEqual([]);
    expect(plan.addons.find((a) => a.name === "demo")).toMatchObject({
      version: "v3.0.0-eksbuild.1",
      versionUnverified: true,
      supportedKubernetes: [],
    });
    expect(plan.warnings).toEqual([
      expect.stringMatching(/demo v3\.0\.0-eksbuild\.1 .*not verified against Kubernetes 1\.35/),
    ]);
  });

  it("no pin for the cluster's Kubernetes version is an error on cluster.kubernetesVersion", () => {
    const plan = resolveAddons(environmentWith({}), [oldOnly]);
    expect(plan.issues).toEqual([
      expect.objectContaining({ path: "cluster.kubernetesVersion", value: "1.35", allowed: "1.32" }),
    ]);
  });

  it("a disabled add-on with no matching pin is not an error", () => {
    expect(resolveAddons(environmentWith({}, { layers: { network: false } }), [oldOnly]).issues).toEqual([]);
  });
});

describe("dependencies", () => {
  it("an enabled add-on whose dependency is disabled names both", () => {
    const plan = resolveAddons(environmentWith({ base: { enabled: false } }), FAKE_CATALOG);
    expect(plan.issues).toEqual([
      expect.objectContaining({
        path: "addons.base.enabled",
        message: "dependent depends on base, which is disabled (or its layer is off)",
      }),
    ]);
  });

  it("disabling both is fine", () => {
    expect(
      resolveAddons(environmentWith({ base: { enabled: false }, dependent: { enabled: false } }), FAKE_CATALOG).issues,
    ).toEqual([]);
  });

  it("a cycle is named", () => {
    const plan = resolveAddons(environmentWith({}), [cycleA, cycleB]);
    expect(plan.issues).toEqual([
      expect.objectContaining({ message: "add-on dependencies form a cycle: cycle-a -> cycle-b -> cycle-a" }),
    ]);
  });

  it("a dependency missing from the catalog is an unknown add-on", () => {
    const plan = resolveAddons(environmentWith({}), [dependent]);
    expect(plan.issues).toEqual([
      expect.objectContaining({
        path: "addons.dependent",
        message: "dependent depends on base, which is not a known add-on",
      }),
    ]);
  });

  it("orders a layer's add-ons dependencies first, whatever the catalog order", () => {
    const plan = resolveAddons(environmentWith({}), [dependent, base]);
    expect(addonsOfLayer(plan, "network").map((a) => a.name)).toEqual(["base", "dependent"]);
  });
});

describe("values, identity and delivery errors", () => {
  it("values failing the delivery's schema report the values path", () => {
    const plan = resolveAddons(environmentWith({ demo: { values: { replicas: 0 } } }), FAKE_CATALOG);
    expect(plan.issues).toEqual([expect.objectContaining({ path: "addons.demo.values.replicas", value: 0 })]);
  });

  it("forcing Pod Identity on a Fargate add-on is refused", () => {
    const plan = resolveAddons(environmentWith({ "fargate-demo": { identity: "pod-identity" } }), FAKE_CATALOG);
    expect(plan.issues).toEqual([expect.objectContaining({ path: "addons.fargate-demo.identity", allowed: "irsa" })]);
  });

  it("a delivery the add-on does not offer lists the ones it does", () => {
    const plan = resolveAddons(environmentWith({ "fargate-demo": { delivery: "eks-addon" } }), FAKE_CATALOG);
    expect(plan.issues).toEqual([expect.objectContaining({ path: "addons.fargate-demo.delivery", allowed: "helm" })]);
  });

  it("migrating from the delivery already in use is refused", () => {
    const plan = resolveAddons(environmentWith({ demo: { migrateFrom: "eks-addon" } }), FAKE_CATALOG);
    expect(plan.issues).toEqual([expect.objectContaining({ path: "addons.demo.migrateFrom", allowed: "helm" })]);
  });

  it("Pod Identity without the agent is refused, naming the add-ons that need it", () => {
    const plan = resolveAddons(environmentWith({ "eks-pod-identity-agent": { enabled: false } }), FAKE_CATALOG);
    expect(plan.issues).toEqual([
      expect.objectContaining({
        path: "addons.eks-pod-identity-agent.enabled",
        message: expect.stringContaining("used by demo"),
      }),
    ]);
  });

  it("an add-on of a switched-off layer is disabled", () => {
    const plan = resolveAddons(
      environmentWith({}, { layers: { network: false, storage: false, operators: false } }),
      FAKE_CATALOG,
    );
    expect(plan.addons.filter((a) => !a.enabled).map((a) => a.name)).toEqual(["base", "dependent"]);
  });
});

describe("inventory", () => {
  it("lists every add-on as plain JSON", () => {
    const plan = resolveAddons(
      environmentWith({
        demo: { delivery: "helm", identity: "irsa" },
        base: { enabled: false },
        dependent: { enabled: false },
      }),
      FAKE_CATALOG,
    );
    const entries = inventory(plan);
    expect(JSON.parse(JSON.stringify(entries))).toEqual(entries);
    expect(entries.map((entry) => entry.name)).toEqual(FAKE_CATALOG.map((addon) => addon.name));
    expect(entries.find((entry) => entry.name === "demo")).toEqual({
      name: "demo",
      layer: "foundation",
      enabled: true,
      delivery: "helm",
      version: "2.0.1",
      versionUnverified: false,
      supportedKubernetes: ["1.34", "1.35"],
      identity: "irsa",
      namespace: "demo-system",
      podSecurity: { pods: "restricted", namespace: "restricted", labeled: true },
      serviceAccount: "demo-controller",
      dependsOn: [],
      migrateFrom: null,
    });
    expect(entries.find((entry) => entry.name === "dependent")).toMatchObject({
      enabled: false,
      identity: "none",
      serviceAccount: null,
      dependsOn: [{ name: "base", ready: true }],
    });
    expect(entries.find((entry) => entry.name === "fargate-demo")).toMatchObject({
      identity: "irsa",
      serviceAccount: "fargate-demo",
    });
  });
});
