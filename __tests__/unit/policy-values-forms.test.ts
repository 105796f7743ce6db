import { validateConfig } from "../../modules/plan";
import { evaluatePolicy } from "../../modules/policy/engine";
import { policyRule } from "../../modules/policy/registry";
import { minimalEnvironment } from "../helpers/config";

/**
 * Issue 24 item 5: the values rules read a setting the way the component that receives it does. A Helm template's
 * `if` is Go truthiness (any non-empty string, "false" included, any non-zero number), a YAML values document is
 * YAML 1.1 (`yes`, `on`, `True`), a `set` block is typed like `--set` (`True` is a boolean, `type = "string"`
 * keeps the text), a Go flag is parsed by strconv.ParseBool (`=1`, `=T`), and a Kubernetes provider attribute is a
 * Terraform bool ("false" is false). Nested forms (`hostNetwork: { enabled: true }`) count; off stays off.
 */

type Json = Record<string, any>;

const environment = validateConfig({ environments: [minimalEnvironment()] }).environments[0];

const helm = (values: unknown[], extra: Json = {}): Json => ({
  resource: {
    helm_release: {
      addon: {
        name: "addon",
        chart: "addon",
        version: "1.0.0",
        values: values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))),
        ...extra,
      },
    },
  },
});
const eksAddon = (values: Json): Json => ({
  resource: {
    aws_eks_addon: { addon: { addon_name: "metrics-server", configuration_values: JSON.stringify(values) } },
  },
});
const deployment = (spec: Json): Json => ({
  resource: { kubernetes_deployment_v1: { addon: { spec: [{ template: [{ spec: [spec] }] }] } } },
});

const fires = (rule: string, json: Json): boolean =>
  evaluatePolicy({ stack: "dev-foundation", json, environment, rules: [policyRule(rule)!] }).findings.length > 0;

describe("VALUES_NO_HOST_NAMESPACES reads values as Helm and YAML 1.1 do", () => {
  it.each<[string, Json]>([
    ["hostNetwork: 1", helm([{ hostNetwork: 1 }])],
    ['hostNetwork: "yes"', helm([{ hostNetwork: "yes" }])],
    ['hostNetwork: "True"', helm([{ hostNetwork: "True" }])],
    ['hostNetwork: "false" (a non-empty string is true in a template if)', helm([{ hostNetwork: "false" }])],
    ["hostNetwork: { enabled: true } (metrics-server's key)", helm([{ hostNetwork: { enabled: true } }])],
    ['hostNetwork: { enabled: "yes" }', helm([{ hostNetwork: { enabled: "yes" } }])],
    ["hostPID: yes in a YAML document (YAML 1.1)", helm(["hostPID: yes\n"])],
    ["hostIPC: on in a YAML document, nested", helm(["controller:\n  hostIPC: on\n"])],
    ["set hostNetwork=True (--set typing)", helm([], { set: [{ name: "hostNetwork", value: "True" }] })],
    ["set hostNetwork.enabled=1", helm([], { set: [{ name: "hostNetwork.enabled", value: "1" }] })],
    [
      'set hostNetwork="false" with type = "string"',
      helm([], { set: [{ name: "hostNetwork", value: "false", type: "string" }] }),
    ],
    ["set_list is read too", helm([], { set_list: [{ name: "hostPID", value: ["x"] }] })],
    ['an EKS add-on with hostNetwork: "yes"', eksAddon({ hostNetwork: "yes" })],
    ['a Kubernetes object with host_network = "true"', deployment({ host_network: "true" })],
  ])("%s is a finding", (_, json) => {
    expect(fires("VALUES_NO_HOST_NAMESPACES", json)).toBe(true);
  });

  it.each<[string, Json]>([
    ["hostNetwork: false", helm([{ hostNetwork: false }])],
    ["hostNetwork: 0", helm([{ hostNetwork: 0 }])],
    ['hostNetwork: ""', helm([{ hostNetwork: "" }])],
    ["hostNetwork: null", helm([{ hostNetwork: null }])],
    ["hostNetwork: { enabled: false }", helm([{ hostNetwork: { enabled: false } }])],
    ["hostNetwork: {}", helm([{ hostNetwork: {} }])],
    ["hostPID: no in a YAML document", helm(["hostPID: no\n"])],
    ["set hostNetwork=False", helm([], { set: [{ name: "hostNetwork", value: "False" }] })],
    ["set hostNetwork=0", helm([], { set: [{ name: "hostNetwork", value: "0" }] })],
    ['a Kubernetes object with host_network = "false" (a Terraform bool)', deployment({ host_network: "false" })],
    ["a Kubernetes object with host_network = false", deployment({ host_network: false })],
  ])("%s is not", (_, json) => {
    expect(fires("VALUES_NO_HOST_NAMESPACES", json)).toBe(false);
  });
});

