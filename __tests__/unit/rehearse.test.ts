import { checkRehearsal, type Finding } from "../../tools/rehearse/checks";
import { buildGraph, type StackGraph } from "../../tools/rehearse/graph";
import { mergeFindings } from "../../tools/rehearse/rehearse";
import { parseLog } from "../../tools/rehearse/run";
import { scheduleGraph, type Interval } from "../../tools/rehearse/schedule";
import { buildStandIn, standInName } from "../../tools/rehearse/stand-in";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { timesOf, TYPICAL_TIMES } from "../../tools/rehearse/times";
import { WEBHOOK_CHARTS } from "../../tools/rehearse/webhooks";

// Hand-written stacks in the shape of cdk.tf.json (no cdktf here): the rehearsal reads JSON only.

type Json = Record<string, unknown>;

const CLUSTER_CONNECTION = {
  host: "${aws_eks_cluster.cluster.endpoint}",
  cluster_ca_certificate: "${base64decode(aws_eks_cluster.cluster.certificate_authority[0].data)}",
};

function providers(auth: Json): Json {
  return {
    aws: [{ region: "eu-west-1", assume_role: [{ role_arn: "arn:aws:iam::111111111111:role/deployer" }] }],
    helm: [{ kubernetes: { ...CLUSTER_CONNECTION, ...auth } }],
    kubernetes: [{ ...CLUSTER_CONNECTION, ...auth }],
  };
}

const EPHEMERAL_TOKEN = { token: "${ephemeral.aws_eks_cluster_auth.cluster.token}" };

/** A foundation: a 10-minute cluster, two Fargate profiles one after the other, then a helm release. */
function foundation(options: { ephemeral?: Json; auth?: Json } = {}): Json {
  return {
    provider: providers(options.auth ?? EPHEMERAL_TOKEN),
    locals: { cluster_name: "${aws_eks_cluster.cluster.name}" },
    ephemeral: { aws_eks_cluster_auth: { cluster: options.ephemeral ?? { name: "dev" } } },
    resource: {
      aws_iam_role: { cluster: { name: "cluster" } },
      aws_eks_cluster: { cluster: { name: "dev", role_arn: "${aws_iam_role.cluster.arn}" } },
      aws_eks_fargate_profile: {
        coredns: { cluster_name: "${local.cluster_name}" },
        karpenter: { cluster_name: "${aws_eks_cluster.cluster.name}", depends_on: ["aws_eks_fargate_profile.coredns"] },
      },
      aws_eks_access_entry: {
        terraform: {
          cluster_name: "${aws_eks_cluster.cluster.name}",
          principal_arn: "arn:aws:iam::111111111111:role/deployer",
        },
      },
      aws_eks_access_policy_association: {
        terraform: { cluster_name: "dev", principal_arn: "${aws_eks_access_entry.terraform.principal_arn}" },
      },
      helm_release: {
        karpenter: {
          chart: "karpenter",
          wait: true,
          depends_on: ["aws_eks_fargate_profile.karpenter", "aws_eks_access_policy_association.terraform"],
        },
      },
    },
  };
}

function rehearsalOf(graph: StackGraph) {
  return { graph, ...scheduleGraph(graph) };
}

const rules = (findings: ReadonlyArray<Finding>, rule: Finding["rule"]): Finding[] =>
  findings.filter((finding) => finding.rule === rule);

