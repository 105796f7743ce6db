import {
  chartOfValuesFile,
  referenceFromData,
  validateStacks,
  type Finding,
  type Reference,
} from "../../tools/validate";
import { commentedKeyPaths } from "../../tools/validate/values-outline";

/**
 * Helm ignores values keys no template reads: every key path a release sets must be in the chart's default
 * values.yaml at the pinned version (or documented there as a commented-out key), except below free-form maps
 * and inside lists. Fixtures are small inline values files laid out as `helm-chart-values/<chart>-<version>.yaml`.
 */

type Json = Record<string, any>;

const CONTROLLER_VALUES = `# Default values for the fixture chart.
replicas: 2
podAnnotations: {}
nodeSelector:
  kubernetes.io/os: linux
tolerations:
  - key: CriticalAddonsOnly
    operator: Exists
serviceAccount:
  create: true
  # The name of the service account to use.
  # name: ""

  # annotations:
  #   eks.amazonaws.com/role-arn: arn
controller:
  replicaCount: 2
  resources:
    requests:
      cpu: 10m
  env: []
  podDisruptionBudget:
    enabled: false
    # Set the minimum available replicas
    # minAvailable: 1
settings:
  clusterName: ""
`;

const CERT_VALUES = `crds:
  enabled: false
replicaCount: 1
`;

const reference = referenceFromData({
  chartValues: { "controller-1.2.3.yaml": CONTROLLER_VALUES, "cert-manager-v1.21.1.yaml": CERT_VALUES },
});

const release = (values: Json, extra: Json = {}): Json => ({
  chart: "controller",
  repository: "https://charts.example.com",
  version: "1.2.3",
  values: [JSON.stringify(values)],
  ...extra,
});

function validate(releases: Json, ref: Reference = reference): Finding[] {
  return validateStacks([{ name: "dev-foundation", json: { resource: { helm_release: releases } } }], ref, {
    checks: ["helm-value-keys"],
  });
}

const lines = (findings: Finding[], severity = "error"): string[] =>
  findings.filter((f) => f.severity === severity).map((f) => `${f.stack} ${f.address}: ${f.message}`);

