import { Testing } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { PlatformConfigError } from "../../modules/errors";
import { evaluatePolicy } from "../../modules/policy";
import { Platform } from "../../stacks/platform";
import { baseEnvironment, helmValues, list, policyStatements, type Resources } from "../helpers/network";
import { synthNetwork } from "../helpers/synth";

// The other side of every switch: ACME issuer on, internal ALB with allowed CIDRs, sync DNS, no echo server.
const variant = {
  ...baseEnvironment,
  network: {
    ingress: { scheme: "internal", inboundCidrs: ["10.0.0.0/8"], groupName: "internal-apps" },
    dnsPolicy: "sync",
    acmeIssuer: { email: "platform@example.com" },
  },
  addons: { "echo-server": { enabled: false } },
};

let resources: Resources;
beforeAll(() => {
  ({ resources } = synthNetwork(variant));
});

describe("ACME ClusterIssuer", () => {
  it("solves DNS-01 through Route 53 in the configured zone, after cert-manager is installed", () => {
    const release = resources.helm_release.cert_manager_cluster_issuer;
    expect(release.depends_on).toContain("helm_release.cert_manager");
    const [issuer] = (
      helmValues(resources, "cert_manager_cluster_issuer") as { objects: Array<Record<string, unknown>> }
    ).objects;
    expect(issuer).toMatchObject({
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      spec: {
        acme: {
          email: "platform@example.com",
          server: "https://acme-v02.api.letsencrypt.org/directory",
          solvers: [
            {
              selector: { dnsZones: ["dev.example.com"] },
              dns01: { route53: { region: "eu-west-1", hostedZoneID: "Z0123456789ABCDEFGHIJ" } },
            },
          ],
        },
      },
    });
  });

  it.each([
    ["route53:GetChange", ["arn:aws:route53:::change/*"]],
    ["route53:ChangeResourceRecordSets", ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]],
    ["route53:ListResourceRecordSets", ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]],
    ["route53:ListHostedZonesByName", ["*"]],
  ])("cert-manager may %s on %j only", (action, resourceArns) => {
    const statements = policyStatements(resources, "cert_manager").filter((statement) =>
      list(statement.Action).includes(action),
    );
    expect(statements.flatMap((statement) => list(statement.Resource))).toEqual(resourceArns);
  });

  it("limits cert-manager's record changes to _acme-challenge TXT records", () => {
    const change = policyStatements(resources, "cert_manager").find((statement) =>
      list(statement.Action).includes("route53:ChangeResourceRecordSets"),
    );
    expect(change?.Condition).toEqual({
      "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
      "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"] },
    });
  });
});

describe("internal ALB", () => {
  it("puts the group's ALB in the private subnets, internal, open to the configured CIDRs only", () => {
    const [params] = (
      helmValues(resources, "alb_ingress_class_params") as { objects: Array<{ spec: Record<string, unknown> }> }
    ).objects;
    expect(params.spec).toMatchObject({
      group: { name: "internal-apps" },
      scheme: "internal",
      inboundCIDRs: ["10.0.0.0/8"],
      subnets: { ids: baseEnvironment.vpc.privateSubnetIds },
    });
    const annotations = (
      resources.kubernetes_ingress_v1.ingress_group.metadata as { annotations: Record<string, string> }
    ).annotations;
    expect(annotations).toMatchObject({
      "alb.ingress.kubernetes.io/scheme": "internal",
      "alb.ingress.kubernetes.io/inbound-cidrs": "10.0.0.0/8",
      "alb.ingress.kubernetes.io/group.name": "internal-apps",
    });
  });

  it("lets external-dns delete the records it owns when dnsPolicy is sync", () => {
    expect(helmValues(resources, "external_dns")).toMatchObject({ policy: "sync" });
  });
});

