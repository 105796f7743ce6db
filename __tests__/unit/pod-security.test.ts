import { ADDONS } from "../../modules/addons/catalog";
import {
  POD_SECURITY_DECLARED,
  namespacePodSecurity,
  podSecurityLabels,
  strictness,
  type PodSecurityLevel,
} from "../../modules/engine/pod-security";
import { validateConfig } from "../../modules/plan";
import { policyRule } from "../../modules/policy/registry";
import { levelNeeded, weakeningValues } from "../../modules/policy/pod-security-reading";
import { helmTruthy, terraformTrue } from "../../modules/policy/values-documents";
import type { EnvironmentConfig } from "../../modules/config/schema";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Pod Security Admission and NetworkPolicy enforcement as plain code: the levels the catalog declares, the labels
 * they give each namespace, the level a value needs, and the policy rules on small stacks.
 */

type Json = Record<string, unknown>;

const environment = validateConfig({ environments: [minimalEnvironment()] }).environments[0] as EnvironmentConfig;
const check = (rule: string, json: Json) =>
  policyRule(rule)!.check({ stack: "dev-network", json, environment, now: new Date() });

/** A stack with one namespace enforcing `enforce` (declared by `demo`) and one Helm release in it with `values`. */
function stack(enforce: PodSecurityLevel, values: Json, namespace = "demo"): Json {
  return {
    resource: {
      kubernetes_namespace_v1: {
        demo: {
          metadata: {
            name: "demo",
            labels: podSecurityLabels(enforce),
            annotations: { [POD_SECURITY_DECLARED]: `demo=${enforce}` },
          },
        },
      },
      helm_release: {
        demo: {
          name: "demo",
          namespace,
          values: [JSON.stringify(values)],
          depends_on: ["kubernetes_namespace_v1.demo"],
        },
      },
    },
  };
}

describe("what the catalog declares", () => {
  it.each(ADDONS.map((addon) => [addon.name, addon] as const))("%s says why it is below restricted", (_, addon) => {
    if (addon.podSecurity.level !== "restricted") expect(addon.podSecurity.reason?.length).toBeGreaterThan(20);
  });

  it("labels every add-on namespace but kube-system with the weakest level declared in it", () => {
    const namespaces = namespacePodSecurity(ADDONS);
    const expected = [...new Set(ADDONS.map((addon) => addon.namespace))].filter((name) => name !== "kube-system");
    expect([...namespaces.keys()].sort()).toEqual(expected.sort());
    for (const addon of ADDONS.filter((candidate) => candidate.namespace !== "kube-system")) {
      const security = namespaces.get(addon.namespace)!;
      expect(security.declared.get(addon.name)).toBe(addon.podSecurity.level);
      expect(strictness(security.enforce)).toBeLessThanOrEqual(strictness(addon.podSecurity.level));
    }
  });

  it("never puts a node agent (every-node) outside kube-system", () => {
    for (const addon of ADDONS.filter((candidate) => candidate.runsOn === "every-node"))
      expect([addon.name, addon.namespace]).toEqual([addon.name, "kube-system"]);
  });

  it("warns and audits at restricted whatever it enforces", () => {
    expect(podSecurityLabels("baseline")).toEqual({
      "pod-security.kubernetes.io/enforce": "baseline",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    });
  });
});

describe("the level a value needs", () => {
  it.each([
    ["hostNetwork", true, "privileged"],
    ["host_pid", "true", "privileged"],
    ["privileged", true, "privileged"],
    ["hostPath", { path: "/var/lib" }, "privileged"],
    ["hostPort", 8080, "privileged"],
    ["capabilities", { add: ["SYS_ADMIN"] }, "privileged"],
    ["seccompProfile", { type: "Unconfined" }, "privileged"],
    ["capabilities", { add: ["CHOWN"] }, "baseline"],
    ["allowPrivilegeEscalation", true, "baseline"],
    ["run_as_non_root", false, "baseline"],
    ["runAsUser", 0, "baseline"],
  ] as const)("%s: %j needs %s", (key, value, needs) => {
    expect(levelNeeded(key, value)?.needs).toBe(needs);
  });

  it.each([
    ["hostNetwork", false],
    ["capabilities", { add: ["NET_BIND_SERVICE"], drop: ["ALL"] }],
    ["runAsNonRoot", true],
    ["runAsUser", 65532],
    ["seccompProfile", { type: "RuntimeDefault" }],
  ] as const)("%s: %j is restricted", (key, value) => {
    expect(levelNeeded(key, value)).toBeUndefined();
  });
});

