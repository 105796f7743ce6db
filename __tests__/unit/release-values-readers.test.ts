import { validateConfig } from "../../modules/plan";
import { evaluatePolicy } from "../../modules/policy/engine";
import { policyRule } from "../../modules/policy/registry";
import { buildGraph } from "../../tools/rehearse/graph";
import { objectsCreatedBy, webhookOf } from "../../tools/rehearse/webhooks";
import { minimalEnvironment } from "../helpers/config";
import { releaseValues } from "../../modules/terraform-json/helm-values";
import { actionCovers } from "../../modules/terraform-json/iam-policy";

/**
 * Every rule and the rehearsal read a helm_release's values as Helm computes them (one reader:
 * modules/terraform-json/helm-values.ts): documents coalesced in order (a later document replaces a list and a
 * scalar, merges a map, deletes with null), YAML documents as well as JSON, `set` entries on top. Before, three
 * readers had their own ways: the node rules concatenated every document's `objects` and skipped YAML, the Service
 * webhook rule asked whether any document turned the webhook off, and the rehearsal merged documents shallowly.
 */

type Json = Record<string, any>;

const environment = validateConfig({ environments: [minimalEnvironment()] }).environments[0];
const fires = (rule: string, json: Json): boolean =>
  evaluatePolicy({ stack: "dev-foundation", json, environment, rules: [policyRule(rule)!] }).findings.length > 0;
const text = (values: unknown[]): string[] =>
  values.map((value) => (typeof value === "string" ? value : JSON.stringify(value)));

const controller = (values: unknown[], extra: Json = {}): Json => ({
  resource: {
    helm_release: {
      lbc: { name: "lbc", chart: "aws-load-balancer-controller", version: "1.0.0", values: text(values), ...extra },
    },
  },
});

describe("NO_BLOCKING_SERVICE_WEBHOOK reads the values Helm computes", () => {
  it.each<[string, Json, boolean]>([
    ["no values: the chart's default (on)", controller([]), true],
    ["off", controller([{ enableServiceMutatorWebhook: false }]), false],
    [
      "off, then on again in a later document",
      controller([{ enableServiceMutatorWebhook: false }, { enableServiceMutatorWebhook: true }]),
      true,
    ],
    ["off in a YAML document", controller(["enableServiceMutatorWebhook: false\n"]), false],
    ["off through set", controller([], { set: [{ name: "enableServiceMutatorWebhook", value: "false" }] }), false],
    [
      "scoped in one document, the selector removed by a later null",
      controller([
        { serviceMutatorWebhookConfig: { objectSelector: { matchLabels: { a: "b" } } } },
        { serviceMutatorWebhookConfig: { objectSelector: null } },
      ]),
      true,
    ],
    // The chart renders objectSelector.matchExpressions and .matchLabels only when they are non-empty (`if`):
    // an empty selector scopes nothing (aws/eks-charts stable/aws-load-balancer-controller/templates/webhook.yaml).
    ["an empty objectSelector", controller([{ serviceMutatorWebhookConfig: { objectSelector: {} } }]), true],
    [
      "an objectSelector with empty matchExpressions and matchLabels (the chart's own defaults)",
      controller([{ serviceMutatorWebhookConfig: { objectSelector: { matchExpressions: [], matchLabels: {} } } }]),
      true,
    ],
    ["off as 0 (Go truthiness)", controller([{ enableServiceMutatorWebhook: 0 }]), false],
    [
      "scoped in YAML",
      controller(["serviceMutatorWebhookConfig:\n  objectSelector:\n    matchLabels: { a: b }\n"]),
      false,
    ],
  ])("%s", (_name, json, expected) => {
    expect(fires("NO_BLOCKING_SERVICE_WEBHOOK", json)).toBe(expected);
  });
});

const pools = (values: unknown[]): Json => ({
  resource: {
    aws_eks_addon: { vpc_cni: { addon_name: "vpc-cni", cluster_name: "c" } },
    helm_release: { pools: { name: "pools", chart: "./manifests", values: text(values) } },
  },
});
const nodePool = { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "default" } };
const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } };

