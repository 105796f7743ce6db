import { asList, asString, firstBlock, isObject, referencedAddresses } from "../../modules/terraform-json";
import { ancestorsOf, isInCluster, type GraphNode, type StackGraph } from "./graph";
import type { Interval, Phase } from "./schedule";
import { interceptedObjects, webhookOf } from "./webhooks";
import { EGRESS_PATH_TYPES } from "../../modules/egress-path";

/**
 * The rules a rehearsal is judged by. Each looks at one stack's graph and the times its nodes ran (a real
 * stand-in run, or the computed schedule) and reports findings with the addresses and times involved and the
 * fix in words. docs/rehearsal.md explains each rule.
 */

export type RuleId =
  "TOKEN_LIFETIME" | "EGRESS_OUTLIVES_CONTROLLERS" | "ACCESS_BEFORE_CLUSTER_CALLS" | "WEBHOOK_BACKEND_READY";

export interface Finding {
  readonly rule: RuleId;
  readonly stack: string;
  readonly phase: Phase;
  /** The addresses involved, the one the finding is about first. */
  readonly addresses: ReadonlyArray<string>;
  /** Modeled minutes of each address involved (a token's interval starts when it opened). */
  readonly times: Readonly<Record<string, Interval>>;
  readonly message: string;
  readonly fix: string;
  /**
   * Where the finding shows (a real rehearsal also checks the computed schedule): in both, or only in one, when
   * it depends on Terraform's own per-node overhead or on the order Terraform picked among ready nodes.
   */
  readonly seenIn?: ReadonlyArray<"terraform" | "schedule">;
}

export interface Rehearsal {
  readonly graph: StackGraph;
  readonly apply: ReadonlyMap<string, Interval>;
  readonly destroy: ReadonlyMap<string, Interval>;
}

/**
 * An EKS token is a presigned STS GetCallerIdentity URL the API server accepts for 15 minutes (EKS best
 * practices guide, "Identity and Access Management"; aws-iam-authenticator). The aws provider's
 * `aws_eks_cluster_auth` mints one per open and never renews it (internal/service/eks/cluster_auth_ephemeral.go
 * sets no RenewAt).
 */
export const TOKEN_LIFETIME_MINUTES = 15;

const EPSILON = 1e-6;
const fmt = (minutes: number): string => minutes.toFixed(1);
const span = (interval: Interval): string => `${fmt(interval.start)}-${fmt(interval.end)} min`;

export interface TokenUse {
  readonly token: string;
  readonly phase: Phase;
  /** Modeled minute the token was minted. */
  readonly opened: number;
  /** The in-cluster resources whose provider authenticates with it. */
  readonly users: ReadonlyArray<GraphNode>;
  readonly firstCall: number;
  readonly lastEnd: number;
}

/**
 * Which in-cluster resources call the cluster with which token, and when it opened: an ephemeral token when its
 * stand-in ran; a data source's token at plan/refresh (minute 0); at destroy every token at its start (the
 * cluster it names exists throughout, so nothing delays the open).
 */
export function tokenUses(r: Rehearsal, phase: Phase): TokenUse[] {
  const times = r[phase];
  const users = new Map<string, GraphNode[]>();
  for (const node of r.graph.nodes.values()) {
    const auth = r.graph.providers.get(node.provider)?.auth;
    if (isInCluster(node) && auth?.kind === "token" && times.has(node.address))
      for (const token of auth.tokens) users.set(token, [...(users.get(token) ?? []), node]);
  }
  return [...users].map(([token, nodes]) => ({
    token,
    phase,
    opened: phase === "apply" && token.startsWith("ephemeral.") ? (r.apply.get(token)?.start ?? 0) : 0,
    users: nodes,
    firstCall: Math.min(...nodes.map((node) => (times.get(node.address) as Interval).start)),
    lastEnd: Math.max(...nodes.map((node) => (times.get(node.address) as Interval).end)),
  }));
}