describe("graph", () => {
  const graph = buildGraph("dev-foundation", foundation());

  test("edges: references, locals, depends_on, and the provider's configuration", () => {
    expect(graph.nodes.get("aws_eks_fargate_profile.coredns")?.deps).toEqual(["aws_eks_cluster.cluster"]);
    expect(graph.nodes.get("aws_eks_fargate_profile.karpenter")?.deps).toEqual([
      "aws_eks_cluster.cluster",
      "aws_eks_fargate_profile.coredns",
    ]);
    // The helm provider's host, CA and token make every helm_release wait for the cluster and the token.
    expect(graph.nodes.get("helm_release.karpenter")?.deps).toEqual([
      "aws_eks_access_policy_association.terraform",
      "aws_eks_cluster.cluster",
      "aws_eks_fargate_profile.karpenter",
      "ephemeral.aws_eks_cluster_auth.cluster",
    ]);
    // A literal name: the token has nothing to wait for.
    expect(graph.nodes.get("ephemeral.aws_eks_cluster_auth.cluster")?.deps).toEqual([]);
    expect(graph.providers.get("helm")?.auth).toEqual({
      kind: "token",
      tokens: ["ephemeral.aws_eks_cluster_auth.cluster"],
    });
  });

  test("exec auth and data-source references", () => {
    const exec = buildGraph("x", foundation({ auth: { exec: { command: "aws", args: ["eks", "get-token"] } } }));
    expect(exec.providers.get("helm")?.auth).toEqual({ kind: "exec" });
    const remote = buildGraph("x", {
      data: { terraform_remote_state: { "cross-stack": { backend: "s3" } } },
      resource: { aws_iam_role: { r: { name: "${data.terraform_remote_state.cross-stack.outputs.name}" } } },
    });
    expect(remote.nodes.get("data.terraform_remote_state.cross-stack")?.deps).toEqual([]);
    expect(remote.nodes.get("aws_iam_role.r")?.deps).toEqual(["data.terraform_remote_state.cross-stack"]);
  });
});

describe("stand-in configuration", () => {
  test("a terraform_data per block with the same edges, lifecycle and recording provisioners", () => {
    const json = foundation();
    (json.resource as Json).aws_security_group = { efs: { name: "efs", lifecycle: { create_before_destroy: true } } };
    const graph = buildGraph("dev-foundation", json);
    const standIn = buildStandIn(graph, { scale: 0.05, logFile: "/tmp/x.log" });
    const resources = (standIn.config.resource as { terraform_data: Record<string, Json> }).terraform_data;
    expect(Object.keys(resources)).toHaveLength(graph.nodes.size);
    const helm = resources[standInName("helm_release.karpenter")];
    expect(helm.depends_on).toEqual([
      "terraform_data.aws_eks_access_policy_association__terraform",
      "terraform_data.aws_eks_cluster__cluster",
      "terraform_data.aws_eks_fargate_profile__karpenter",
      "terraform_data.ephemeral__aws_eks_cluster_auth__cluster",
    ]);
    const [create, destroy] = helm.provisioner as { "local-exec": { command: string; when?: string } }[];
    expect(create["local-exec"].command).toContain("sleep 0.150"); // 3 modeled minutes at 0.05 s per minute
    expect(create["local-exec"].command).toContain('echo "apply helm_release.karpenter start $(date +%s%3N)"');
    expect(destroy["local-exec"].when).toBe("destroy");
    expect(destroy["local-exec"].command).toContain("sleep 0.050");
    expect(resources.aws_security_group__efs.lifecycle).toEqual({ create_before_destroy: true });
    // Ephemeral resources and data sources record no destroy.
    expect(resources.ephemeral__aws_eks_cluster_auth__cluster.provisioner).toHaveLength(1);
  });

  test("typical times: the table's rows, conditions and defaults", () => {
    const graph = buildGraph("x", foundation());
    expect(timesOf(graph.nodes.get("aws_eks_cluster.cluster")!).createMinutes).toBe(10);
    expect(timesOf(graph.nodes.get("aws_iam_role.cluster")!).source).toMatch(/IAM/);
    const noWait = buildGraph("x", { resource: { helm_release: { r: { chart: "x", wait: false } } } });
    expect(timesOf(noWait.nodes.get("helm_release.r")!).createMinutes).toBeLessThan(1);
  });
});

test("docs/rehearsal.md lists every row of the time table and every webhook chart", () => {
  const docs = readFileSync(join(__dirname, "..", "..", "docs", "rehearsal.md"), "utf8");
  for (const row of TYPICAL_TIMES)
    expect(docs).toMatch(
      new RegExp(
        `\\| \`${row.type.replace(/\*/g, "\\*")}\`[^|]*\\| ${row.createMinutes} \\| ${row.destroyMinutes} \\|`,
      ),
    );
  for (const chart of Object.keys(WEBHOOK_CHARTS)) expect(docs).toContain(`| \`${chart}\` |`);
});