describe("echo server turned off", () => {
  it.each(["kubernetes_deployment_v1", "kubernetes_service_v1"])("creates no %s", (type) => {
    expect(resources[type]).toBeUndefined();
  });

  it("creates no echo-server namespace (the other add-ons' namespaces stay)", () => {
    expect(Object.keys(resources.kubernetes_namespace_v1)).not.toContain("echo_server");
  });

  it("keeps the group-owning Ingress (the shared ALB) without it", () => {
    expect(Object.keys(resources.kubernetes_ingress_v1)).toEqual(["ingress_group"]);
  });

  // docs/network.md: turning it off after the first deploy destroys these five, and nothing of the shared ALB.
  it("leaves no echo.<domain> record behind, and keeps the certificate's validation record", () => {
    expect(Object.keys(resources.aws_route53_record)).toEqual(["ingress_group_validation"]);
  });
});

describe("echo server opened to the internet", () => {
  const open = { allowedCidrs: ["0.0.0.0/0"], acknowledgeOpenToInternet: true };
  const waiver = {
    rule: "ECHO_SERVER_RESTRICTED",
    resource: "kubernetes_ingress_v1.echo_server",
    reason: "demo for a partner without a fixed egress address, until 2026-12-31",
  };

  it("is acknowledged in config, and still a policy finding until waived", () => {
    const config = validateConfig({
      environments: [
        { ...baseEnvironment, network: { echo: open } },
        { ...baseEnvironment, name: "waived", network: { echo: open }, policy: { waivers: [waiver] } },
      ],
    });
    const [unwaived, waived] = new Platform(Testing.app(), { config }).environments;
    const evaluate = (stacks: typeof unwaived) =>
      evaluatePolicy({
        stack: `${stacks.environment.name}-network`,
        json: JSON.parse(Testing.synth(stacks.network!)),
        environment: stacks.environment,
      });
    expect(evaluate(unwaived).findings).toEqual([
      expect.objectContaining({
        rule: "ECHO_SERVER_RESTRICTED",
        address: "kubernetes_ingress_v1.echo_server",
        problem: expect.stringMatching(/0\.0\.0\.0\/0/),
      }),
    ]);
    const result = evaluate(waived);
    expect(result.findings).toEqual([]);
    expect(result.waived.map((applied) => applied.finding.rule)).toEqual(["ECHO_SERVER_RESTRICTED"]);
  });
});

describe("configuration errors", () => {
  const build = (overrides: Record<string, unknown>) => () => {
    const app = Testing.app();
    new Platform(app, { config: validateConfig({ environments: [{ ...baseEnvironment, ...overrides }] }) });
  };

  it.each([
    ["an unknown TLS policy", { network: { ingress: { sslPolicy: "TLS-anything" } } }, "network.ingress.sslPolicy"],
    ["an invalid group name", { network: { ingress: { groupName: "Not_Valid" } } }, "network.ingress.groupName"],
    ["an unknown DNS policy", { network: { dnsPolicy: "delete-all" } }, "network.dnsPolicy"],
    [
      "the echo server without the load balancer controller",
      { addons: { "aws-load-balancer-controller": { enabled: false } } },
      "addons.aws-load-balancer-controller.enabled",
    ],
    [
      "two external-dns replicas (no leader election)",
      { addons: { "external-dns": { values: { replicaCount: 2 } } } },
      "addons.external-dns.values.replicaCount",
    ],
    [
      "a chart-made IngressClass beside the platform's",
      { addons: { "aws-load-balancer-controller": { values: { createIngressClassResource: true } } } },
      "addons.aws-load-balancer-controller.values.createIngressClassResource",
    ],
    [
      "cert-manager without its CRDs",
      { addons: { "cert-manager": { values: { crds: { enabled: false } } } } },
      "addons.cert-manager.values.crds.enabled",
    ],
    [
      "an ACME issuer without cert-manager",
      { network: { acmeIssuer: { email: "platform@example.com" } }, addons: { "cert-manager": { enabled: false } } },
      "network.acmeIssuer",
    ],
  ])("refuses %s", (_case, overrides, path) => {
    let error: unknown;
    try {
      build(overrides)();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PlatformConfigError);
    expect((error as PlatformConfigError).issues.map((issue) => issue.path).join("\n")).toContain(path);
  });
});