describe("POD_SECURITY_VALUES", () => {
  it("fails a privileged value in a restricted namespace", () => {
    const findings = check(
      "POD_SECURITY_VALUES",
      stack("restricted", { controller: { securityContext: { privileged: true } } }),
    );
    expect(findings.map((finding) => [finding.resource.address, finding.problem])).toEqual([
      [
        "helm_release.demo",
        "privileged is true needs Pod Security privileged, but namespace demo enforces restricted (values controller.securityContext.privileged)",
      ],
    ]);
  });

  it("fails it in a baseline namespace too, but accepts running as root there", () => {
    expect(check("POD_SECURITY_VALUES", stack("baseline", { hostNetwork: true }))).toHaveLength(1);
    expect(check("POD_SECURITY_VALUES", stack("baseline", { securityContext: { runAsNonRoot: false } }))).toEqual([]);
    expect(
      check("POD_SECURITY_VALUES", stack("restricted", { securityContext: { runAsNonRoot: false } })),
    ).toHaveLength(1);
  });

  it("does not judge kube-system or a privileged namespace", () => {
    expect(check("POD_SECURITY_VALUES", stack("restricted", { hostNetwork: true }, "kube-system"))).toEqual([]);
    expect(check("POD_SECURITY_VALUES", stack("privileged", { hostNetwork: true }))).toEqual([]);
  });

  /** `stack(level, {})` with the release's `values` and `set` replaced. */
  const release = (values: string[], set: Json[] = []) => {
    const json = stack("restricted", {});
    Object.assign((json.resource as Record<string, Record<string, Json>>).helm_release.demo, { values, set });
    return check("POD_SECURITY_VALUES", json).map((finding) => finding.problem);
  };

  it("reads a release's YAML values as Helm does (YAML 1.1: yes is true)", () => {
    expect(release(["hostNetwork: yes\n"])).toEqual([
      "hostNetwork is true (the node's namespaces) needs Pod Security privileged, but namespace demo enforces restricted (values hostNetwork)",
    ]);
    expect(release(["controller:\n  securityContext:\n    allowPrivilegeEscalation: on\n"])).toHaveLength(1);
  });

  it("judges the values Helm computes: documents coalesced in order, set typed like --set", () => {
    expect(release([JSON.stringify({ hostNetwork: true }), "hostNetwork: false\n"])).toEqual([]);
    expect(release([JSON.stringify({ hostPID: true }), "hostPID: null\n"])).toEqual([]);
    expect(release([], [{ name: "controller.hostNetwork", value: "True" }])).toHaveLength(1);
    // A string is still on where a chart reads it: `{{ if }}` (Go truthiness) or rendered into the pod spec as `True`.
    expect(release([], [{ name: "hostNetwork", value: "True", type: "string" }])).toHaveLength(1);
    expect(release([], [{ name: "hostNetwork", value: "", type: "string" }])).toEqual([]);
  });

  /** The addresses reported when an EKS add-on in the demo namespace (waiting for it) has `configuration_values`. */
  const eksAddon = (configurationValues: string) => {
    const json = stack("restricted", {});
    (json.resource as Record<string, Json>).aws_eks_addon = {
      demo: {
        addon_name: "demo",
        configuration_values: configurationValues,
        depends_on: ["kubernetes_namespace_v1.demo"],
      },
    };
    return check("POD_SECURITY_VALUES", json).map((finding) => finding.resource.address);
  };

  it("finds an EKS add-on's namespace through the namespace it waits for", () => {
    expect(eksAddon(JSON.stringify({ hostNetwork: true }))).toEqual(["aws_eks_addon.demo"]);
  });

  it("reads an EKS add-on's YAML configuration_values (YAML 1.1)", () => {
    expect(eksAddon("securityContext:\n  privileged: yes\n")).toEqual(["aws_eks_addon.demo"]);
  });
});

