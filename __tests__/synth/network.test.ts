import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { Release } from "@cdktf/provider-helm/lib/release";
import { IngressClassV1 } from "@cdktf/provider-kubernetes/lib/ingress-class-v1";
import {
  baseEnvironment,
  dependencyGraph,
  dependsOn,
  destroyOrder,
  helmValues,
  list,
  policyStatements,
  type Resources,
} from "../helpers/network";
import { synthNetwork } from "../helpers/synth";

// The default network layer: every add-on on, internet-facing ALB, no ACME issuer.
let json: string;
let resources: Resources;
beforeAll(() => {
  ({ json, resources } = synthNetwork(baseEnvironment));
});

describe("add-on releases", () => {
  it.each([
    ["cert_manager", "cert-manager", "https://charts.jetstack.io", "cert-manager", "v1.21.1"],
    [
      "aws_load_balancer_controller",
      "kube-system",
      "https://aws.github.io/eks-charts",
      "aws-load-balancer-controller",
      "3.5.0",
    ],
    ["external_dns", "external-dns", "https://kubernetes-sigs.github.io/external-dns/", "external-dns", "1.21.1"],
  ])("helm_release.%s is pinned and waits for readiness", (address, namespace, repository, chart, version) => {
    expect(json).toHaveResourceWithProperties(Release, {
      namespace,
      repository,
      chart,
      version,
      wait: true,
      atomic: true,
    });
    expect(resources.helm_release[address]).toBeDefined();
  });

  it.each([
    ["aws-load-balancer-controller", "kube-system", "aws-load-balancer-controller"],
    ["external-dns", "external-dns", "external-dns"],
  ])("%s gets its AWS identity through EKS Pod Identity", (_addon, namespace, serviceAccount) => {
    expect(json).toHaveResourceWithProperties(EksPodIdentityAssociation, {
      namespace,
      service_account: serviceAccount,
    });
  });

  it("sets the controller's cluster, region and VPC explicitly, two replicas and a disruption budget", () => {
    expect(helmValues(resources, "aws_load_balancer_controller")).toMatchObject({
      clusterName: "dev",
      region: "eu-west-1",
      vpcId: "vpc-0a1b2c3d4e5f60718",
      replicaCount: 2,
      podDisruptionBudget: { maxUnavailable: 1 },
      createIngressClassResource: false,
      ingressClassParams: { create: false },
      enableCertManager: false,
    });
  });

  it("installs cert-manager with its CRDs and highly available", () => {
    expect(helmValues(resources, "cert_manager")).toMatchObject({
      crds: { enabled: true },
      replicaCount: 2,
      webhook: { replicaCount: 2 },
    });
  });

  it("limits external-dns to the environment's domain and zone, owned by this cluster, upsert-only", () => {
    expect(helmValues(resources, "external_dns")).toMatchObject({
      provider: { name: "aws" },
      domainFilters: ["dev.example.com"],
      txtOwnerId: "111111111111-eu-west-1-dev",
      policy: "upsert-only",
      extraArgs: ["--zone-id-filter=Z0123456789ABCDEFGHIJ"],
    });
  });
});

