import {
  asStrings,
  firstBlock,
  referencedAddresses,
  resources,
  type ResourceBlock,
  type StackJson,
} from "../terraform-json";
import { checkEach, defineRule, type PolicyRule, type Violation } from "./types";

/** Resources whose loss loses data or access to data. */
export const STATEFUL_TYPES = ["aws_efs_file_system", "aws_kms_key", "aws_cloudwatch_log_group"];

/** The access policy association that gives the Terraform runner cluster-admin (modules/cluster.ts). */
export const TERRAFORM_ACCESS = "aws_eks_access_policy_association.terraform";

/** An exact version: `1.14.1`, `v1.20.4-eksbuild.2`; no ranges, no `latest`, no wildcards. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** A chart shipped inside the synthesized stack (cdktf asset): pinned by the project's own release. */
const isLocalChart = (chart: unknown) => typeof chart === "string" && /^(\.{1,2}\/|\/)/.test(chart);

const isInCluster = (type: string) => type === "helm_release" || type.startsWith("kubernetes_");

/** Addresses each resource depends on: `depends_on` and references in its arguments (both order a destroy). */
const graphs = new WeakMap<StackJson, Map<string, string[]>>();

/** Built once per stack JSON: several rules walk it, and scanning every string for references is the cost. */
export function dependencyGraph(json: StackJson): Map<string, string[]> {
  const cached = graphs.get(json);
  if (cached) return cached;
  const graph = new Map<string, string[]>();
  graphs.set(json, graph);
  for (const resource of resources(json)) {
    const { "//": _metadata, depends_on: dependsOn, ...rest } = resource.body;
    graph.set(resource.address, [...asStrings(dependsOn), ...referencedAddresses(rest)]);
  }
  return graph;
}

/** Resources that reach `target` through the graph (memoized walk; cycles count as not reaching). */
export function reachesTarget(graph: Map<string, string[]>, target: string): (address: string) => boolean {
  const memo = new Map<string, boolean>();
  const visit = (address: string): boolean => {
    const known = memo.get(address);
    if (known !== undefined) return known;
    memo.set(address, false);
    const result = (graph.get(address) ?? []).some((next) => next === target || visit(next));
    memo.set(address, result);
    return result;
  };
  return visit;
}

function versionProblem(version: unknown, what: string): string | undefined {
  if (typeof version !== "string" || version.trim() === "")
    return `${what} is not pinned: the provider installs whatever is newest at apply time`;
  return EXACT_VERSION.test(version) ? undefined : `${what} "${version}" is not an exact version`;
}

export const SAFETY_RULES: PolicyRule[] = [
  defineRule({
    id: "STATEFUL_PREVENT_DESTROY",
    area: "safety",
    title: `Stateful resources (${STATEFUL_TYPES.join(", ")}) are protected with lifecycle.prevent_destroy`,
    scanners: {},
    fix: "set lifecycle: { preventDestroy: true } on the resource (to really delete one, see the README: Deleting stateful resources)",
    check: ({ json }) =>
      STATEFUL_TYPES.flatMap((type) =>
        checkEach(json, type, (resource) =>
          firstBlock(resource.body.lifecycle)?.prevent_destroy === true
            ? undefined
            : "a destroy or replacement would delete its data (no lifecycle.prevent_destroy)",
        ),
      ),
  }),
  defineRule({
    id: "VERSIONS_PINNED",
    area: "safety",
    title: "Every Helm release and EKS add-on has an exact version (no latest, no ranges)",
    scanners: {},
    fix: "pin the version in modules/versions.ts (PINS), or addons.<name>.version in config",
    check: ({ json }) => [
      ...checkEach(json, "helm_release", (release) =>
        isLocalChart(release.body.chart) ? undefined : versionProblem(release.body.version, "chart version"),
      ),
      ...checkEach(json, "aws_eks_addon", (addon) => versionProblem(addon.body.addon_version, "addon_version")),
    ],
  }),
  defineRule({
    id: "INCLUSTER_AFTER_ACCESS",
    area: "safety",
    title: `In-cluster resources of the cluster's stack depend on ${TERRAFORM_ACCESS}, so a destroy still reaches the cluster`,
    scanners: {},
    fix: `add depends_on ${TERRAFORM_ACCESS} (renderAddons(..., { dependsOn: cluster.apiAccess }); set cluster.access.terraformRoleArn)`,
    check: ({ json }) => {
      if (resources(json, "aws_eks_cluster").length === 0) return [];
      const inCluster: ResourceBlock[] = resources(json).filter((resource) => isInCluster(resource.type));
      if (inCluster.length === 0) return [];
      const hasAccess = resources(json, "aws_eks_access_policy_association").some(
        (association) => association.address === TERRAFORM_ACCESS,
      );
      const reaches = reachesTarget(dependencyGraph(json), TERRAFORM_ACCESS);
      return inCluster
        .filter((resource) => !hasAccess || !reaches(resource.address))
        .map((resource): Violation => ({
          resource,
          problem: hasAccess
            ? `does not depend on ${TERRAFORM_ACCESS}: Terraform may remove cluster access before destroying it`
            : `the stack has no ${TERRAFORM_ACCESS}: nothing guarantees Terraform can reach the cluster`,
        }));
    },
  }),
];
