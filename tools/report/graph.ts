import type { EnvironmentReport, PlatformReport } from "./model";

/**
 * The order things happen in, as a graph: an arrow A → B means B waits for A on apply, and B is removed before A
 * on destroy. Stacks wait for the foundation (they read its outputs); in-cluster add-ons of the foundation wait
 * for the control plane and Terraform's cluster access; add-ons wait for the add-ons they declare (`ready`: also
 * for the webhooks to serve). Rendered as Mermaid (Markdown) and as DOT (Graphviz → SVG).
 */

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly stack: string;
  readonly kind: "control-plane" | "addon";
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Waits for the dependency's webhooks to serve, not only for its install. */
  readonly ready: boolean;
}

export interface EnvironmentGraph {
  readonly environment: string;
  readonly stacks: ReadonlyArray<{ readonly name: string; readonly dependsOn: ReadonlyArray<string> }>;
  readonly nodes: ReadonlyArray<GraphNode>;
  readonly edges: ReadonlyArray<GraphEdge>;
}

const safeId = (...parts: string[]) => parts.join("__").replace(/[^A-Za-z0-9_]/g, "_");
export const CONTROL_PLANE_LABEL = "EKS control plane + Terraform access";

export function environmentGraph(report: EnvironmentReport): EnvironmentGraph {
  const foundation = report.stacks.find((stack) => stack.layer === "foundation");
  const controlPlane = foundation
    ? [
        {
          id: safeId(report.name, "control_plane"),
          label: CONTROL_PLANE_LABEL,
          stack: foundation.name,
          kind: "control-plane" as const,
        },
      ]
    : [];
  const nodes: GraphNode[] = [
    ...controlPlane,
    ...report.addons.map((addon) => ({
      id: safeId(report.name, addon.name),
      label: `${addon.name} ${addon.version}`,
      stack: addon.stack,
      kind: "addon" as const,
    })),
  ];
  const enabled = new Set(report.addons.map((addon) => addon.name));
  const edges: GraphEdge[] = [];
  for (const addon of report.addons) {
    const own = addon.dependsOn.filter((dependency) => enabled.has(dependency.name));
    for (const dependency of own)
      edges.push({
        from: safeId(report.name, dependency.name),
        to: safeId(report.name, addon.name),
        ready: dependency.ready,
      });
    const waitsInStack = own.some(
      (dependency) => report.addons.find((other) => other.name === dependency.name)?.stack === addon.stack,
    );
    if (addon.layer === "foundation" && !waitsInStack && controlPlane.length > 0)
      edges.push({ from: controlPlane[0].id, to: safeId(report.name, addon.name), ready: false });
  }
  return {
    environment: report.name,
    stacks: report.stacks.map(({ name, dependsOn }) => ({ name, dependsOn })),
    nodes,
    edges,
  };
}

/**
 * Waves of one stack's apply: each wave's items wait only for earlier waves (dependencies in earlier stacks are
 * already there). Destroy runs the waves backwards.
 */
export function applyWaves(graph: EnvironmentGraph, stack: string): string[][] {
  const members = graph.nodes.filter((node) => node.stack === stack);
  const inStack = new Set(members.map((node) => node.id));
  const labels = new Map(
    members.map((node) => [node.id, node.kind === "control-plane" ? "control plane" : node.label.split(" ")[0]]),
  );
  const edges = graph.edges.filter((edge) => inStack.has(edge.from) && inStack.has(edge.to));
  const waves: string[][] = [];
  const done = new Set<string>();
  let remaining = members.map((node) => node.id);
  while (remaining.length > 0) {
    const ready = remaining.filter((id) => edges.every((edge) => edge.to !== id || done.has(edge.from)));
    const wave = ready.length > 0 ? ready : remaining; // a cycle cannot pass validation; never loop forever
    waves.push(wave.map((id) => labels.get(id) ?? id));
    wave.forEach((id) => done.add(id));
    remaining = remaining.filter((id) => !done.has(id));
  }
  return waves;
}