function tokenLifetime(r: Rehearsal): Finding[] {
  const findings: Finding[] = [];
  for (const phase of ["apply", "destroy"] as const) {
    const times = r[phase];
    for (const { token, opened, users: nodes, firstCall, lastEnd } of tokenUses(r, phase)) {
      for (const node of nodes) {
        const interval = times.get(node.address) as Interval;
        if (interval.end - opened <= TOKEN_LIFETIME_MINUTES + EPSILON) continue;
        const later =
          lastEnd - firstCall <= TOKEN_LIFETIME_MINUTES
            ? `opened just before the first cluster call (minute ${fmt(firstCall)}) it would last until the last one ends (minute ${fmt(lastEnd)})`
            : `even opened just before the first cluster call (minute ${fmt(firstCall)}) it would not last until the last one ends (minute ${fmt(lastEnd)}): use exec auth or split the calls across applies`;
        const how = token.startsWith("data.")
          ? "the aws_eks_cluster_auth data source mints its token at plan/refresh: use the ephemeral resource with a late open, or exec auth (`kubernetesAuth: exec`, a fresh token per call)"
          : phase === "destroy"
            ? "a destroy opens the token at its start: use exec auth (`kubernetesAuth: exec`) or shorten what the cluster calls wait for"
            : `make the token open when the cluster calls are due, not when its arguments are known: give the ephemeral block references or depends_on on what the first in-cluster resource waits for (the cluster, the Fargate profiles, the add-ons), or use exec auth (\`kubernetesAuth: exec\`); ${later}`;
        findings.push({
          rule: "TOKEN_LIFETIME",
          stack: r.graph.stack,
          phase,
          addresses: [node.address, token],
          times: { [node.address]: interval, [token]: { start: opened, end: opened + TOKEN_LIFETIME_MINUTES } },
          message: `${node.address} (${phase} ${span(interval)}) calls the cluster with ${token}, opened at minute ${fmt(opened)}: it ends ${fmt(interval.end - opened)} min after the open, past the token's ${TOKEN_LIFETIME_MINUTES} min (expired at minute ${fmt(opened + TOKEN_LIFETIME_MINUTES)})`,
          fix: how,
        });
      }
    }
  }
  return findings;
}

/** Route tables, their routes and associations, NAT gateways and their EIPs, internet gateways, VPC endpoints. */
export function isEgressPath(node: GraphNode, graph: StackGraph): boolean {
  if (node.mode !== "resource") return false;
  if (EGRESS_PATH_TYPES.includes(node.type)) return true;
  return (
    node.type === "aws_eip" &&
    [...graph.nodes.values()].some((other) => other.type === "aws_nat_gateway" && other.deps.includes(node.address))
  );
}

function egressOutlivesControllers(r: Rehearsal): Finding[] {
  const controllers = [...r.graph.nodes.values()].filter((node) => isInCluster(node) && r.destroy.has(node.address));
  const findings: Finding[] = [];
  for (const egress of r.graph.nodes.values()) {
    const removed = r.destroy.get(egress.address);
    if (!removed || !isEgressPath(egress, r.graph)) continue;
    const running = controllers.filter(
      (node) => (r.destroy.get(node.address) as Interval).end > removed.start + EPSILON,
    );
    if (running.length === 0) continue;
    const times: Record<string, Interval> = { [egress.address]: removed };
    for (const node of running) times[node.address] = r.destroy.get(node.address) as Interval;
    findings.push({
      rule: "EGRESS_OUTLIVES_CONTROLLERS",
      stack: r.graph.stack,
      phase: "destroy",
      addresses: [egress.address, ...running.map((node) => node.address)],
      times,
      message: `${egress.address} starts being destroyed at minute ${fmt(removed.start)} while ${running.length} in-cluster resource(s) whose removal runs controllers that call AWS are still being destroyed: ${running.map((node) => `${node.address} (${span(times[node.address])})`).join(", ")}`,
      fix: `keep the egress path until the in-cluster resources are gone: make what they depend on (the cluster, or the first release) depend on ${egress.address} as it does on the private route tables, so Terraform destroys it after them`,
    });
  }
  return findings;
}

function identityArns(graph: StackGraph): Set<string> {
  const arns = new Set<string>();
  const aws = graph.providers.get("aws")?.body;
  const roleArn = asString(firstBlock(aws?.assume_role)?.role_arn);
  if (roleArn) arns.add(roleArn);
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      const index = value.indexOf("--role-arn");
      if (index >= 0 && typeof value[index + 1] === "string") arns.add(value[index + 1] as string);
      value.forEach(visit);
    } else if (isObject(value)) Object.values(value).forEach(visit);
  };
  for (const provider of graph.providers.values()) visit(provider.body);
  return arns;
}

