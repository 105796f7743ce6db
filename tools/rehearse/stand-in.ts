import type { JsonObject } from "../../modules/terraform-json";
import type { GraphNode, StackGraph } from "./graph";
import { timesOf, TYPICAL_TIMES, type TypicalTime } from "./times";

/**
 * The stand-in configuration of one stack: every node of its graph (resource, data source, ephemeral resource,
 * module call) becomes a `terraform_data` resource with the same dependency edges (as `depends_on`) and
 * `create_before_destroy`, and two `local-exec` provisioners that append `<phase> <address> start|end <epoch ms>`
 * lines to a log around a `sleep` of the node's typical time (times.ts) times the scale. `terraform_data` and
 * `local-exec` are built into Terraform: the stand-in needs no provider, no credentials and no network, and a
 * real `terraform apply` / `terraform destroy` walks it with Terraform's own graph, ordering and parallelism.
 */

export interface StandInOptions {
  /** Real seconds per modeled minute. */
  readonly scale: number;
  /** Absolute path of the log the provisioners append to. */
  readonly logFile: string;
  readonly table?: ReadonlyArray<TypicalTime>;
}

export interface StandIn {
  readonly stack: string;
  /** The `.tf.json` document. */
  readonly config: JsonObject;
  /** Node address -> stand-in resource name. */
  readonly names: ReadonlyMap<string, string>;
}

/** A Terraform resource name for an address: `aws_eks_cluster.cluster` -> `aws_eks_cluster__cluster`. */
export function standInName(address: string): string {
  const name = address.replace(/\./g, "__").replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
}

const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** The provisioner command: log the start, sleep, log the end. `date +%s%3N` is GNU date's epoch milliseconds. */
export function recordCommand(phase: "apply" | "destroy", address: string, seconds: number, logFile: string): string {
  const log = shellQuote(logFile);
  const line = (edge: "start" | "end"): string => `echo "${phase} ${address} ${edge} $(date +%s%3N)" >> ${log}`;
  const sleep = seconds > 0 ? `sleep ${seconds.toFixed(3)}; ` : "";
  return `${line("start")}; ${sleep}${line("end")}`;
}

function standInResource(node: GraphNode, graph: StackGraph, options: StandInOptions): JsonObject {
  const times = timesOf(node, options.table ?? TYPICAL_TIMES);
  const depends = node.deps.filter((dep) => graph.nodes.has(dep)).map((dep) => `terraform_data.${standInName(dep)}`);
  const provisioners: JsonObject[] = [
    {
      "local-exec": {
        command: recordCommand("apply", node.address, times.createMinutes * options.scale, options.logFile),
      },
    },
  ];
  // Data sources are never destroyed and an ephemeral resource is not in state: only resources record a destroy.
  if (node.mode === "resource" || node.mode === "module")
    provisioners.push({
      "local-exec": {
        when: "destroy",
        command: recordCommand("destroy", node.address, times.destroyMinutes * options.scale, options.logFile),
      },
    });
  return {
    input: { address: node.address, mode: node.mode },
    ...(depends.length > 0 ? { depends_on: depends } : {}),
    ...(node.createBeforeDestroy ? { lifecycle: { create_before_destroy: true } } : {}),
    provisioner: provisioners,
  };
}

/** Builds the stand-in configuration of a stack's graph (see the file comment). */
export function buildStandIn(graph: StackGraph, options: StandInOptions): StandIn {
  const names = new Map<string, string>();
  const resources: Record<string, JsonObject> = {};
  for (const node of graph.nodes.values()) {
    const name = standInName(node.address);
    if (resources[name]) throw new Error(`${graph.stack}: two addresses map to the stand-in name ${name}`);
    names.set(node.address, name);
    resources[name] = standInResource(node, graph, options);
  }
  const config: JsonObject = {
    "//": `Rehearsal stand-in for stack ${graph.stack}: every block is a terraform_data with the same edges.`,
    ...(Object.keys(resources).length > 0 ? { resource: { terraform_data: resources } } : {}),
  };
  return { stack: graph.stack, config, names };
}
