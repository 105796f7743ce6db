import {
  asList,
  asObject,
  asString,
  dataSources,
  firstBlock,
  isObject,
  releaseValues,
  resources,
  type JsonObject,
  type ResourceBlock,
  type StackJson,
} from "../terraform-json";
import { EGRESS_PATH_TYPES } from "../egress-path";
import { helmSwitchOn, helmTruthy } from "./values-documents";
import { releaseObjects } from "./nodes";
import { dependencyGraph, reachesTarget } from "./safety";
import { defineRule, type PolicyRule, type Violation } from "./types";

/**
 * Rules over the synthesized graph for what only shows when Terraform really runs: schema-valid stacks whose
 * first apply, upgrade or destroy would fail. Each is a class of defect found once and kept out for good.
 */

const clusterOf = (json: StackJson): ResourceBlock | undefined => resources(json, "aws_eks_cluster")[0];

function providerBlocks(json: StackJson, name: string): JsonObject[] {
  const provider = isObject(json.provider) ? json.provider[name] : undefined;
  return asList(provider).filter(isObject);
}

/** The role the stack's AWS provider assumes, if any: the identity its cluster token is minted for. */
function assumedRole(json: StackJson): string | undefined {
  const aws = providerBlocks(json, "aws")[0];
  return asString(firstBlock(aws?.assume_role)?.role_arn);
}

/** Every `token` the Kubernetes and Helm providers use. */
function providerTokens(json: StackJson): string[] {
  const kubernetes = providerBlocks(json, "kubernetes").map((block) => block.token);
  const helm = providerBlocks(json, "helm").map((block) => firstBlock(block.kubernetes)?.token);
  return [...kubernetes, ...helm].filter((token): token is string => typeof token === "string");
}

/** The node agents that must run on a node before it is Ready, as EKS add-on names. */
const NODE_AGENT_ADDONS = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"];