/** Stacks in apply order, by waves (stacks of a wave can be applied in parallel). */
export function stackWaves(graph: EnvironmentGraph): string[][] {
  const waves: string[][] = [];
  const done = new Set<string>();
  let remaining = graph.stacks;
  while (remaining.length > 0) {
    const ready = remaining.filter((stack) => stack.dependsOn.every((dependency) => done.has(dependency)));
    const wave = ready.length > 0 ? ready : remaining;
    waves.push(wave.map((stack) => stack.name));
    wave.forEach((stack) => done.add(stack.name));
    remaining = remaining.filter((stack) => !done.has(stack.name));
  }
  return waves;
}

export function mermaid(graph: EnvironmentGraph): string {
  const lines = ["flowchart TB"];
  for (const stack of graph.stacks) {
    lines.push(`  subgraph ${safeId(stack.name)}["${stack.name}"]`);
    lines.push("    direction TB");
    for (const node of graph.nodes.filter((candidate) => candidate.stack === stack.name)) {
      lines.push(
        node.kind === "control-plane" ? `    ${node.id}[["${node.label}"]]` : `    ${node.id}("${node.label}")`,
      );
    }
    if (!graph.nodes.some((node) => node.stack === stack.name))
      lines.push(`    ${safeId(stack.name, "empty")}["(no add-ons)"]`);
    lines.push("  end");
  }
  for (const stack of graph.stacks)
    for (const dependency of stack.dependsOn) lines.push(`  ${safeId(dependency)} ==> ${safeId(stack.name)}`);
  for (const edge of graph.edges)
    lines.push(edge.ready ? `  ${edge.from} -. ready .-> ${edge.to}` : `  ${edge.from} --> ${edge.to}`);
  return lines.join("\n");
}

const quote = (text: string) => `"${text.replace(/["\\]/g, "\\$&")}"`;

/** One DOT digraph for every environment of the report: a cluster per environment, a cluster per stack. */
export function dot(report: PlatformReport): string {
  const lines = [
    "digraph platform {",
    '  graph [rankdir=TB, compound=true, fontname="Helvetica", fontsize=12, nodesep=0.35, ranksep=0.5, labeljust=l];',
    '  node [shape=box, style="rounded,filled", fillcolor="#eef4fb", color="#5b7fa6", fontname="Helvetica", fontsize=10];',
    '  edge [color="#555555", arrowsize=0.7];',
  ];
  for (const environment of report.environments) {
    const graph = environmentGraph(environment);
    lines.push(`  subgraph ${quote(`cluster_${environment.name}`)} {`);
    lines.push(
      `    label=${quote(`${environment.name} (${environment.account}, ${environment.region}, Kubernetes ${environment.kubernetesVersion})`)}; style=dashed; color="#999999";`,
    );
    const anchors = new Map<string, { first: string; last: string }>();
    for (const stack of graph.stacks) {
      lines.push(`    subgraph ${quote(`cluster_${stack.name}`)} {`);
      lines.push(`      label=${quote(stack.name)}; style="rounded,filled"; fillcolor="#f7f7f7"; color="#bbbbbb";`);
      const members = graph.nodes.filter((node) => node.stack === stack.name);
      if (members.length === 0) {
        const id = safeId(stack.name, "empty");
        lines.push(`      ${id} [label="(no add-ons)", style=dashed];`);
        members.push({ id, label: "", stack: stack.name, kind: "addon" });
      }
      for (const node of members.filter((member) => member.label !== "")) {
        const style = node.kind === "control-plane" ? ', fillcolor="#fdf0d5", color="#b08a3e"' : "";
        lines.push(`      ${node.id} [label=${quote(node.label)}${style}];`);
      }
      anchors.set(stack.name, { first: members[0].id, last: members[members.length - 1].id });
      lines.push("    }");
    }
    lines.push("  }");
    for (const stack of graph.stacks) {
      for (const dependency of stack.dependsOn) {
        lines.push(
          `  ${anchors.get(dependency)?.last} -> ${anchors.get(stack.name)?.first} [ltail=${quote(`cluster_${dependency}`)}, lhead=${quote(`cluster_${stack.name}`)}, penwidth=2, color="#888888", style=bold];`,
        );
      }
    }
    for (const edge of graph.edges)
      lines.push(`  ${edge.from} -> ${edge.to}${edge.ready ? ' [style=dashed, label=" ready", fontsize=9]' : ""};`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
