import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isObject, type StackJson } from "../../../modules/terraform-json";
import { readConfigFile } from "../../../modules/config/load";
import { loadConfigFile } from "../../../modules/plan";
import { synthesizeAtomically } from "../../../modules/synth";
import { Platform } from "../../../stacks/platform";
import { environmentsOf, PARTITION } from "./environments";
import { identityNamed, type Identity } from "./identities";
import { judge } from "./known-defects";
import { assertUniqueIds, callRows, requestFor, type CallRow, type CallSpec } from "./rows";
import { ALL_OPTIONS_CONFIG, type Synthesized } from "./synthesized";
import { runRoleTrustRows } from "./trust-calls";
import { mismatches } from "./rows";

/**
 * Table 4: a team stack's run roles (issue 22 item 5). config/all-options.yaml with a team stack `payments` in
 * prod (managed workspaces, dynamic credentials, the runs build): its apply role does what the team declared and
 * nothing more, whatever it declared it on (not the platform's tagged resources, no IAM, no EKS write), cannot
 * assume a platform or run role, cannot change the boundary, its guard rails or its own policies; its plan role
 * reads; both are trusted by their workspace's phase only.
 */

const SOURCE =
  "issue 22 item 5: a team's roles get the permissions the team declares, within the guard rails (modules/terraform-cloud/team-policy.ts); IAM User Guide, policy evaluation logic (an explicit Deny wins)";
const ESCALATION =
  "IAM privilege escalation methods (Rhino Security Labs): PassRole, CreatePolicyVersion, AttachRolePolicy, UpdateAssumeRolePolicy, AssumeRole; Amazon EKS User Guide, access entries (CreateAccessEntry + AssociateAccessPolicy grant cluster access)";

const BUCKET = "arn:aws:s3:::example-payments-reports";