/** The access entries and policy associations of the identity Terraform calls the cluster as. */
export function terraformAccess(graph: StackGraph): string[] {
  const arns = identityArns(graph);
  const entries = [...graph.nodes.values()].filter((node) => node.type === "aws_eks_access_entry");
  let mine = entries.filter((node) => arns.has(asString(node.body.principal_arn) ?? ""));
  // No assume_role to match (ambient credentials, Terraform Cloud dynamic credentials): the platform's entry.
  if (mine.length === 0) mine = entries.filter((node) => node.name === "terraform");
  const names = new Set(mine.map((node) => node.address));
  const associations = [...graph.nodes.values()].filter(
    (node) =>
      node.type === "aws_eks_access_policy_association" &&
      (arns.has(asString(node.body.principal_arn) ?? "") ||
        referencedAddresses(asList(node.body.principal_arn)).some((address) => names.has(address))),
  );
  return [...names, ...associations.map((node) => node.address)];
}

function accessBeforeClusterCalls(r: Rehearsal): Finding[] {
  const access = terraformAccess(r.graph).filter((address) => r.apply.has(address));
  if (access.length === 0) return []; // later stacks: the entry is in the foundation, applied before them
  const ready = Math.max(...access.map((address) => (r.apply.get(address) as Interval).end));
  const findings: Finding[] = [];
  for (const node of r.graph.nodes.values()) {
    const interval = r.apply.get(node.address);
    if (!isInCluster(node) || !interval || interval.start >= ready - EPSILON) continue;
    const times: Record<string, Interval> = { [node.address]: interval };
    for (const address of access) times[address] = r.apply.get(address) as Interval;
    findings.push({
      rule: "ACCESS_BEFORE_CLUSTER_CALLS",
      stack: r.graph.stack,
      phase: "apply",
      addresses: [node.address, ...access],
      times,
      message: `${node.address} starts calling the cluster at minute ${fmt(interval.start)}, before Terraform's access entry and policy association are in place (minute ${fmt(ready)}): ${access.join(", ")}`,
      fix: `add ${access.join(" and ")} to the depends_on of ${node.address} (or of what it depends on)`,
    });
  }
  return findings;
}

function webhookBackendReady(r: Rehearsal): Finding[] {
  const findings: Finding[] = [];
  for (const release of r.graph.nodes.values()) {
    const hook = webhookOf(release);
    const installing = r.apply.get(release.address);
    if (!hook || !installing) continue;
    const before = ancestorsOf(r.graph, release.address);
    for (const node of r.graph.nodes.values()) {
      const interval = r.apply.get(node.address);
      if (node === release || !interval || before.has(node.address)) continue;
      if (!isInCluster(node) && node.type !== "aws_eks_addon") continue;
      if (ancestorsOf(r.graph, node.address).has(release.address)) continue;
      const intercepted = interceptedObjects(hook, node);
      if (intercepted.length === 0 || interval.start >= installing.end || interval.end <= installing.start) continue;
      const kinds = [...new Set(intercepted.map((object) => object.kind))].join(", ");
      findings.push({
        rule: "WEBHOOK_BACKEND_READY",
        stack: r.graph.stack,
        phase: "apply",
        addresses: [node.address, release.address],
        times: { [node.address]: interval, [release.address]: installing },
        message: `${node.address} (${span(interval)}) creates ${kinds} objects that the ${hook.chart} webhooks intercept while ${release.address} is still installing (${span(installing)}), and nothing orders them: the API server refuses them until the webhook's pods are ready`,
        fix: `add ${release.address} to the depends_on of ${node.address}`,
      });
    }
  }
  return findings;
}

/** Findings are the same finding when rule, phase and subject (and the token or webhook release) agree. */
export function findingKey(finding: Finding): string {
  const second =
    finding.rule === "TOKEN_LIFETIME" || finding.rule === "WEBHOOK_BACKEND_READY" ? finding.addresses[1] : "";
  return [finding.rule, finding.stack, finding.phase, finding.addresses[0], second].join("|");
}

/** Every rule on one stack's rehearsal. */
export function checkRehearsal(r: Rehearsal): Finding[] {
  return [
    ...tokenLifetime(r),
    ...egressOutlivesControllers(r),
    ...accessBeforeClusterCalls(r),
    ...webhookBackendReady(r),
  ];
}