describe("identities", () => {
  // cert-manager has a role only with the ACME issuer's DNS-01 solver (identity-when-needed.test.ts).
  it.each(["aws_load_balancer_controller", "external_dns"])(
    "aws_iam_role.%s trusts Pod Identity for this cluster only",
    (role) => {
      const trust = JSON.parse(resources.aws_iam_role[role].assume_role_policy as string) as {
        Statement: Array<{ Principal: unknown; Condition: Record<string, Record<string, string>> }>;
      };
      expect(trust.Statement[0].Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
      expect(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"]).toBe("111111111111");
      expect(trust.Statement[0].Condition.ArnEquals["aws:SourceArn"]).toMatch(/:cluster\/dev$/);
    },
  );

  const alb = () => policyStatements(resources, "aws_load_balancer_controller");
  it.each([
    "elasticloadbalancing:CreateLoadBalancer",
    "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:DescribeListenerAttributes",
    "elasticloadbalancing:ModifyIpPools",
    "ec2:GetSecurityGroupsForVpc",
    "ec2:DescribeRouteTables",
    "ec2:CreateSecurityGroup",
    "acm:DescribeCertificate",
    "wafv2:AssociateWebACL",
    "iam:CreateServiceLinkedRole",
  ])("the controller may %s (upstream v3.5.0 policy)", (action) => {
    expect(alb().some((statement) => list(statement.Action).includes(action))).toBe(true);
  });

  it.each([
    ["elasticloadbalancing:CreateLoadBalancer", "Null", "aws:RequestTag/elbv2.k8s.aws/cluster", "false"],
    ["elasticloadbalancing:DeleteLoadBalancer", "Null", "aws:ResourceTag/elbv2.k8s.aws/cluster", "false"],
    ["ec2:DeleteSecurityGroup", "Null", "aws:ResourceTag/elbv2.k8s.aws/cluster", "false"],
    ["iam:CreateServiceLinkedRole", "StringEquals", "iam:AWSServiceName", "elasticloadbalancing.amazonaws.com"],
  ])("%s keeps upstream's condition %s %s", (action, operator, key, value) => {
    const statements = alb().filter((statement) => list(statement.Action).includes(action));
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) expect(statement.Condition?.[operator]?.[key]).toBe(value);
  });

  it("never grants wildcard actions and uses the region's partition in ARNs", () => {
    expect(
      alb()
        .flatMap((statement) => list(statement.Action))
        .filter((action) => action.includes("*")),
    ).toEqual([]);
    expect(
      alb()
        .flatMap((statement) => list(statement.Resource))
        .filter((arn) => arn.startsWith("arn:") && !arn.startsWith("arn:aws:")),
    ).toEqual([]);
  });

  it("lets external-dns change records only in the configured hosted zone", () => {
    const statements = policyStatements(resources, "external_dns");
    const change = statements.find((statement) => list(statement.Action).includes("route53:ChangeResourceRecordSets"));
    expect(list(change?.Resource)).toEqual(["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]);
    expect(list(change?.Action).sort()).toEqual([
      "route53:ChangeResourceRecordSets",
      "route53:ListResourceRecordSets",
      "route53:ListTagsForResources",
    ]);
    const onEverything = statements
      .filter((statement) => list(statement.Resource).includes("*"))
      .flatMap((statement) => list(statement.Action));
    expect(onEverything).toEqual(["route53:ListHostedZones"]);
  });

  it("gives cert-manager no Route 53 rights without an ACME issuer", () => {
    expect(policyStatements(resources, "cert_manager")).toEqual([]);
  });
});

describe("shared ALB (ingress group)", () => {
  it("requests a DNS-validated certificate for the domain and its wildcard", () => {
    expect(json).toHaveResourceWithProperties(AcmCertificate, {
      domain_name: "dev.example.com",
      subject_alternative_names: ["*.dev.example.com"],
      validation_method: "DNS",
    });
  });

  it("validates it with exactly one Route 53 record, taken deterministically from the validation options", () => {
    // The other record is echo-server's own (`aws_route53_record.echo_server`).
    const records = Object.entries(resources.aws_route53_record)
      .filter(([name]) => name !== "echo_server")
      .map(([, record]) => record);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      zone_id: "Z0123456789ABCDEFGHIJ",
      name: expect.stringContaining(
        "element(tolist(aws_acm_certificate.ingress_group.domain_validation_options), 0).resource_record_name",
      ),
    });
    expect(json).toHaveResourceWithProperties(AcmCertificateValidation, {
      validation_record_fqdns: ["${aws_route53_record.ingress_group_validation.fqdn}"],
    });
  });

  it("creates the default alb IngressClass pointing at its IngressClassParams", () => {
    expect(json).toHaveResourceWithProperties(IngressClassV1, {
      metadata: { name: "alb", annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } },
      spec: {
        controller: "ingress.k8s.aws/alb",
        parameters: [{ api_group: "elbv2.k8s.aws", kind: "IngressClassParams", name: "alb" }],
      },
    });
  });

  it("enforces group, scheme, TLS policy, certificate and public subnets for every Ingress of the class", () => {
    const [params] = (
      helmValues(resources, "alb_ingress_class_params") as {
        objects: Array<{ kind: string; spec: Record<string, unknown> }>;
      }
    ).objects;
    expect(params.kind).toBe("IngressClassParams");
    expect(params.spec).toMatchObject({
      group: { name: "shared" },
      scheme: "internet-facing",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificateArn: ["${aws_acm_certificate_validation.ingress_group.certificate_arn}"],
      targetType: "ip",
      subnets: { ids: baseEnvironment.vpc.publicSubnetIds },
    });
    expect(params.spec.inboundCIDRs).toBeUndefined();
  });

  const ownerAnnotations = () =>
    (resources.kubernetes_ingress_v1.ingress_group.metadata as { annotations: Record<string, string> }).annotations;
  it.each([
    ["group.name", "shared"],
    ["group.order", "-1000"],
    ["scheme", "internet-facing"],
    ["listen-ports", '[{"HTTP":80},{"HTTPS":443}]'],
    ["ssl-redirect", "443"],
    ["ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06"],
    ["certificate-arn", "${aws_acm_certificate_validation.ingress_group.certificate_arn}"],
  ])("the group-owning Ingress sets alb.ingress.kubernetes.io/%s", (name, value) => {
    expect(ownerAnnotations()[`alb.ingress.kubernetes.io/${name}`]).toBe(value);
  });

  it("answers unknown hosts with a fixed 404", () => {
    const action = JSON.parse(ownerAnnotations()["alb.ingress.kubernetes.io/actions.default-404"]) as {
      type: string;
      fixedResponseConfig: { statusCode: string };
    };
    expect(action).toMatchObject({ type: "fixed-response", fixedResponseConfig: { statusCode: "404" } });
    expect(resources.kubernetes_ingress_v1.ingress_group).toMatchObject({
      spec: { default_backend: { service: { name: "default-404", port: { name: "use-annotation" } } } },
    });
    expect(ownerAnnotations()["alb.ingress.kubernetes.io/inbound-cidrs"]).toBeUndefined();
  });
});