let outdir: string;
let synth: Synthesized;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), "team-roles-"));
  synthesizeAtomically((app) => {
    const platform = new Platform(app, { config: loadConfigFile(ALL_OPTIONS_CONFIG) });
    platform.environment("prod")!.addStack("payments", undefined, {
      after: ["network"],
      permissions: [
        {
          Sid: "Reports",
          Action: ["s3:PutObject", "s3:GetObject", "s3:ListBucket"],
          Resource: [BUCKET, `${BUCKET}/*`],
        },
        { Sid: "Instances", Action: "ec2:*", Resource: "*" },
      ],
    });
  }, outdir);
  const stacks = new Map<string, StackJson>();
  for (const name of readdirSync(join(outdir, "stacks"))) {
    const json: unknown = JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
    if (!isObject(json)) throw new Error(`${name}: not a JSON object`);
    stacks.set(name, json);
  }
  synth = { config: ALL_OPTIONS_CONFIG, data: readConfigFile(ALL_OPTIONS_CONFIG), outdir, stacks };
}, 300_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function rows(): CallRow[] {
  const env = environmentsOf(synth).find((candidate) => candidate.name === "prod");
  if (!env?.terraformCloud) throw new Error("prod: no Terraform Cloud dynamic credentials");
  const { account, region, cluster } = env;
  const apply = identityNamed(synth, `tfc-${cluster}-team-payments`);
  const plan = identityNamed(synth, `tfc-${cluster}-team-payments-plan`);
  const iam = (kind: string, rest: string) => `arn:${PARTITION}:iam::${account}:${kind}/${rest}`;
  const instance = `arn:${PARTITION}:ec2:${region}:${account}:instance/i-0123456789abcdef0`;
  const natGateway = `arn:${PARTITION}:ec2:${region}:${account}:natgateway/nat-0123456789abcdef0`;
  const tagged = (stack: string) => ({ "aws:ResourceTag/stack": stack });
  const karpenter = iam("role", `${cluster}-karpenter`);
  const foundationRunRole = iam("role", `terraform-cloud/tfc-${cluster}-foundation`);
  const boundary = iam("policy", `terraform-cloud/tfc-${cluster}-boundary`);
  const guardRails = iam("policy", `terraform-cloud/tfc-${cluster}-teams`);
  const ownPolicy = iam("policy", `terraform-cloud/tfc-${cluster}-team-payments`);
  const trusting = (principal: string) => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }],
  });
  const call = (
    text: string,
    action: string,
    resource: string,
    expected: CallSpec["expected"],
    extra: Partial<CallSpec> = {},
  ): CallSpec => ({
    call: text,
    action,
    resource,
    expected,
    source: expected === "allowed" ? SOURCE : `${SOURCE}; ${ESCALATION}`,
    ...extra,
  });
  const chain = (who: Identity, text: string, steps: CallRow["steps"]): CallRow => ({
    id: `${env.name} ${who.name}: escalation: ${text}`,
    steps,
    expected: "denied",
    source: ESCALATION,
  });
  // prettier-ignore
  return [
    ...callRows(env, apply, [
      call("declared: s3:PutObject into its bucket", "s3:PutObject", `${BUCKET}/report.csv`, "allowed"),
      call("declared: ec2:TerminateInstances of its own instance", "ec2:TerminateInstances", instance, "allowed", { context: tagged("prod-team-payments") }),
      call("undeclared: s3:PutObject into another bucket", "s3:PutObject", "arn:aws:s3:::example-other/x", "denied"),
      call("undeclared: dynamodb:DeleteTable", "dynamodb:DeleteTable", `arn:${PARTITION}:dynamodb:${region}:${account}:table/orders`, "denied"),
      call("declared ec2:* on *, but a platform instance (stack prod-foundation)", "ec2:TerminateInstances", instance, "denied", { context: tagged("prod-foundation") }),
      call("declared ec2:* on *, but the platform's NAT gateway", "ec2:DeleteNatGateway", natGateway, "denied", { context: tagged("prod-foundation") }),
      call("declared ec2:* on *, but an operators-layer instance (Karpenter's)", "ec2:TerminateInstances", instance, "denied", { context: tagged("prod-operators") }),
      call("escalation: sts:AssumeRole into a platform role whose trust names it", "sts:AssumeRole", karpenter, "denied", { resourcePolicy: trusting(apply.arn) }),
      call("escalation: sts:AssumeRole into the foundation's run role", "sts:AssumeRole", foundationRunRole, "denied", { resourcePolicy: trusting(apply.arn) }),
      call("escalation: iam:PassRole of a platform role to EC2", "iam:PassRole", karpenter, "denied", { context: { "iam:PassedToService": "ec2.amazonaws.com" } }),
      call("escalation: iam:CreateRole", "iam:CreateRole", iam("role", "payments-x"), "denied", { context: { "iam:PermissionsBoundary": boundary } }),
      call("escalation: iam:CreatePolicyVersion of the permissions boundary", "iam:CreatePolicyVersion", boundary, "denied"),
      call("escalation: iam:DeletePolicy of the permissions boundary", "iam:DeletePolicy", boundary, "denied"),
      call("escalation: iam:CreatePolicyVersion of the team guard rails", "iam:CreatePolicyVersion", guardRails, "denied"),
      call("escalation: iam:CreatePolicyVersion of its own team policy", "iam:CreatePolicyVersion", ownPolicy, "denied"),
      call("escalation: iam:DetachRolePolicy of the guard rails from its own role", "iam:DetachRolePolicy", apply.arn, "denied", { context: { "iam:PolicyARN": guardRails } }),
      call("escalation: iam:AttachRolePolicy of AdministratorAccess to its own role", "iam:AttachRolePolicy", apply.arn, "denied", { context: { "iam:PolicyARN": `arn:${PARTITION}:iam::aws:policy/AdministratorAccess` } }),
      call("escalation: iam:UpdateAssumeRolePolicy of its own role", "iam:UpdateAssumeRolePolicy", apply.arn, "denied"),
      call("escalation: iam:DeleteRolePermissionsBoundary of a platform role", "iam:DeleteRolePermissionsBoundary", karpenter, "denied"),
      call("escalation: eks:CreateAccessEntry on the cluster", "eks:CreateAccessEntry", env.clusterArn, "denied"),
      call("escalation: eks:UpdateClusterConfig of the cluster", "eks:UpdateClusterConfig", env.clusterArn, "denied"),
    ]),
    chain(apply, "CreateRole payments-x with the boundary, AttachRolePolicy AdministratorAccess, PassRole to EC2", [
      requestFor(apply, { action: "iam:CreateRole", resource: iam("role", "payments-x"), context: { "iam:PermissionsBoundary": boundary } }),
      requestFor(apply, { action: "iam:AttachRolePolicy", resource: iam("role", "payments-x"), context: { "iam:PolicyARN": `arn:${PARTITION}:iam::aws:policy/AdministratorAccess`, "iam:PermissionsBoundary": boundary } }),
      requestFor(apply, { action: "iam:PassRole", resource: iam("role", "payments-x"), context: { "iam:PassedToService": "ec2.amazonaws.com" } }),
    ]),
    ...callRows(env, plan, [
      call("reads: s3:GetObject of its bucket", "s3:GetObject", `${BUCKET}/report.csv`, "allowed"),
      call("reads: s3:ListBucket of its bucket", "s3:ListBucket", BUCKET, "allowed"),
      call("writes nothing: s3:PutObject into its bucket", "s3:PutObject", `${BUCKET}/report.csv`, "denied"),
      call("writes nothing: ec2:TerminateInstances of its own instance", "ec2:TerminateInstances", instance, "denied", { context: tagged("prod-team-payments") }),
      call("escalation: sts:AssumeRole into its workspace's apply role", "sts:AssumeRole", apply.arn, "denied", { resourcePolicy: trusting(plan.arn) }),
    ]),
    // Trust: each role by its workspace's phase only (the rows the layers' roles have, for the team's workspace).
    ...runRoleTrustRows(synth, {
      ...env,
      stacks: new Map([
        ["prod-team-payments", "team-payments"],
        ["prod-foundation", "foundation"],
      ]),
    }).filter((row) => row.id.includes("team-payments")),
  ];
}

it("every call of the team's roles is as it should be", async () => {
  const table = rows();
  assertUniqueIds(table);
  expect(table.filter((row) => row.id.includes("team-payments-plan:")).length).toBeGreaterThan(5);
  expect(await mismatches(table, judge)).toEqual([]);
}, 300_000);