describe("POD_SECURITY_NAMESPACES", () => {
  const withLabels = (labels: Json, declared = "demo=restricted") => {
    const json = stack("restricted", {});
    const namespace = (json.resource as Record<string, Record<string, Json>>).kubernetes_namespace_v1.demo;
    namespace.metadata = { name: "demo", labels, annotations: { [POD_SECURITY_DECLARED]: declared } };
    return json;
  };

  it("passes labels that match the declarations", () => {
    expect(check("POD_SECURITY_NAMESPACES", stack("baseline", {}))).toEqual([]);
  });

  it.each([
    ["weakened", podSecurityLabels("baseline"), "demo=restricted", "weaker than its add-ons declare"],
    ["stricter than an add-on meets", podSecurityLabels("restricted"), "demo=baseline", "admission would reject"],
    ["unlabeled", {}, "demo=restricted", "enforces no Pod Security level"],
    [
      "warning only at baseline",
      { ...podSecurityLabels("restricted"), "pod-security.kubernetes.io/warn": "baseline" },
      "demo=restricted",
      "warn is not restricted",
    ],
  ])("reports a namespace %s", (_, labels, declared, problem) => {
    const findings = check("POD_SECURITY_NAMESPACES", withLabels(labels, declared));
    expect([...new Set(findings.map((finding) => finding.resource.address))]).toEqual(["kubernetes_namespace_v1.demo"]);
    expect(findings[0].problem).toContain(problem);
  });

  it("enforces the weakest of several add-ons' levels", () => {
    const declared = "demo=restricted,agent=baseline";
    expect(check("POD_SECURITY_NAMESPACES", withLabels(podSecurityLabels("baseline"), declared))).toEqual([]);
    expect(check("POD_SECURITY_NAMESPACES", withLabels(podSecurityLabels("restricted"), declared))).toHaveLength(1);
  });
});

describe("NETWORK_POLICY_ENFORCED and network.policyEnforcement", () => {
  const vpcCni = (values: Json) => ({
    resource: { aws_eks_addon: { vpc_cni: { addon_name: "vpc-cni", configuration_values: JSON.stringify(values) } } },
  });

  it('passes enableNetworkPolicy "true" and reports anything else', () => {
    expect(check("NETWORK_POLICY_ENFORCED", vpcCni({ enableNetworkPolicy: "true" }))).toEqual([]);
    expect(check("NETWORK_POLICY_ENFORCED", vpcCni({ enableNetworkPolicy: "false" }))).toHaveLength(1);
    expect(check("NETWORK_POLICY_ENFORCED", vpcCni({ env: {} }))).toHaveLength(1);
  });

  it("reads YAML configuration_values as EKS hands them to the chart", () => {
    const yaml = (text: string) => ({
      resource: { aws_eks_addon: { vpc_cni: { addon_name: "vpc-cni", configuration_values: text } } },
    });
    expect(check("NETWORK_POLICY_ENFORCED", yaml('enableNetworkPolicy: "true"\n'))).toEqual([]);
    expect(check("NETWORK_POLICY_ENFORCED", yaml('enableNetworkPolicy: "false"\n'))).toHaveLength(1);
  });

  it("is on by default", () => {
    expect(environment.network.policyEnforcement).toBe(true);
  });

  it("refuses enableNetworkPolicy in the vpc-cni values, naming the setting to use", () => {
    const issues = issuesOf(() =>
      validateConfig({
        environments: [minimalEnvironment({ addons: { "vpc-cni": { values: { enableNetworkPolicy: "false" } } } })],
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(["environments[0].addons.vpc-cni.values.enableNetworkPolicy"]);
    expect(issues[0].message).toContain("network.policyEnforcement");
  });
});

describe("POD_SECURITY_VALUES reads switches as the VALUES rules do", () => {
  const on = (value: unknown) => weakeningValues({ hostNetwork: value }, helmTruthy).length;
  it("counts every spelling of on in Helm values, the nested enabled form included", () => {
    for (const value of [true, "true", "True", "yes", 1, { enabled: true }, { enabled: "yes" }])
      expect([value, on(value)]).toEqual([value, 1]);
  });
  it("counts no spelling of off", () => {
    for (const value of [false, 0, "", null, { enabled: false }, { enabled: 0 }])
      expect([value, on(value)]).toEqual([value, 0]);
  });
  it("reads Kubernetes provider attributes as Terraform bools", () => {
    expect(weakeningValues({ host_network: "false" }, terraformTrue)).toEqual([]);
    expect(weakeningValues({ host_network: "1" }, terraformTrue)).toHaveLength(1);
  });
});