describe("NODE_AGENTS_BEFORE_CAPACITY finds node pools where Helm would install them", () => {
  it.each<[string, Json, boolean]>([
    ["a NodePool in the objects", pools([{ objects: [nodePool] }]), true],
    [
      "a later document's objects replace the NodePool",
      pools([{ objects: [nodePool] }, { objects: [configMap] }]),
      false,
    ],
    ["a NodePool in a YAML document", pools(["objects:\n  - apiVersion: karpenter.sh/v1\n    kind: NodePool\n"]), true],
  ])("%s", (_name, json, expected) => {
    expect(fires("NODE_AGENTS_BEFORE_CAPACITY", json)).toBe(expected);
  });
});

describe("the rehearsal reads the values Helm computes", () => {
  const node = (name: string, release: Json) =>
    buildGraph("dev-network", { resource: { helm_release: { [name]: release } } }).nodes.get(`helm_release.${name}`)!;

  it("the controller's Service webhook: off in YAML is off; turned on again by a later document is on", () => {
    const yamlOff = node("lbc", {
      chart: "aws-load-balancer-controller",
      values: ["enableServiceMutatorWebhook: false\n"],
    });
    const onAgain = node("lbc", {
      chart: "aws-load-balancer-controller",
      values: text([{ enableServiceMutatorWebhook: false }, { enableServiceMutatorWebhook: true }]),
    });
    const zero = node("lbc", {
      chart: "aws-load-balancer-controller",
      values: text([{ enableServiceMutatorWebhook: 0 }]),
    });
    expect(webhookOf(yamlOff)?.kinds).not.toContain("Service");
    expect(webhookOf(onAgain)?.kinds).toContain("Service");
    // The template's `if` reads 0 as off, as the policy rule does.
    expect(webhookOf(zero)?.kinds).not.toContain("Service");
  });

  it("a manifests release's objects: from a YAML document, and a later document's list replaces an earlier one", () => {
    const yaml = node("m", { chart: "./manifests", values: ["objects:\n  - apiVersion: v1\n    kind: ConfigMap\n"] });
    expect(objectsCreatedBy(yaml)).toEqual([{ group: "", kind: "ConfigMap" }]);
    const replaced = node("m", {
      chart: "./manifests",
      values: text([{ objects: [nodePool] }, { objects: [configMap] }]),
    });
    expect(objectsCreatedBy(replaced)).toEqual([{ group: "", kind: "ConfigMap" }]);
  });
});

describe("releaseValues is computed once per distinct input and shared", () => {
  it("answers a changed body anew, never from the answer for its earlier content", () => {
    const body: Json = { values: text([{ a: 1 }]) };
    expect(releaseValues({ body }).values).toEqual({ a: 1 });
    body.values = text([{ a: 2 }]);
    expect(releaseValues({ body }).values).toEqual({ a: 2 });
    body.set = [{ name: "a", value: "3" }];
    expect(releaseValues({ body }).values).toEqual({ a: 3 });
  });

  it("hands every caller the same frozen answer, and leaves the caller's body unfrozen", () => {
    const list = ["x", "y"];
    const body: Json = { values: text([{ b: { c: 1 } }]), set_list: [{ name: "l", value: list }] };
    const first = releaseValues({ body });
    expect(releaseValues({ body: structuredClone(body) })).toBe(first);
    expect(Object.isFrozen(first.values.b)).toBe(true);
    expect(first.values.l).toEqual(list);
    expect(Object.isFrozen(list)).toBe(false);
    expect(Object.isFrozen(body.set_list[0])).toBe(false);
  });
});

describe("actionCovers", () => {
  it("judges each pattern the same however often it is asked", () => {
    for (let round = 0; round < 3; round++) {
      expect(actionCovers("ec2:Describe*", "ec2:DescribeSubnets")).toBe(true);
      expect(actionCovers("ec2:Describe*", "ec2:RunInstances")).toBe(false);
      expect(actionCovers("i?m:*", "IAM:PassRole")).toBe(true);
    }
  });
});