describe("helm values keys against the chart's default values.yaml", () => {
  test("keys of the defaults, free-form maps, lists and commented-out keys are accepted", () => {
    const values = {
      replicas: 3,
      podAnnotations: { "example.com/anything": "x" },
      nodeSelector: { "karpenter.sh/nodepool": "system" },
      tolerations: [{ key: "x", operator: "Exists", anything: true }],
      serviceAccount: {
        create: true,
        name: "controller",
        annotations: { "eks.amazonaws.com/role-arn": "${aws_iam_role.controller.arn}" },
      },
      controller: {
        resources: { limits: { memory: "1Gi" } },
        env: [{ name: "A", value: "b" }],
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
      },
      settings: { clusterName: "dev" },
      global: { imageRegistry: "registry.example.com" },
    };
    expect(validate({ controller: release(values) })).toEqual([]);
  });

  test("an unknown key names the stack, the release, the key path and the nearest key", () => {
    const findings = validate({
      controller: release({
        replicaCount: 2,
        webhook: { enabled: false },
        controller: { replicas: 2, resoures: {} },
        settings: { clusterNme: "dev" },
      }),
    });
    expect(lines(findings)).toEqual([
      'dev-foundation helm_release.controller: values.controller.replicas: not a key of controller 1.2.3\'s default values, so Helm ignores it (did you mean "values.replicas"?) (controller-1.2.3.yaml)',
      'dev-foundation helm_release.controller: values.controller.resoures: not a key of controller 1.2.3\'s default values, so Helm ignores it (did you mean "values.controller.resources"?) (controller-1.2.3.yaml)',
      'dev-foundation helm_release.controller: values.replicaCount: not a key of controller 1.2.3\'s default values, so Helm ignores it (did you mean "values.controller.replicaCount"?) (controller-1.2.3.yaml)',
      'dev-foundation helm_release.controller: values.settings.clusterNme: not a key of controller 1.2.3\'s default values, so Helm ignores it (did you mean "values.settings.clusterName"?) (controller-1.2.3.yaml)',
      "dev-foundation helm_release.controller: values.webhook: not a key of controller 1.2.3's default values, so Helm ignores it (no similar key in the chart) (controller-1.2.3.yaml)",
    ]);
    expect(findings.every((finding) => finding.check === "helm-value-keys")).toBe(true);
  });

  test("set entries and a commented key's misspelt sibling are checked too", () => {
    const findings = validate({
      controller: release(
        {},
        {
          set: [
            { name: "controler.replicaCount", value: "3" },
            { name: "serviceAccount.nmae", value: "x" },
          ],
        },
      ),
    });
    expect(lines(findings)).toEqual([
      'dev-foundation helm_release.controller: values.controler: not a key of controller 1.2.3\'s default values, so Helm ignores it (did you mean "values.controller"?) (controller-1.2.3.yaml)',
      'dev-foundation helm_release.controller: values.serviceAccount.nmae: not a key of controller 1.2.3\'s default values, so Helm ignores it (did you mean "values.serviceAccount.name"?) (controller-1.2.3.yaml)',
    ]);
  });

  test("the version may carry a v on either side (cert-manager's file is cert-manager-v1.21.1.yaml)", () => {
    const cert = (version: string): Json => ({
      chart: "cert-manager",
      version,
      values: [JSON.stringify({ crds: { enabled: true }, replicaCount: 2, replicaCont: 2 })],
    });
    for (const version of ["v1.21.1", "1.21.1"]) {
      expect(lines(validate({ cert_manager: cert(version) }))).toEqual([
        `dev-foundation helm_release.cert_manager: values.replicaCont: not a key of cert-manager ${version}'s default values, so Helm ignores it (did you mean "values.replicaCount"?) (cert-manager-v1.21.1.yaml)`,
      ]);
    }
  });

  test("a chart without a values file at the pinned version, a local chart, or a computed entry is skipped, not failed", () => {
    const findings = validate({
      other_version: release({ replicas: 1 }, { version: "1.3.0" }),
      unknown_chart: { chart: "metrics-server", version: "3.13.0", values: ["replicas: 2\n"] },
      manifests: { chart: "./assets/platform-manifests-chart/ABC", values: [JSON.stringify({ objects: [] })] },
      computed: release({ replicas: 1 }, { values: [JSON.stringify({ replicas: 1 }), "${jsonencode(local.values)}"] }),
      no_values: { chart: "karpenter-crd", version: "1.14.1" },
    });
    expect(lines(findings)).toEqual([]);
    expect(lines(findings, "skipped")).toEqual([
      "dev-foundation helm_release.computed: values[1]: computed at apply time; keys not checked against controller-1.2.3.yaml",
      "dev-foundation helm_release.manifests: chart ./assets/platform-manifests-chart/ABC is the project's own (no upstream default values); value keys not checked",
      "dev-foundation helm_release.other_version: no default values.yaml for controller 1.3.0 in the reference (it has 1.2.3); value keys not checked",
      "dev-foundation helm_release.unknown_chart: no default values.yaml for metrics-server 3.13.0 in the reference; value keys not checked",
    ]);
  });

  test("without helm-chart-values/ in the reference the check says so once, and only when there was something to check", () => {
    const absent: Reference = { ...referenceFromData({}), absent: ["helm-chart-values/"] };
    expect(lines(validate({ controller: release({ webhook: {} }) }, absent), "skipped")).toEqual([
      "* helm-chart-values/: absent from the reference directory; these checks did not run",
    ]);
    expect(validate({ crds: { chart: "karpenter-crd", version: "1.14.1" } }, absent)).toEqual([]);
  });
});

describe("reference layout", () => {
  test("values file names map to chart and version", () => {
    expect(chartOfValuesFile("karpenter-1.14.1.yaml")).toEqual({ chart: "karpenter", version: "1.14.1" });
    expect(chartOfValuesFile("cert-manager-v1.21.1.yaml")).toEqual({ chart: "cert-manager", version: "1.21.1" });
    expect(chartOfValuesFile("aws-load-balancer-controller-3.5.0.yaml")).toEqual({
      chart: "aws-load-balancer-controller",
      version: "3.5.0",
    });
    expect(chartOfValuesFile("README.md")).toBeUndefined();
  });

  test("commented-out keys nest by indentation within a paragraph; prose never re-parents the real keys", () => {
    const text = [
      "a:",
      "  b: 1",
      "# Note: prose at column 0",
      "",
      "  # c: 2",
      "  # d:",
      "  #   e: 3",
      "  # - f: list item",
      "  #   i: 5",
      "  g:",
      "# Note: more prose",
      "    h: 4",
      "    # j: 6",
    ].join("\n");
    expect(commentedKeyPaths(text)).toEqual([
      ["Note"],
      ["a", "c"],
      ["a", "d"],
      ["a", "d", "e"],
      ["Note"],
      ["a", "g", "j"],
    ]);
  });
});
