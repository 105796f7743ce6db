import { environmentsOf } from "./environments";
import { identitiesOf } from "./identities";
import { organizationBoundaryName } from "./organization-boundary";
import { judge, staleDefects } from "./known-defects";
import { assertUniqueIds, mismatches, type CallRow } from "./rows";
import { ALL_OPTIONS_CONFIG, PLATFORM_BOUNDARY_CONFIG, synthesized } from "./synthesized";
import { boundedRoleRows, escalationRows, layerScopeRows, organizationBoundaryRows } from "./tfc-escalation-calls";
import { iamTypeRows } from "./tfc-iam-calls";
import { planRoleRows } from "./tfc-plan-calls";
import { RESOURCE_CALLS, resourceTypeRows } from "./tfc-resource-calls";
import { isAwsType, resourceTypes, runRolesOf } from "./tfc-run-roles";

/**
 * Table 3: the Terraform Cloud run roles of config/all-options.yaml (environment prod: a `cloud` backend with
 * managed workspaces and dynamic credentials), a plan and an apply role per workspace with their policies.
 * (a) every call applying the platform's resources needs is allowed to its layer's apply role, and to the plan
 * role exactly the reads; (b) no escalation path is open, and a layer's apply role writes nothing of another
 * layer's; (c) prod configures its organization's permissions boundary: roles are created only with it, never
 * with another or none, and it is never removed or changed. The same config without the organization's boundary
 * (PLATFORM_BOUNDARY_CONFIG) gives prod's roles the platform's own boundary: its IAM rows and escalation paths
 * are simulated there too, and a platform role given `*:*` stays inside that boundary.
 */

const synth = synthesized(ALL_OPTIONS_CONFIG);
const run = runRolesOf(synth, environmentsOf(synth));
const types = resourceTypes(run);
const applyRows: CallRow[] = [...iamTypeRows(run), ...resourceTypeRows(run, types)];
const rows: CallRow[] = [
  ...applyRows,
  ...planRoleRows(run, applyRows),
  ...escalationRows(run),
  ...organizationBoundaryRows(run),
  ...layerScopeRows(run),
];
assertUniqueIds(rows);

const platformSynth = synthesized(PLATFORM_BOUNDARY_CONFIG);
const platformRun = runRolesOf(platformSynth, environmentsOf(platformSynth));
const PLATFORM_BOUNDARY = "platform boundary";
const platformRows: CallRow[] = [
  ...iamTypeRows(platformRun),
  ...escalationRows(platformRun),
  ...boundedRoleRows(platformRun),
].map((row) => ({ ...row, id: `${PLATFORM_BOUNDARY} ${row.id}` }));
assertUniqueIds(platformRows);

/** Resource types that make no AWS API call of the run role's own, and why. */
const NO_AWS_CALLS: Readonly<Record<string, string>> = {
  helm_release:
    "Helm, through the Kubernetes API (the run role's EKS access entry); the token is a presigned sts:GetCallerIdentity, which IAM never denies",
  kubernetes_deployment_v1: "the Kubernetes API",
  kubernetes_ingress_class_v1: "the Kubernetes API",
  kubernetes_ingress_v1: "the Kubernetes API",
  kubernetes_namespace_v1: "the Kubernetes API",
  kubernetes_service_v1: "the Kubernetes API",
  kubernetes_storage_class_v1: "the Kubernetes API",
};
const IAM_TYPES = [
  "aws_iam_role",
  "aws_iam_policy",
  "aws_iam_role_policy_attachment",
  "aws_iam_openid_connect_provider",
  "aws_iam_service_linked_role",
];

/** `<env> <role>: <type or escalation> ...` -> the type (or `escalation`), to report per resource type. */
function topic(row: CallRow): string {
  const rest = row.id.slice(row.id.indexOf(": ") + 2);
  return rest.split(/[ :]/)[0];
}

const topics = [...new Set(rows.map(topic))];

it.each(topics)("%s: every call as it should be", async (name) => {
  expect(
    await mismatches(
      rows.filter((row) => topic(row) === name),
      judge,
    ),
  ).toEqual([]);
});

describe("with the platform's own boundary (all-options without iam.permissionsBoundaryArn)", () => {
  it.each([...new Set(platformRows.map(topic))])("%s: every call as it should be", async (name) => {
    expect(
      await mismatches(
        platformRows.filter((row) => topic(row) === name),
        judge,
      ),
    ).toEqual([]);
  });
});

