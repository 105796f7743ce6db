import { Testing } from "cdktf";
import { Platform } from "../../index";
import { minimalEnvironment } from "../helpers/config";

/**
 * What a real first apply, upgrade and destroy need beyond a valid schema (issue "A first apply ... on real
 * AWS"): the identity the providers really use has cluster-admin, the cluster token outlives a long apply, the
 * network outlives compute, node agents come before node capacity, no webhook blocks other releases, and
 * destroy leaves nothing in Route 53. One platform of several environments, synthesized once.
 */

type Json = Record<string, any>;
const synthesized: Record<string, Json> = {};

const environments = {
  // name, account, region, vpc, dns and the role Terraform runs as only: everything else defaulted.
  bare: {
    name: "bare",
    cluster: { access: { terraformRoleArn: "arn:aws:iam::111111111111:role/platform-terraform" } },
  },
  assumed: {
    name: "assumed",
    account: "222222222222",
    assumeRoleArn: "arn:aws:iam::222222222222:role/deployer",
    cluster: { access: undefined },
  },
  created: {
    name: "created",
    account: "333333333333",
    vpc: {
      id: undefined,
      privateSubnetIds: undefined,
      publicSubnetIds: undefined,
      create: { cidr: "10.20.0.0/16", azs: ["eu-west-1a", "eu-west-1b"] },
    },
  },
  k136: {
    name: "k136",
    account: "444444444444",
    cluster: { kubernetesVersion: "1.36" },
    addons: { "vpc-cni": { values: { env: { ENABLE_PREFIX_DELEGATION: "false" } } } },
  },
  legacy: {
    name: "legacy",
    account: "555555555555",
    cluster: { kubernetesAuth: "token" },
    policy: {
      waivers: [
        { rule: "K8S_AUTH_NOT_AT_PLAN_TIME", reason: "pinned to the old provider setup until the Q1 migration" },
      ],
    },
  },
};

beforeAll(() => {
  const app = Testing.app();
  const platform = new Platform(app, {
    config: { environments: Object.values(environments).map((overrides) => minimalEnvironment(overrides)) },
  });
  for (const environment of platform.environments) {
    for (const stack of environment.stacks) synthesized[stack.node.id] = JSON.parse(Testing.synth(stack));
  }
});

const stack = (name: string): Json => synthesized[name];
const resources = (name: string, type: string): Record<string, Json> => stack(name).resource?.[type] ?? {};
const helmValues = (name: string, release: string): Json =>
  JSON.parse(resources(name, "helm_release")[release].values[0]);

describe("the cluster admin access entry goes to the identity the Kubernetes and Helm providers use", () => {
  it("synthesizes a config with only name, account, region, vpc and dns", () => {
    expect(
      Object.keys(synthesized)
        .filter((name) => name.startsWith("bare-"))
        .sort(),
    ).toEqual(["bare-foundation", "bare-network", "bare-operators", "bare-storage"]);
  });

  it("terraformRoleArn without assumeRoleArn: that role, and a plan-time precondition that Terraform runs as it", () => {
    const foundation = stack("bare-foundation");
    const entry = resources("bare-foundation", "aws_eks_access_entry").terraform;
    expect(entry.principal_arn).toBe("arn:aws:iam::111111111111:role/platform-terraform");
    expect(foundation.data.aws_iam_session_context.current).toEqual({ arn: "${data.aws_caller_identity.current.arn}" });
    expect(entry.lifecycle.precondition).toEqual([
      {
        condition:
          '${(data.aws_iam_session_context.current.issuer_arn == "arn:aws:iam::111111111111:role/platform-terraform")}',
        error_message: expect.stringContaining("run as that role"),
      },
    ]);
  });

  it("with assumeRoleArn: that role, which the AWS provider (and so the cluster token) uses", () => {
    expect(resources("assumed-foundation", "aws_eks_access_entry").terraform.principal_arn).toBe(
      "arn:aws:iam::222222222222:role/deployer",
    );
    expect(stack("assumed-foundation").provider.aws[0].assume_role[0].role_arn).toBe(
      "arn:aws:iam::222222222222:role/deployer",
    );
    expect(stack("assumed-foundation").data?.aws_caller_identity).toBeUndefined();
  });
});

