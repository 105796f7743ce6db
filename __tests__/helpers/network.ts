/** Shared by the network tests: a minimal valid environment, and readers for a synthesized stack (plain JSON). */

export const baseEnvironment = {
  name: "dev",
  account: "111111111111",
  region: "eu-west-1",
  vpc: {
    id: "vpc-0a1b2c3d4e5f60718",
    privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
    publicSubnetIds: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"],
  },
  dns: { domain: "dev.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" },
  cluster: { access: { terraformRoleArn: "arn:aws:iam::111111111111:role/platform-terraform" } },
};

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

export function helmValues(resources: Resources, release: string): Record<string, unknown> {
  const values = resources.helm_release?.[release]?.values as string[] | undefined;
  if (!values) throw new Error(`no helm_release.${release}`);
  return JSON.parse(values[0]) as Record<string, unknown>;
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** Every statement of `aws_iam_policy.<name>` and its packed continuations `<name>_2`, ... */
export function policyStatements(resources: Resources, name: string): Statement[] {
  const policies = resources.aws_iam_policy ?? {};
  return Object.entries(policies)
    .filter(([id]) => id === name || new RegExp(`^${name}_\\d+$`).test(id))
    .flatMap(([, policy]) => (JSON.parse(policy.policy as string) as { Statement: Statement[] }).Statement);
}

export const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Terraform's dependency edges of every resource: `depends_on` plus every `${type.name...}` reference in its
 * body. Terraform creates a resource after its edges and destroys it before them.
 */
export function dependencyGraph(resources: Resources): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const addresses = new Set(
    Object.entries(resources).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)),
  );
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, body] of Object.entries(byName)) {
      const edges = new Set<string>((body.depends_on as string[] | undefined) ?? []);
      const { depends_on: _ignored, ...rest } = body;
      for (const match of JSON.stringify(rest).matchAll(/([a-z0-9_]+)\.([a-z0-9_]+)\./g)) {
        const address = `${match[1]}.${match[2]}`;
        if (addresses.has(address)) edges.add(address);
      }
      graph.set(`${type}.${name}`, edges);
    }
  }
  return graph;
}

/** True when `from` (transitively) depends on `to`, i.e. Terraform creates `to` first and destroys it last. */
export function dependsOn(graph: Map<string, Set<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const visit = (address: string): boolean => {
    if (seen.has(address)) return false;
    seen.add(address);
    for (const edge of graph.get(address) ?? []) if (edge === to || visit(edge)) return true;
    return false;
  };
  return visit(from);
}

/** Terraform's destroy order: dependants first (reverse topological order of the graph). */
export function destroyOrder(graph: Map<string, Set<string>>): string[] {
  const created: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (address: string) => {
    if (state.get(address) === "done") return;
    if (state.get(address) === "visiting") throw new Error(`dependency cycle at ${address}`);
    state.set(address, "visiting");
    for (const edge of graph.get(address) ?? []) visit(edge);
    state.set(address, "done");
    created.push(address);
  };
  [...graph.keys()].sort().forEach(visit);
  return created.reverse();
}
