import { environmentsOf } from "./environments";
import { judge, staleDefects } from "./known-defects";
import { assertUniqueIds, mismatches, type CallRow } from "./rows";
import { ALL_OPTIONS_CONFIG, synthesized } from "./synthesized";
import { escalationRows, iamTypeRows } from "./tfc-iam-calls";
import { RESOURCE_CALLS, resourceTypeRows } from "./tfc-resource-calls";
import { isAwsType, resourceTypes, runRolesOf } from "./tfc-run-roles";

/**
 * Table 3: the Terraform Cloud run roles of config/all-options.yaml (environment prod: a `cloud` backend with
 * managed workspaces and dynamic credentials), with their run policy and PowerUserAccess (managed-policies.ts).
 * (a) every call applying the platform's resources needs is allowed; (b) no escalation path is open.
 */

const synth = synthesized(ALL_OPTIONS_CONFIG);
const run = runRolesOf(synth, environmentsOf(synth));
const types = resourceTypes(run);
const rows: CallRow[] = [...iamTypeRows(run), ...resourceTypeRows(run, types), ...escalationRows(run)];
assertUniqueIds(rows);

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

describe("the Terraform Cloud table", () => {
  it("has no KNOWN_DEFECTS entry that names no row", () => {
    expect(
      staleDefects(
        "terraform-cloud",
        rows.map((row) => row.id),
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

  it("gives every run role of the environment the same policies (the escalation rows simulate one of them)", () => {
    const sets = [...run.roles.values()].map((role) => JSON.stringify(role.policies));
    expect(new Set(sets).size).toBe(1);
    expect([...run.roles.values()][0].managedPolicies).toEqual(["PowerUserAccess"]);
  });
});