describe("cluster auth survives a long first apply and a plan/apply gap", () => {
  // Issue 25 fix 1: a token lives 15 minutes from when Terraform opens its ephemeral block, which is as soon as
  // what the block depends on is done. Each call to the cluster gets its own token, opened when that call can start.
  it.each(["bare-foundation", "bare-network", "bare-storage", "bare-operators"])(
    "%s: every cluster call has its own ephemeral token, opened when what the call waits for is done",
    (name) => {
      const json = stack(name);
      const calls = Object.entries(json.resource as Record<string, Record<string, Json>>)
        .filter(([type]) => type === "helm_release" || type.startsWith("kubernetes_"))
        .flatMap(([type, byName]) => Object.entries(byName).map(([id, body]) => ({ address: `${type}.${id}`, body })));
      expect(calls.length).toBeGreaterThan(0);
      for (const { address, body } of calls) {
        const [kind, alias] = String(body.provider).split(".");
        expect([address, kind]).toEqual([address, address.startsWith("helm_") ? "helm" : "kubernetes"]);
        const config = (json.provider[kind] as Json[]).find((provider) => provider.alias === alias)!;
        const token = kind === "helm" ? config.kubernetes.token : config.token;
        expect([address, token]).toEqual([address, `\${ephemeral.aws_eks_cluster_auth.${alias}.token}`]);
        const ephemeral = json.ephemeral.aws_eks_cluster_auth[alias];
        for (const dependency of body.depends_on ?? []) expect(ephemeral.depends_on).toContain(dependency);
        // In the foundation the token's name is the cluster resource's: none opens before the cluster exists.
        expect(ephemeral.name).toBe(name === "bare-foundation" ? "${aws_eks_cluster.cluster.name}" : "bare");
      }
      expect(json.data?.aws_eks_cluster_auth).toBeUndefined();
      expect(json.terraform.required_version).toBe(">= 1.10");
    },
  );

  it("keeps the plan-time token only as an explicit, waived choice", () => {
    expect(
      stack("legacy-network").data.aws_eks_cluster_auth["cluster-auth"] ??
        Object.values(stack("legacy-network").data.aws_eks_cluster_auth)[0],
    ).toEqual({ name: "legacy" });
    expect(stack("legacy-network").ephemeral).toBeUndefined();
  });
});

describe("create and destroy ordering", () => {
  it("makes the cluster depend on the NAT gateways and private routes, so destroy removes them after Karpenter's nodes", () => {
    const dependsOn: string[] = resources("created-foundation", "aws_eks_cluster").cluster.depends_on;
    for (const nat of Object.keys(resources("created-foundation", "aws_nat_gateway")))
      expect(dependsOn).toContain(`aws_nat_gateway.${nat}`);
    for (const association of Object.keys(resources("created-foundation", "aws_route_table_association")).filter(
      (name) => name.startsWith("private"),
    )) {
      expect(dependsOn).toContain(`aws_route_table_association.${association}`);
    }
  });

  it("turns off the ALB controller's Service mutator webhook, which would reject other releases' Services", () => {
    expect(helmValues("bare-network", "aws_load_balancer_controller").enableServiceMutatorWebhook).toBe(false);
  });

  it("owns the echo record in Terraform (destroyed with the layer) and keeps external-dns off it", () => {
    expect(resources("bare-network", "aws_route53_record").echo_server).toMatchObject({
      name: "echo.dev.example.com",
      type: "CNAME",
      records: ["${kubernetes_ingress_v1.echo_server.status[0].load_balancer[0].ingress[0].hostname}"],
    });
    expect(
      resources("bare-network", "kubernetes_ingress_v1").echo_server.metadata.annotations[
        "external-dns.alpha.kubernetes.io/controller"
      ],
    ).toBe("cdktf-eks-platform");
  });
});

describe("node pools on the cluster's Kubernetes version", () => {
  const nodeClass = (name: string): Json =>
    helmValues(name, "karpenter_node_pools").objects.find((object: Json) => object.kind === "EC2NodeClass");

  it("Kubernetes 1.36 synthesizes, with an AMI alias that ships a 1.36 AMI", () => {
    expect(resources("k136-foundation", "aws_eks_cluster").cluster.version).toBe("1.36");
    expect(nodeClass("k136-foundation").spec.amiSelectorTerms).toEqual([{ alias: "al2023@v20260714" }]);
  });

  it("leaves maxPods to Karpenter without prefix delegation", () => {
    expect(nodeClass("k136-foundation").spec.kubelet).toBeUndefined();
    expect(nodeClass("bare-foundation").spec.kubelet).toEqual({ maxPods: 110 });
  });

  it("selects a created VPC's private subnets by id (references, so the pools wait for them)", () => {
    expect(nodeClass("created-foundation").spec.subnetSelectorTerms).toEqual([
      { id: "${aws_subnet.private_eu_west_1a.id}" },
      { id: "${aws_subnet.private_eu_west_1b.id}" },
    ]);
  });
});
