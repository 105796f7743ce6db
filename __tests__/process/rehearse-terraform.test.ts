import { checkRehearsal, type Finding } from "../../tools/rehearse/checks";
import { buildGraph } from "../../tools/rehearse/graph";
import { runRehearsal } from "../../tools/rehearse/run";
import type { Interval } from "../../tools/rehearse/schedule";

/** The rehearsal's runner on the real `terraform` (installed here and in CI): a tiny stand-in applied and destroyed. */

type Json = Record<string, unknown>;
const CLUSTER_CONNECTION = {
  host: "${aws_eks_cluster.cluster.endpoint}",
  cluster_ca_certificate: "${base64decode(aws_eks_cluster.cluster.certificate_authority[0].data)}",
};
const EPHEMERAL_TOKEN = { token: "${ephemeral.aws_eks_cluster_auth.cluster.token}" };
const providers = (auth: Json): Json => ({
  aws: [{ region: "eu-west-1" }],
  helm: [{ kubernetes: { ...CLUSTER_CONNECTION, ...auth } }],
  kubernetes: [{ ...CLUSTER_CONNECTION, ...auth }],
});
const rules = (findings: ReadonlyArray<Finding>, rule: string) => findings.filter((finding) => finding.rule === rule);

describe("a real terraform apply and destroy of a stand-in", () => {
  test("records every block in dependency order at both phases", async () => {
    process.env.CHECKPOINT_DISABLE = "1";
    const graph = buildGraph("tiny", {
      provider: providers(EPHEMERAL_TOKEN),
      ephemeral: { aws_eks_cluster_auth: { cluster: { name: "${aws_eks_cluster.cluster.name}" } } },
      resource: {
        aws_eks_cluster: { cluster: { name: "tiny" } },
        aws_eks_fargate_profile: { a: { cluster_name: "${aws_eks_cluster.cluster.name}" } },
        helm_release: { r: { chart: "x", depends_on: ["aws_eks_fargate_profile.a"] } },
      },
    });
    // 60 ms per modeled minute: the release ends about 6.5 modeled minutes (0.4 s) before the token would expire, so
    // a busy machine's scheduling delays (CI's two cores running both jest workers) do not read as an expired token.
    const result = await runRehearsal(graph, { scale: 0.06 });
    const apply = (address: string): Interval => result.apply.get(address) as Interval;
    const destroy = (address: string): Interval => result.destroy.get(address) as Interval;
    expect([...result.apply.keys()].sort()).toEqual([...graph.nodes.keys()].sort());
    expect([...result.destroy.keys()].sort()).toEqual([
      "aws_eks_cluster.cluster",
      "aws_eks_fargate_profile.a",
      "helm_release.r",
    ]);
    expect(apply("aws_eks_cluster.cluster").end).toBeGreaterThanOrEqual(9.5); // ~10 modeled minutes
    expect(apply("ephemeral.aws_eks_cluster_auth.cluster").start).toBeGreaterThanOrEqual(
      apply("aws_eks_cluster.cluster").end,
    );
    expect(apply("helm_release.r").start).toBeGreaterThanOrEqual(apply("aws_eks_fargate_profile.a").end);
    expect(destroy("aws_eks_cluster.cluster").start).toBeGreaterThanOrEqual(destroy("aws_eks_fargate_profile.a").end);
    expect(destroy("aws_eks_fargate_profile.a").start).toBeGreaterThanOrEqual(destroy("helm_release.r").end);
    // The token opened after the cluster: the release ends well within its 15 minutes.
    expect(rules(checkRehearsal({ graph, apply: result.apply, destroy: result.destroy }), "TOKEN_LIFETIME")).toEqual(
      [],
    );
  }, 20_000);
});
