import { controllerRows } from "./controller-calls";
import { environmentsOf } from "./environments";
import { identitiesOf, identityNamed } from "./identities";
import { karpenterRows } from "./karpenter-calls";
import { judge, staleDefects } from "./known-defects";
import { assertUniqueIds, byPrincipal, mismatches } from "./rows";
import { ALL_OPTIONS_CONFIG, EXAMPLE_CONFIG, PLATFORM_BOUNDARY_CONFIG, synthesized } from "./synthesized";

/**
 * Table 1: the controllers' own identities, simulated on the synthesized policies of config/example.yaml and
 * config/all-options.yaml. Each row is a call the controller really makes (allowed) or must not be able to make
 * (denied); docs/iam-simulation.md lists them with their upstream sources.
 */

const configs = [EXAMPLE_CONFIG, ALL_OPTIONS_CONFIG].map(synthesized);
const rowsOf = (synth: ReturnType<typeof synthesized>, env: ReturnType<typeof environmentsOf>[number]) => [
  ...karpenterRows(synth, env),
  ...controllerRows(synth, env),
];
/**
 * all-options' environments carry their organization's boundary (modelled: organization-boundary.ts); the same
 * calls of prod's controllers are also simulated under the platform's own run boundary, which its roles carry
 * without one (all-options without iam.permissionsBoundaryArn), so the boundary the platform writes is judged too.
 */
const platformBoundary = synthesized(PLATFORM_BOUNDARY_CONFIG);
const PLATFORM_BOUNDARY = "platform boundary";
const rows = [
  ...configs.flatMap((synth) => environmentsOf(synth).flatMap((env) => rowsOf(synth, env))),
  ...environmentsOf(platformBoundary)
    .filter((env) => env.terraformCloud)
    .flatMap((env) => rowsOf(platformBoundary, env).map((row) => ({ ...row, id: `${PLATFORM_BOUNDARY} ${row.id}` }))),
];
assertUniqueIds(rows);

/**
 * Roles whose calls are not simulated here, by name suffix, and why. Their trust is (trust.test.ts).
 */
const NOT_CALL_SIMULATED: Readonly<Record<string, string>> = {
  cluster: "the EKS control plane's service role: AmazonEKSClusterPolicy is AWS managed, not modelled",
  "karpenter-node": "the nodes' role: AWS managed policies only (worker node, CNI, ECR pull, SSM), not modelled",
  fargate: "Fargate's pod execution role: AmazonEKSFargatePodExecutionRolePolicy, not modelled",
  "vpc-cni": "aws-node: AmazonEKS_CNI_Policy (AWS managed), not modelled",
};

it.each(byPrincipal(rows))("%s: every call as it should be", async (_, group) => {
  expect(await mismatches(group, judge)).toEqual([]);
});

describe("the controller table", () => {
  it("has no KNOWN_DEFECTS entry that names no row", () => {
    expect(
      staleDefects(
        "controllers",
        rows.map((row) => row.id),
      ),
    ).toEqual([]);
  });

  it("simulates prod's controllers under the platform's own boundary too", () => {
    const prod = environmentsOf(platformBoundary).find((env) => env.name === "prod")!;
    const bounded = identitiesOf(platformBoundary).filter((who) => prod.stacks.has(who.stack));
    expect(bounded.length).toBeGreaterThan(5);
    expect(
      bounded.filter((who) => who.boundary?.name !== `tfc-${prod.cluster}-boundary`).map((who) => who.name),
    ).toEqual([]);
    expect(rows.filter((row) => row.id.startsWith(`${PLATFORM_BOUNDARY} prod `)).length).toBeGreaterThan(50);
  });

  it("covers every role of every environment: its calls, or a reason they are not simulated", () => {
    const simulated = new Set(rows.map((row) => row.id.split(":")[0]));
    const uncovered = configs.flatMap((synth) =>
      environmentsOf(synth).flatMap((env) =>
        identitiesOf(synth)
          .filter((who) => env.stacks.has(who.stack))
          .filter((who) => !simulated.has(`${env.name} ${who.name}`))
          .filter((who) => NOT_CALL_SIMULATED[who.name.slice(env.cluster.length + 1)] === undefined)
          .map((who) => `${who.stack} ${who.name}`),
      ),
    );
    expect(uncovered).toEqual([]);
  });

  it("gives the roles it does not simulate the AWS managed policies upstream documents", () => {
    const attached = configs.flatMap((synth) =>
      environmentsOf(synth).map((env) => ({
        env: env.name,
        node: [...identityNamed(synth, `${env.cluster}-karpenter-node`).managedPolicies].sort(),
        vpcCni: [...identityNamed(synth, `${env.cluster}-vpc-cni`).managedPolicies].sort(),
        cluster: identityNamed(synth, `${env.cluster}-cluster`).managedPolicies,
      })),
    );
    for (const entry of attached)
      expect(entry).toEqual({
        env: entry.env,
        // Karpenter v1.14 cloudformation.yaml, KarpenterNodeRole.ManagedPolicyArns
        node: [
          "AmazonEC2ContainerRegistryPullOnly",
          "AmazonEKSWorkerNodePolicy",
          "AmazonEKS_CNI_Policy",
          "AmazonSSMManagedInstanceCore",
        ],
        // Amazon EKS User Guide, "Configure the Amazon VPC CNI plugin to use IRSA / Pod Identity"
        vpcCni: ["AmazonEKS_CNI_Policy"],
        // Amazon EKS User Guide, "Amazon EKS cluster IAM role"
        cluster: ["AmazonEKSClusterPolicy"],
      });
  });
});
