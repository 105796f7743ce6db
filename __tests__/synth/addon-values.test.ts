import { Testing } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { evaluatePolicy } from "../../modules/policy";
import { Platform } from "../../stacks/platform";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Issue item 3: add-on `values` cannot undo the platform. What the engine and the add-ons compute for identity
 * and wiring is a config error to override (naming the path and why); values that widen a pod's privileges
 * are policy findings on the synthesized values, which a reasoned waiver can accept.
 */

const issues = (addons: Record<string, unknown>) =>
  issuesOf(() => validateConfig({ environments: [minimalEnvironment({ addons })] }));

describe("values the platform computes are not overridable", () => {
  it.each([
    [
      "karpenter",
      { settings: { clusterName: "other" } },
      "karpenter.values.settings.clusterName",
      /the cluster Karpenter launches nodes for/,
    ],
    ["karpenter", { settings: { interruptionQueue: "q" } }, "karpenter.values.settings.interruptionQueue", /SQS queue/],
    [
      "karpenter",
      { serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111111111111:role/admin" } } },
      'karpenter.values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]',
      /swap its identity/,
    ],
    [
      "karpenter",
      { serviceAccount: { name: "default" } },
      "karpenter.values.serviceAccount.name",
      /bound to service account karpenter/,
    ],
    [
      "reloader",
      { reloader: { serviceAccount: { create: false } } },
      "reloader.values.reloader.serviceAccount.create",
      /creates the service account/,
    ],
    [
      "aws-efs-csi-driver",
      { controller: { serviceAccount: { name: "x" } } },
      "aws-efs-csi-driver.values.controller.serviceAccount.name",
      /efs-csi-controller-sa/,
    ],
    [
      "aws-load-balancer-controller",
      { vpcId: "vpc-0123456789abcdef0" },
      "aws-load-balancer-controller.values.vpcId",
      /the cluster's VPC/,
    ],
    [
      "aws-load-balancer-controller",
      { clusterName: "other" },
      "aws-load-balancer-controller.values.clusterName",
      /whose load balancers it manages/,
    ],
    ["external-dns", { domainFilters: [] }, "external-dns.values.domainFilters", /environment's domain/],
    ["external-dns", { extraArgs: ["--aws-zone-type=public"] }, "external-dns.values.extraArgs", /--zone-id-filter/],
    ["external-dns", { txtOwnerId: "shared" }, "external-dns.values.txtOwnerId", /records this cluster owns/],
  ])("%s %j", (addon, values, path, why) => {
    expect(issues({ [addon]: { values } })).toContainEqual(
      expect.objectContaining({
        path: `environments[0].addons.${path}`,
        message: expect.stringMatching(why),
        fix: "remove it from values",
      }),
    );
  });

  it("holds for the EKS add-on delivery too", () => {
    expect(
      issues({ "external-dns": { delivery: "eks-addon", values: { domainFilters: ["example.org"] } } }),
    ).toContainEqual(expect.objectContaining({ path: "environments[0].addons.external-dns.values.domainFilters" }));
  });

  it("leaves other values alone", () => {
    expect(() =>
      validateConfig({
        environments: [
          minimalEnvironment({
            addons: {
              karpenter: {
                values: {
                  settings: { batchMaxDuration: "10s" },
                  serviceAccount: { annotations: { team: "platform" } },
                },
              },
            },
          }),
        ],
      }),
    ).not.toThrow();
  });
});

describe("values that widen privileges need a waiver", () => {
  const widened = {
    reloader: {
      values: { reloader: { deployment: { hostNetwork: true, containerSecurityContext: { privileged: true } } } },
    },
    "metrics-server": { values: { args: ["--kubelet-insecure-tls"] } },
  };
  const findings = (waivers: unknown[] = []) => {
    const platform = new Platform(Testing.app(), {
      config: validateConfig({ environments: [minimalEnvironment({ addons: widened, policy: { waivers } })] }),
    });
    const environment = platform.environments[0];
    return evaluatePolicy({
      stack: "dev-foundation",
      json: JSON.parse(Testing.synth(environment.foundation!)),
      environment: environment.environment,
    });
  };

  it("reports each, on the add-on's resource, naming the value", () => {
    const result = findings().findings;
    expect(result).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: "VALUES_NO_HOST_NAMESPACES",
          address: "helm_release.reloader",
          problem: expect.stringContaining("values reloader.deployment.hostNetwork"),
        }),
        expect.objectContaining({
          rule: "VALUES_NO_PRIVILEGED",
          address: "helm_release.reloader",
          problem: expect.stringContaining("privileged is true"),
        }),
        expect.objectContaining({
          rule: "VALUES_TLS_VERIFIED",
          address: "aws_eks_addon.metrics_server",
          problem: expect.stringContaining("--kubelet-insecure-tls"),
        }),
      ]),
    );
  });

  it("accepts them with reasoned waivers, but not where the namespace's Pod Security would reject the pods", () => {
    const reason = "node-local DNS cache needs the host network until INC-2024 is done";
    const result = findings([
      { rule: "VALUES_NO_HOST_NAMESPACES", resource: "helm_release.reloader", reason },
      { rule: "VALUES_NO_PRIVILEGED", resource: "helm_release.reloader", reason },
      {
        rule: "VALUES_TLS_VERIFIED",
        resource: "aws_eks_addon.metrics_server",
        reason: "kubelet serving certificates are self-signed on this AMI (PLAT-77)",
      },
    ]);
    // Reloader's namespace enforces restricted: admission would reject these pods whatever a VALUES_* waiver says.
    expect(result.findings.map((finding) => [finding.rule, finding.address])).toEqual([
      ["POD_SECURITY_VALUES", "helm_release.reloader"],
      ["POD_SECURITY_VALUES", "helm_release.reloader"],
    ]);
    expect(result.waived.map((applied) => applied.finding.rule).sort()).toEqual([
      "VALUES_NO_HOST_NAMESPACES",
      "VALUES_NO_PRIVILEGED",
      "VALUES_TLS_VERIFIED",
    ]);
  });
});
