import { ADDONS } from "../../modules/addons/catalog";
import { validateConfig } from "../../modules/plan";
import { applyWaves, dot, environmentGraph, mermaid } from "../../tools/report/graph";
import {
  buildReport,
  kubernetesRangeText,
  type EnvironmentReport,
  type PlatformReport,
} from "../../tools/report/model";
import { renderMarkdown, renderText } from "../../tools/report/render";
import { minimalEnvironment } from "../helpers/config";

/**
 * The operator report's content: rows for what is installed (and nothing for what is off), versions, identities
 * and roles, dependencies in the graph, and warnings exactly when a rule applies. Built from config only.
 */

const NOW = new Date("2026-11-20T00:00:00Z");

let report: PlatformReport;
let dev: EnvironmentReport;
let staging: EnvironmentReport;
let prod: EnvironmentReport;

beforeAll(() => {
  const config = validateConfig({
    environments: [
      minimalEnvironment({ name: "dev", cluster: { kubernetesVersion: "1.36" } }),
      minimalEnvironment({
        name: "staging",
        account: "222222222222",
        cluster: { kubernetesVersion: "1.34", name: "staging-blue" },
        layers: { storage: false },
        addons: {
          "metrics-server": { delivery: "helm" },
          "external-dns": { version: "1.22.0", acknowledgeUnknownVersion: true },
        },
      }),
      minimalEnvironment({
        name: "prod",
        account: "333333333333",
        cluster: { kubernetesVersion: "1.33" },
        addons: { "echo-server": { enabled: false }, coredns: { version: "v1.12.4-eksbuild.18" } },
        policy: {
          waivers: [
            { rule: "EKS_SUPPORTED_VERSION", reason: "upgrade scheduled for December", expires: "2026-12-15" },
            {
              rule: "LOGS_RETENTION",
              resource: "aws_cloudwatch_log_group.cluster",
              reason: "logs are shipped to the SIEM",
            },
            { rule: "EKS_PUBLIC_ENDPOINT", reason: "temporary access for the migration", expires: "2026-01-01" },
          ],
        },
      }),
    ],
  });
  report = buildReport(config, { now: NOW });
  [dev, staging, prod] = report.environments;
});

const addon = (environment: EnvironmentReport, name: string) => environment.addons.find((row) => row.name === name);
/** The catalog's add-ons of a layer, in catalog order: expectations follow the catalog, never a hard-coded list. */
const layerAddons = (layer: string) => ADDONS.filter((definition) => definition.layer === layer).map((a) => a.name);
const topics = (environment: EnvironmentReport, topic: string) =>
  environment.warnings.filter((warning) => warning.topic === topic);

