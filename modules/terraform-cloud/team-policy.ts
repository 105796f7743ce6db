import type { ConfigIssue } from "../errors";
import type { Condition } from "../iam/policy";
import { LAYERS } from "../layers";
import { stackName } from "../naming";
import type { ManagedEnvironmentPlan } from "./plan";
import { iamArnPrefix, platformNameStart, RUN_ROLE_PATH } from "./settings";
import type { RunPolicyStatement } from "./statements";

/**
 * What a team stack's run roles may do: the team's own statements (`addStack(name, build, { permissions })`,
 * literal IAM JSON, checked here), the read-only part of them for its plan role, and the guard rails every team
 * role carries (`aws_iam_policy.<env>_teams`), which hold whatever a team declares:
 *   - no IAM write at all (a role, a policy, PassRole: each is a way out of the declared permissions);
 *   - no EKS write (an access entry or access policy is cluster-admin in one call; the team's Kubernetes access
 *     is its access entry, made by the platform);
 *   - nothing on a resource carrying a platform stack's `stack` tag (`<env>-foundation` ... : the default tags
 *     every layer puts on what it creates), so a team's `ec2:*` on `*` still cannot touch the cluster's network,
 *     keys or queues.
 * The environment's run policy (run-role-policy.ts) adds what holds for every run role: no role assumed, nothing
 * under /terraform-cloud/ changed (the team's own roles and policies included, so a team cannot detach these).
 */

/** An IAM statement a team declares for its stack's apply role: Allow only, actions and resources named. */
export interface TeamPolicyStatement {
  readonly Sid?: string;
  readonly Effect?: "Allow";
  readonly Action: string | ReadonlyArray<string>;
  readonly Resource: string | ReadonlyArray<string>;
  readonly Condition?: Condition;
}

/** Services whose every action is administration of the account: never in a team's statements. */
const REFUSED_SERVICES = ["iam", "sts", "organizations", "account", "sso", "identitystore"];
/** The services the guard rails deny writes of (IAM, EKS): refused in statements so a team sees it at synth. */
const WRITE_DENIED_SERVICES = ["eks"];
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;
/** Action names that only read: what a plan role may keep of the team's actions. */
const READ_VERBS = ["Describe", "Get", "List", "Head"];

function asList(value: string | ReadonlyArray<string>): string[] {
  return typeof value === "string" ? [value] : [...value];
}

function isRead(action: string): boolean {
  const verb = action.slice(action.indexOf(":") + 1);
  return READ_VERBS.some((read) => verb.startsWith(read));
}

/** Every problem with the team's statements, with its path under `permissions`. */
export function teamStatementIssues(statements: ReadonlyArray<TeamPolicyStatement>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  statements.forEach((statement, index) => {
    const at = `permissions[${index}]`;
    if (statement.Effect !== undefined && statement.Effect !== "Allow")
      issues.push({
        path: `${at}.Effect`,
        message: "a team statement allows; the guard rails hold the denies",
        value: statement.Effect,
        allowed: '"Allow" (or leave it out)',
      });
    const actions = asList(statement.Action ?? []);
    if (actions.length === 0)
      issues.push({ path: `${at}.Action`, message: "names no action", allowed: "actions like s3:PutObject" });
    actions.forEach((action, actionIndex) => {
      const path = `${at}.Action[${actionIndex}]`;
      const service = action.split(":")[0].toLowerCase();
      if (!ACTION.test(action))
        issues.push({
          path,
          message: "is not a single service's action",
          value: action,
          allowed: "<service>:<action>, wildcards in the action part only (s3:Get*)",
          fix: "name the service: `*` (every action of every service) is administrator access",
        });
      else if (REFUSED_SERVICES.includes(service))
        issues.push({
          path,
          message: `${service} is the account's administration, which a team stack's run never gets`,
          value: action,
          allowed: `actions of other services than ${REFUSED_SERVICES.join(", ")}`,
          fix: "ask the platform for the role (its add-on identities), or run that part with your own credentials",
        });
      else if (WRITE_DENIED_SERVICES.includes(service) && !isRead(action))
        issues.push({
          path,
          message: "writes the platform's cluster, which the team guard rails deny",
          value: action,
          allowed: `${service}:Describe*, ${service}:List* (the team's Kubernetes access is its access entry: \`access\`)`,
        });
    });
    const resources = asList(statement.Resource ?? []);
    if (resources.length === 0)
      issues.push({
        path: `${at}.Resource`,
        message: "names no resource",
        allowed: 'ARNs (or "*" for actions without resource-level permissions)',
      });
  });
  return issues;
}