export const FIRST_APPLY_RULES: PolicyRule[] = [
  defineRule({
    id: "ACCESS_FOR_PROVIDER_IDENTITY",
    area: "safety",
    title:
      "The cluster has an admin access entry for the identity the Kubernetes and Helm providers call it as (the assumed role, else the caller's role)",
    scanners: {},
    fix: "remove cluster.access.terraformRoleArn (it defaults to assumeRoleArn), or set it to assumeRoleArn",
    check: ({ json }) => {
      const cluster = clusterOf(json);
      if (!cluster || (providerBlocks(json, "kubernetes").length === 0 && providerBlocks(json, "helm").length === 0))
        return [];
      const principals = resources(json, "aws_eks_access_entry").map(
        (entry) => asString(entry.body.principal_arn) ?? "",
      );
      const role = assumedRole(json);
      const expected = role ?? "${data.aws_iam_session_context.";
      const found = role ? principals.includes(role) : principals.some((principal) => principal.startsWith(expected));
      if (found || (!role && principals.some((principal) => principal.startsWith("arn:")))) return [];
      return [
        {
          resource: cluster,
          problem: role
            ? `no access entry for ${role}, the role the AWS provider assumes and the cluster token is minted for: every in-cluster resource would get 401`
            : "no access entry for the identity running Terraform",
        },
      ];
    },
  }),
  defineRule({
    id: "K8S_AUTH_NOT_AT_PLAN_TIME",
    area: "safety",
    title:
      "The Kubernetes and Helm providers' token is ephemeral (minted at apply), not the aws_eks_cluster_auth data source's 15-minute plan-time token",
    scanners: {},
    fix: "set cluster.kubernetesAuth: ephemeral (the default) or exec",
    check: ({ json }) => {
      const tokens = providerTokens(json);
      return dataSources(json, "aws_eks_cluster_auth")
        .filter((auth) => tokens.some((token) => token.includes(`data.aws_eks_cluster_auth.${auth.name}.`)))
        .map((auth): Violation => ({
          resource: auth,
          problem:
            "the providers' token is read at plan time and expires after 15 minutes: a long first apply, or a Terraform Cloud apply confirmed later, fails with 401",
        }));
    },
  }),
  defineRule({
    id: "NETWORK_OUTLIVES_COMPUTE",
    area: "safety",
    title:
      "The cluster depends on every part of the egress path (route tables and their associations, public and private, routes, NAT gateways and their addresses, internet gateways, VPC endpoints), so destroy removes them after Karpenter's nodes",
    scanners: {},
    fix: "make the cluster depend on the placement's egress (modules/vpc.ts NetworkPlacement.egress)",
    check: ({ json }) => {
      const cluster = clusterOf(json);
      if (!cluster) return [];
      const graph = dependencyGraph(json);
      // By mechanism, not by name: whatever carries a packet from a private subnet to a public AWS endpoint. Only
      // NAT addresses count among the EIPs (an EIP for anything else is not on the path).
      const nats = resources(json, "aws_nat_gateway");
      const egress = [
        ...EGRESS_PATH_TYPES.flatMap((type) => resources(json, type)),
        ...resources(json, "aws_eip").filter((eip) =>
          nats.some((nat) => String(nat.body.allocation_id ?? "").includes(`${eip.address}.`)),
        ),
      ];
      return egress
        .filter((block) => !reachesTarget(graph, block.address)(cluster.address))
        .map((block): Violation => ({
          resource: cluster,
          problem: `does not depend on ${block.address}: destroy may remove it while Karpenter still terminates nodes through it (orphaned instances and ENIs)`,
        }));
    },
  }),
  defineRule({
    id: "NODE_AGENTS_BEFORE_CAPACITY",
    area: "nodes",
    title: `Node capacity (Karpenter's node pools) depends on the node agents (${NODE_AGENT_ADDONS.join(", ")}): they come first and go last`,
    scanners: {},
    fix: "node agents provide NODE_AGENTS (runsOn: every-node) and the node pools wait for them",
    check: ({ json }) => {
      const graph = dependencyGraph(json);
      const agents = resources(json, "aws_eks_addon").filter((addon) =>
        NODE_AGENT_ADDONS.includes(String(addon.body.addon_name)),
      );
      const pools = resources(json, "helm_release").filter((release) =>
        releaseObjects(release).some((object) => object.kind === "NodePool"),
      );
      return pools.flatMap((pool) =>
        agents
          .filter((agent) => !reachesTarget(graph, agent.address)(pool.address))
          .map((agent): Violation => ({
            resource: pool,
            problem: `does not depend on ${agent.address}: nodes may launch before ${String(agent.body.addon_name)} runs, or lose it before they drain`,
          })),
      );
    },
  }),
  defineRule({
    id: "NO_BLOCKING_SERVICE_WEBHOOK",
    area: "safety",
    title:
      "The AWS Load Balancer Controller's Service mutator webhook (failurePolicy Fail) is off, or scoped by an objectSelector, so it cannot reject other releases' Services",
    scanners: {},
    fix: "keep enableServiceMutatorWebhook: false, or scope it with serviceMutatorWebhookConfig.objectSelector (docs/network.md)",
    check: ({ json }) =>
      resources(json, "helm_release")
        .filter((release) => release.body.chart === "aws-load-balancer-controller")
        .flatMap((release) => {
          // Read as the chart's webhook.yaml does at the pinned version: `if .Values.enableServiceMutatorWebhook`
          // (default true), and the objectSelector's matchExpressions and matchLabels rendered only when non-empty.
          const { values } = releaseValues(release);
          const enabled = helmSwitchOn(values, "enableServiceMutatorWebhook", true);
          const selector = asObject(asObject(values.serviceMutatorWebhookConfig)?.objectSelector);
          const scoped = helmTruthy(selector?.matchExpressions) || helmTruthy(selector?.matchLabels);
          return enabled && !scoped
            ? [
                {
                  resource: release,
                  problem:
                    "the Service mutator webhook rejects every Service created while the controller is not ready (aws-load-balancer-controller#4140)",
                },
              ]
            : [];
        }),
  }),
];