describe("add-on rows", () => {
  it.each([
    ["vpc-cni", "foundation", "eks-addon", "v1.20.4-eksbuild.2", "pod-identity", "dev-vpc-cni", "kube-system"],
    ["coredns", "foundation", "eks-addon", "v1.14.3-eksbuild.3", "none", null, "kube-system"],
    ["karpenter", "foundation", "helm", "1.14.1", "irsa", "dev-karpenter", "karpenter"],
    ["external-secrets", "operators", "helm", "2.9.0", "pod-identity", "dev-external-secrets", "external-secrets"],
    ["echo-server", "network", "manifests", "0.9.2", "none", null, "echo-server"],
  ])(
    "dev: %s is in %s as %s %s, identity %s, role %s, namespace %s",
    (name, layer, delivery, version, identity, role, namespace) => {
      expect(addon(dev, name)).toMatchObject({
        layer,
        stack: `dev-${layer}`,
        delivery,
        version,
        identity,
        roleName: role,
        namespace,
      });
    },
  );

  it("has a row for every enabled add-on and none for disabled ones", () => {
    expect(dev.addons.map((row) => row.name)).toEqual(ADDONS.map((definition) => definition.name));
    expect(dev.disabledAddons).toEqual([]);
    expect(addon(prod, "echo-server")).toBeUndefined();
    expect(prod.disabledAddons).toEqual(["echo-server"]);
  });

  it("drops a switched-off layer's stack and add-ons", () => {
    expect(staging.stacks.map((stack) => stack.name)).toEqual([
      "staging-foundation",
      "staging-network",
      "staging-operators",
    ]);
    expect(layerAddons("storage")).toContain("aws-efs-csi-driver");
    for (const name of layerAddons("storage")) {
      expect(addon(staging, name)).toBeUndefined();
      expect(staging.disabledAddons).toContain(name);
    }
  });

  it("follows the cluster's Kubernetes version, delivery overrides and version pins", () => {
    expect(addon(staging, "kube-proxy")).toMatchObject({
      version: "v1.34.6-eksbuild.13",
      supportedKubernetes: ["1.34"],
    });
    expect(addon(staging, "metrics-server")).toMatchObject({ delivery: "helm", version: "3.13.0" });
    expect(addon(staging, "external-dns")).toMatchObject({
      version: "1.22.0",
      versionUnverified: true,
      supportedKubernetes: [],
    });
    expect(addon(prod, "coredns")).toMatchObject({ version: "v1.12.4-eksbuild.18", supportedKubernetes: ["1.33"] });
  });

  it("names roles after the cluster, not the environment", () => {
    expect(addon(staging, "karpenter")?.roleName).toBe("staging-blue-karpenter");
  });

  it("lists dependencies with their readiness", () => {
    expect(addon(dev, "echo-server")?.dependsOn).toEqual([
      { name: "aws-load-balancer-controller", ready: true },
      { name: "external-dns", ready: false },
    ]);
  });
});

describe("warnings", () => {
  it("dev (newest Kubernetes, nothing pinned, no waivers) has one note and no warnings", () => {
    expect(dev.warnings.filter((warning) => warning.severity === "warning")).toEqual([]);
    expect(topics(dev, "compatibility")).toEqual([
      expect.objectContaining({ severity: "note", message: expect.stringContaining("kube-proxy v1.36.0-eksbuild.14") }),
    ]);
  });

  it("warns about Kubernetes past the end of standard support, and about its end approaching", () => {
    expect(topics(prod, "kubernetes-support")).toEqual([
      expect.objectContaining({
        severity: "warning",
        message: expect.stringContaining("past the end of standard support (2026-07-29)"),
      }),
    ]);
    expect(topics(staging, "kubernetes-support")).toEqual([
      expect.objectContaining({ severity: "warning", message: expect.stringContaining("in 12 days") }),
    ]);
    expect(topics(dev, "kubernetes-support")).toEqual([]);
  });

  it("warns about a configured pin at the end of its envelope, not about pins the platform moves itself", () => {
    expect(topics(prod, "compatibility").map((warning) => warning.subject)).toEqual(["coredns"]);
    expect(topics(staging, "compatibility")).toEqual([]);
  });

  it("repeats acknowledged unverified versions", () => {
    expect(topics(staging, "unverified-version")).toEqual([
      expect.objectContaining({ severity: "warning", subject: "external-dns" }),
    ]);
    expect(topics(prod, "unverified-version")).toEqual([]);
  });

  it.each([
    ["EKS_SUPPORTED_VERSION", "warning", "expires in 25 days"],
    ["LOGS_RETENTION", "note", "waiver in use: LOGS_RETENTION on aws_cloudwatch_log_group.cluster, no end date"],
    ["EKS_PUBLIC_ENDPOINT", "warning", "expired on 2026-01-01"],
  ])("waiver %s is a %s (%s)", (rule, severity, text) => {
    expect(topics(prod, "waiver").find((warning) => warning.subject === rule)).toMatchObject({
      severity,
      message: expect.stringContaining(text),
    });
  });
});