describe("ordering", () => {
  const controller = "helm_release.aws_load_balancer_controller";
  const ingresses = () => Object.keys(resources.kubernetes_ingress_v1).map((name) => `kubernetes_ingress_v1.${name}`);

  it("has Ingresses to check", () =>
    expect(ingresses().sort()).toEqual(["kubernetes_ingress_v1.echo_server", "kubernetes_ingress_v1.ingress_group"]));

  it.each([
    "kubernetes_ingress_v1.echo_server",
    "kubernetes_ingress_v1.ingress_group",
    "kubernetes_ingress_class_v1.alb",
    "helm_release.alb_ingress_class_params",
  ])("%s is created after the controller's release (depends_on, directly)", (address) => {
    const [type, name] = address.split(".");
    expect(resources[type][name].depends_on).toContain(controller);
  });

  it.each([
    ["kubernetes_ingress_v1.echo_server", "kubernetes_ingress_v1.ingress_group"],
    ["kubernetes_ingress_v1.echo_server", "helm_release.external_dns"],
    ["kubernetes_ingress_v1.ingress_group", "aws_acm_certificate_validation.ingress_group"],
    ["helm_release.alb_ingress_class_params", "aws_acm_certificate_validation.ingress_group"],
    ["kubernetes_ingress_class_v1.alb", "helm_release.alb_ingress_class_params"],
  ])("%s waits for %s", (from, to) => {
    expect(dependsOn(dependencyGraph(resources), from, to)).toBe(true);
  });

  it("destroys every Ingress before the controller, the IngressClass and the certificate (no stranded ALB)", () => {
    const order = destroyOrder(dependencyGraph(resources));
    const at = (address: string) => order.indexOf(address);
    for (const ingress of ingresses()) {
      for (const later of [
        controller,
        "kubernetes_ingress_class_v1.alb",
        "helm_release.alb_ingress_class_params",
        "aws_acm_certificate.ingress_group",
        "aws_iam_role_policy_attachment.aws_load_balancer_controller",
      ]) {
        expect({ ingress, before: later, ok: at(ingress) < at(later) }).toEqual({ ingress, before: later, ok: true });
      }
    }
    // Group members go before the group owner, whose listeners carry the certificate.
    expect(at("kubernetes_ingress_v1.echo_server")).toBeLessThan(at("kubernetes_ingress_v1.ingress_group"));
  });
});