describe("TOKEN_LIFETIME", () => {
  test("a token opened at the start of the apply expires before a release after the cluster and two Fargate profiles", () => {
    const findings = rules(checkRehearsal(rehearsalOf(buildGraph("dev-foundation", foundation()))), "TOKEN_LIFETIME");
    expect(findings.map((f) => [f.phase, ...f.addresses])).toEqual([
      ["apply", "helm_release.karpenter", "ephemeral.aws_eks_cluster_auth.cluster"],
    ]);
    // IAM role 0.1, cluster 10.1, profiles 12.6 and 15.1, release 18.1: the token opened at minute 0.
    expect(findings[0].times["helm_release.karpenter"].end).toBeCloseTo(18.1, 5);
    expect(findings[0].times["ephemeral.aws_eks_cluster_auth.cluster"].start).toBe(0);
  });

  test("passes when the token opens after what the first cluster call waits for", () => {
    const late = foundation({ ephemeral: { name: "dev", depends_on: ["aws_eks_fargate_profile.karpenter"] } });
    const rehearsal = rehearsalOf(buildGraph("dev-foundation", late));
    expect(rehearsal.apply.get("ephemeral.aws_eks_cluster_auth.cluster")?.start).toBeCloseTo(15.1, 1);
    expect(rules(checkRehearsal(rehearsal), "TOKEN_LIFETIME")).toEqual([]);
  });

  test("exec auth has no token lifetime; a data-source token counts from plan time", () => {
    const exec = foundation({ auth: { exec: { command: "aws" } } });
    expect(rules(checkRehearsal(rehearsalOf(buildGraph("x", exec))), "TOKEN_LIFETIME")).toEqual([]);
    const data = foundation({ auth: { token: "${data.aws_eks_cluster_auth.cluster.token}" } });
    (data as Json).data = { aws_eks_cluster_auth: { cluster: { name: "${aws_eks_cluster.cluster.name}" } } };
    const findings = rules(checkRehearsal(rehearsalOf(buildGraph("x", data))), "TOKEN_LIFETIME");
    expect(findings.map((f) => f.addresses[1])).toEqual(["data.aws_eks_cluster_auth.cluster"]);
    expect(findings[0].times["data.aws_eks_cluster_auth.cluster"].start).toBe(0);
  });
});

/** A VPC with public and private route tables; the cluster depends on the private path only. */
function network(clusterDependsOn: string[]): Json {
  const json = foundation({ auth: { exec: { command: "aws" } } });
  const resource = json.resource as Json;
  Object.assign(resource, {
    aws_vpc: { main: {} },
    aws_internet_gateway: { main: { vpc_id: "${aws_vpc.main.id}" } },
    aws_subnet: { public_a: { vpc_id: "${aws_vpc.main.id}" }, private_a: { vpc_id: "${aws_vpc.main.id}" } },
    aws_eip: { nat: { depends_on: ["aws_internet_gateway.main"] } },
    aws_nat_gateway: { a: { allocation_id: "${aws_eip.nat.id}", subnet_id: "${aws_subnet.public_a.id}" } },
    aws_route_table: {
      public: { vpc_id: "${aws_vpc.main.id}", route: [{ gateway_id: "${aws_internet_gateway.main.id}" }] },
      private_a: { vpc_id: "${aws_vpc.main.id}", route: [{ nat_gateway_id: "${aws_nat_gateway.a.id}" }] },
    },
    aws_route_table_association: {
      public_a: { route_table_id: "${aws_route_table.public.id}", subnet_id: "${aws_subnet.public_a.id}" },
      private_a: { route_table_id: "${aws_route_table.private_a.id}", subnet_id: "${aws_subnet.private_a.id}" },
    },
  });
  (resource.aws_eks_cluster as { cluster: Json }).cluster.depends_on = clusterDependsOn;
  return json;
}