describe("dependency graph", () => {
  it("orders the foundation after the control plane and dependants after their dependencies", () => {
    const waves = applyWaves(environmentGraph(dev), "dev-foundation");
    expect(waves[0]).toEqual(["control plane"]);
    expect(waves[1]).toEqual(expect.arrayContaining(["vpc-cni", "karpenter"]));
    expect(waves[2]).toEqual(expect.arrayContaining(["metrics-server", "reloader"]));
    // Every network add-on exactly once; the echo server after the controllers it needs, which wait for nothing.
    const network = applyWaves(environmentGraph(dev), "dev-network");
    expect(network.flat().sort()).toEqual(layerAddons("network").sort());
    expect(network[0]).toEqual(
      expect.arrayContaining(["cert-manager", "aws-load-balancer-controller", "external-dns"]),
    );
    expect(network[1]).toContain("echo-server");
  });

  it("draws edges only between enabled add-ons, ready ones marked", () => {
    const graph = environmentGraph(prod);
    expect(graph.nodes.some((node) => node.label.startsWith("echo-server"))).toBe(false);
    expect(mermaid(environmentGraph(dev))).toContain("dev__aws_load_balancer_controller -. ready .-> dev__echo_server");
    expect(mermaid(environmentGraph(dev))).toContain("dev_foundation ==> dev_network");
    expect(graph.edges.some((edge) => edge.to.endsWith("echo_server"))).toBe(false);
  });

  it("renders every environment into one DOT graph with a cluster per stack", () => {
    const source = dot(report);
    for (const stack of report.environments.flatMap((environment) => environment.stacks))
      expect(source).toContain(`"cluster_${stack.name}"`);
    expect(source).toContain("dev__karpenter -> dev__aws_efs_csi_driver;");
  });
});

describe("Pod Security", () => {
  it.each(ADDONS.map((definition) => [definition.name, definition] as const))(
    "dev: %s shows its declared level and its namespace's enforced one",
    (name, definition) => {
      const row = addon(dev, name)!;
      expect(row.podSecurity.pods).toBe(definition.podSecurity.level);
      if (definition.namespace === "kube-system")
        expect(row.podSecurity).toMatchObject({ namespace: "privileged", labeled: false });
      else {
        // The weakest level of the add-ons sharing the namespace (derived from the catalog).
        const levels = ADDONS.filter((other) => other.namespace === definition.namespace).map(
          (other) => other.podSecurity.level,
        );
        const weakest = (["privileged", "baseline", "restricted"] as const).find((level) => levels.includes(level));
        expect(row.podSecurity).toMatchObject({ namespace: weakest, labeled: true });
      }
    },
  );

  it("the text report lists the levels, kube-system as unlabeled", () => {
    const text = renderText(report);
    const line = (name: string) => text.split("\n").find((row) => row.startsWith(`${name} `)) ?? "";
    expect(line("vpc-cni")).toContain("privileged (unlabeled)");
    expect(line("external-secrets")).toMatch(/\brestricted\b/);
  });
});

describe("rendering", () => {
  it("Markdown has a section, tables and a Mermaid graph per environment", () => {
    const markdown = renderMarkdown(report, { svgPath: "graph.svg" });
    expect(markdown.match(/^## /gm)).toHaveLength(3);
    expect(markdown.match(/```mermaid/g)).toHaveLength(3);
    expect(markdown).toContain(
      "| `karpenter` | foundation | helm | 1.14.1 | 1.32–1.36 | irsa | `dev-karpenter` | `karpenter` | restricted | - |",
    );
    expect(markdown).toContain("[graph.svg](graph.svg)");
  });

  it("text lists warnings and switched-off add-ons", () => {
    const text = renderText(report);
    expect(text).toContain("off: echo-server");
    expect(text).toMatch(/warning: Kubernetes 1\.33 is past the end of standard support/);
  });

  it.each([
    [["1.32", "1.33", "1.34", "1.35"], "1.32–1.35"],
    [["1.35"], "1.35"],
    [["1.32", "1.34"], "1.32, 1.34"],
    [[], "unverified"],
  ])("Kubernetes versions %j read as %s", (versions, text) => {
    expect(kubernetesRangeText(versions)).toBe(text);
  });
});