describe("the Terraform Cloud table", () => {
  it("has no KNOWN_DEFECTS entry that names no row", () => {
    expect(
      staleDefects(
        "terraform-cloud",
        [...rows, ...platformRows].map((row) => row.id),
      ),
    ).toEqual([]);
  });

  it("lists the calls of every resource type the environments' stacks declare", () => {
    const missing = types.filter((type) =>
      isAwsType(type)
        ? !(IAM_TYPES.includes(type) || RESOURCE_CALLS[type]) || !rows.some((row) => topic(row) === type)
        : NO_AWS_CALLS[type] === undefined,
    );
    expect(missing).toEqual([]);
  });

  it("covers at least the resource types the brief names", () => {
    for (const type of [
      "aws_iam_role",
      "aws_iam_policy",
      "aws_iam_role_policy_attachment",
      "aws_iam_service_linked_role",
      "aws_eks_cluster",
      "aws_eks_access_entry",
      "aws_vpc",
      "aws_subnet",
      "aws_nat_gateway",
      "aws_kms_key",
      "aws_efs_file_system",
      "aws_sqs_queue",
      "aws_cloudwatch_event_rule",
      "aws_route53_record",
      "aws_acm_certificate",
    ])
      expect([type, rows.some((row) => topic(row) === type)]).toEqual([type, true]);
  });

  it("gives every plan role the same policies, every apply role the same shared ones, and none an AWS managed policy", () => {
    const names = (who: { policies: ReadonlyArray<{ name: string }> }) =>
      who.policies.map((policy) => policy.name).sort();
    const plans = [...run.planRoles.values()].map((role) => JSON.stringify(role.policies));
    expect(new Set(plans).size).toBe(1);
    for (const role of [...run.roles.values(), ...run.planRoles.values()]) expect(role.managedPolicies).toEqual([]);
    const shared = names([...run.planRoles.values()][0]);
    for (const role of run.roles.values()) expect(names(role)).toEqual(expect.arrayContaining(shared));
  });

  it("simulates every role of all-options with its environment's organization boundary, the run roles included", () => {
    const roles = identitiesOf(synth);
    expect(roles.filter((who) => who.stack === "terraform-cloud").length).toBeGreaterThan(5);
    const accounts = new Map(environmentsOf(synth).map((env) => [env.account, env.organizationBoundary]));
    expect(
      roles
        .filter((who) => !who.boundary || who.boundary.name !== organizationBoundaryName(accounts.get(who.account)))
        .map((who) => `${who.stack} ${who.name}`),
    ).toEqual([]);
  });

  it("without it, simulates prod's platform roles with the platform's own boundary, staging's without one", () => {
    const prod = identitiesOf(platformSynth).filter((who) => who.stack.startsWith(`${platformRun.env.name}-`));
    expect(prod.length).toBeGreaterThan(5);
    expect(
      prod.filter((who) => who.boundary?.name !== `tfc-${platformRun.env.cluster}-boundary`).map((who) => who.name),
    ).toEqual([]);
    expect(identitiesOf(platformSynth).filter((who) => who.stack.startsWith("staging-") && who.boundary)).toEqual([]);
    expect(identitiesOf(platformSynth).filter((who) => who.stack === "terraform-cloud" && who.boundary)).toEqual([]);
  });

  it("gives the plan roles reads and no writes (both kinds of rows exist)", () => {
    const plans = rows.filter((row) => row.id.includes("-plan: "));
    expect(plans.filter((row) => row.expected === "allowed").length).toBeGreaterThan(40);
    expect(plans.filter((row) => row.expected === "denied").length).toBeGreaterThan(80);
  });

  it("covers the calls of both roles of every layer, the escalation rows, and the organization boundary's", () => {
    for (const role of [...run.roles.values(), ...run.planRoles.values()])
      expect([role.name, rows.some((row) => row.id.startsWith(`${run.env.name} ${role.name}: `))]).toEqual([
        role.name,
        true,
      ]);
    expect(rows.filter((row) => topic(row) === "escalation").length).toBeGreaterThan(25);
    expect(platformRows.filter((row) => topic(row) === "escalation").length).toBeGreaterThan(40);
    expect(rows.filter((row) => topic(row) === "organization").length).toBeGreaterThan(10);
  });
});