describe("VALUES_NO_PRIVILEGED and VALUES_TLS_VERIFIED use the same reading", () => {
  it.each<[string, string, Json]>([
    ["VALUES_NO_PRIVILEGED", 'privileged: "True"', helm([{ securityContext: { privileged: "True" } }])],
    ["VALUES_NO_PRIVILEGED", "privileged: 1", helm([{ securityContext: { privileged: 1 } }])],
    [
      "VALUES_NO_PRIVILEGED",
      "allowPrivilegeEscalation: yes (YAML)",
      helm(["securityContext:\n  allowPrivilegeEscalation: yes\n"]),
    ],
    ["VALUES_NO_PRIVILEGED", "capabilities.add as one string", helm([{ capabilities: { add: "NET_ADMIN" } }])],
    ["VALUES_TLS_VERIFIED", "--kubelet-insecure-tls=1", eksAddon({ args: ["--kubelet-insecure-tls=1"] })],
    ["VALUES_TLS_VERIFIED", "--kubelet-insecure-tls=True", eksAddon({ args: ["--kubelet-insecure-tls=True"] })],
    ["VALUES_TLS_VERIFIED", "--kubelet-insecure-tls=yes", eksAddon({ args: ["--kubelet-insecure-tls=yes"] })],
    ["VALUES_TLS_VERIFIED", "-kubelet-insecure-tls (one dash)", eksAddon({ args: ["-kubelet-insecure-tls"] })],
    ["VALUES_TLS_VERIFIED", "extraArgs map form", helm([{ extraArgs: { "kubelet-insecure-tls": "" } }])],
    ["VALUES_TLS_VERIFIED", 'insecureSkipVerify: "yes"', helm([{ webhook: { insecureSkipVerify: "yes" } }])],
    [
      "VALUES_TLS_VERIFIED",
      "--tls-min-version=VersionTLS11 as a map entry",
      helm([{ extraArgs: { "tls-min-version": "VersionTLS11" } }]),
    ],
  ])("%s: %s is a finding", (rule, _, json) => {
    expect(fires(rule, json)).toBe(true);
  });

  it.each<[string, string, Json]>([
    ["VALUES_NO_PRIVILEGED", "privileged: false", helm([{ securityContext: { privileged: false } }])],
    [
      "VALUES_NO_PRIVILEGED",
      'set privileged="false"',
      helm([], { set: [{ name: "securityContext.privileged", value: "false" }] }),
    ],
    ["VALUES_NO_PRIVILEGED", "capabilities.add: []", helm([{ capabilities: { add: [], drop: ["ALL"] } }])],
    ["VALUES_TLS_VERIFIED", "--kubelet-insecure-tls=false", eksAddon({ args: ["--kubelet-insecure-tls=false"] })],
    ["VALUES_TLS_VERIFIED", "--kubelet-insecure-tls=0", eksAddon({ args: ["--kubelet-insecure-tls=0"] })],
    ["VALUES_TLS_VERIFIED", "--kubelet-insecure-tls=F", eksAddon({ args: ["--kubelet-insecure-tls=F"] })],
    ["VALUES_TLS_VERIFIED", "extraArgs map form, false", helm([{ extraArgs: { "kubelet-insecure-tls": false } }])],
    ["VALUES_TLS_VERIFIED", "--tls-min-version=VersionTLS12", eksAddon({ args: ["--tls-min-version=VersionTLS12"] })],
  ])("%s: %s is not", (rule, _, json) => {
    expect(fires(rule, json)).toBe(false);
  });
});