describe("EGRESS_OUTLIVES_CONTROLLERS", () => {
  test("fails when the public route table association goes before the controllers' release", () => {
    const graph = buildGraph("x", network(["aws_route_table_association.private_a", "aws_nat_gateway.a"]));
    const findings = rules(checkRehearsal(rehearsalOf(graph)), "EGRESS_OUTLIVES_CONTROLLERS");
    expect(findings.map((f) => f.addresses)).toEqual([
      ["aws_route_table.public", "helm_release.karpenter"],
      ["aws_route_table_association.public_a", "helm_release.karpenter"],
    ]);
    const [, association] = findings;
    expect(association.times["aws_route_table_association.public_a"].start).toBe(0);
    expect(association.times["helm_release.karpenter"].end).toBeGreaterThan(0);
  });

  test("passes when the cluster depends on the public path too", () => {
    const graph = buildGraph(
      "x",
      network(["aws_route_table_association.private_a", "aws_route_table_association.public_a", "aws_nat_gateway.a"]),
    );
    expect(rules(checkRehearsal(rehearsalOf(graph)), "EGRESS_OUTLIVES_CONTROLLERS")).toEqual([]);
  });
});

describe("ACCESS_BEFORE_CLUSTER_CALLS and WEBHOOK_BACKEND_READY", () => {
  test("a release that does not wait for Terraform's access entry and policy association", () => {
    const json = foundation({ auth: { exec: { command: "aws" } } });
    ((json.resource as Json).helm_release as Json).reloader = { chart: "reloader" };
    const findings = rules(checkRehearsal(rehearsalOf(buildGraph("x", json))), "ACCESS_BEFORE_CLUSTER_CALLS");
    expect(findings.map((f) => f.addresses)).toEqual([
      ["helm_release.reloader", "aws_eks_access_entry.terraform", "aws_eks_access_policy_association.terraform"],
    ]);
  });

  test("a chart whose Services race the load balancer controller's Service webhook", () => {
    const json = foundation({ auth: { exec: { command: "aws" } } });
    const base = ["aws_eks_access_policy_association.terraform"];
    const alb = (values: Json): Json => ({
      chart: "aws-load-balancer-controller",
      values: [JSON.stringify(values)],
      depends_on: base,
    });
    (json.resource as Json).helm_release = { alb: alb({}), dns: { chart: "external-dns", depends_on: base } };
    const findings = rules(checkRehearsal(rehearsalOf(buildGraph("x", json))), "WEBHOOK_BACKEND_READY");
    expect(findings.map((f) => f.addresses)).toEqual([["helm_release.dns", "helm_release.alb"]]);
    (json.resource as Json).helm_release = {
      alb: alb({ enableServiceMutatorWebhook: false }),
      dns: { chart: "external-dns", depends_on: base },
    };
    expect(rules(checkRehearsal(rehearsalOf(buildGraph("x", json))), "WEBHOOK_BACKEND_READY")).toEqual([]);
  });
});

describe("log and findings bookkeeping", () => {
  test("log lines become modeled minutes from the phase's first start", () => {
    const times = parseLog(
      [
        "apply a.x start 1000",
        "apply a.x end 1500",
        "apply b.y start 1600",
        "apply b.y end 2600",
        "destroy b.y start 9000",
        "destroy b.y end 9100",
      ].join("\n"),
      0.5,
    );
    expect(times.apply.get("b.y")).toEqual<Interval>({ start: 1.2, end: 3.2 });
    expect(times.destroy.get("b.y")).toEqual<Interval>({ start: 0, end: 0.2 });
  });

  test("a finding only one of the two timelines shows is marked", () => {
    const finding = (subject: string): Finding => ({
      rule: "TOKEN_LIFETIME",
      stack: "s",
      phase: "apply",
      addresses: [subject, "ephemeral.t.x"],
      times: {},
      message: "",
      fix: "",
    });
    const merged = mergeFindings([finding("a"), finding("b")], [finding("a"), finding("c")]);
    expect(merged.map((f) => [f.addresses[0], f.seenIn])).toEqual([
      ["a", ["terraform", "schedule"]],
      ["b", ["terraform"]],
      ["c", ["schedule"]],
    ]);
  });
});