/** The team's statements as its apply role's policy (Sids made unique where the team gave none). */
export function teamApplyStatements(statements: ReadonlyArray<TeamPolicyStatement>): RunPolicyStatement[] {
  return statements.map((statement, index) => ({
    Sid: statement.Sid ?? `Team${index}`,
    Effect: "Allow",
    Action: asList(statement.Action),
    Resource: asList(statement.Resource),
    ...(statement.Condition ? { Condition: statement.Condition } : {}),
  }));
}

/**
 * The plan role's part of the team's statements: their read actions (`s3:GetObject`, `s3:List*`), and for a
 * service-wide `s3:*` the service's Describe/Get/List; statements left without one are dropped.
 */
export function teamPlanStatements(statements: ReadonlyArray<TeamPolicyStatement>): RunPolicyStatement[] {
  return teamApplyStatements(statements).flatMap((statement) => {
    const reads = asList(statement.Action ?? []).flatMap((action) => {
      const [service, name] = action.split(":");
      if (name === "*") return READ_VERBS.filter((verb) => verb !== "Head").map((verb) => `${service}:${verb}*`);
      return isRead(action) ? [action] : [];
    });
    return reads.length === 0 ? [] : [{ ...statement, Sid: `${statement.Sid}Reads`, Action: [...new Set(reads)] }];
  });
}

/** IAM writes, by verb: every IAM action that is not a read. */
const IAM_WRITES = [
  "iam:Add*",
  "iam:Attach*",
  "iam:Change*",
  "iam:Create*",
  "iam:Deactivate*",
  "iam:Delete*",
  "iam:Detach*",
  "iam:Enable*",
  "iam:PassRole",
  "iam:Put*",
  "iam:Remove*",
  "iam:Reset*",
  "iam:Resync*",
  "iam:Set*",
  "iam:Tag*",
  "iam:Untag*",
  "iam:Update*",
  "iam:Upload*",
];
const EKS_WRITES = [
  "eks:Associate*",
  "eks:Create*",
  "eks:Delete*",
  "eks:Deregister*",
  "eks:Disassociate*",
  "eks:Register*",
  "eks:Tag*",
  "eks:Untag*",
  "eks:Update*",
];

/** The guard rails of every team role of the environment (`aws_iam_policy.<env>_teams`). */
export function teamGuardRailStatements(plan: ManagedEnvironmentPlan): RunPolicyStatement[] {
  const env = plan.environment;
  const iam = iamArnPrefix(env);
  const start = platformNameStart(plan.clusterName);
  return [
    { Sid: "TeamsWriteNoIam", Effect: "Deny", Action: IAM_WRITES, Resource: "*" },
    { Sid: "TeamsWriteNoEks", Effect: "Deny", Action: EKS_WRITES, Resource: "*" },
    {
      Sid: "TeamsLeaveThePlatformsResources",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceTag/stack": LAYERS.map((layer) => stackName(env.name, layer)) } },
    },
    // Explicit, beside TeamsWriteNoIam: the platform's roles and the run roles stay out of reach by name too.
    {
      Sid: "TeamsPassNoPlatformRole",
      Effect: "Deny",
      Action: ["iam:PassRole", "sts:AssumeRole", "sts:TagSession"],
      Resource: [`${iam}:role/${start}*`, `${iam}:role${RUN_ROLE_PATH}*`],
    },
  ];
}
