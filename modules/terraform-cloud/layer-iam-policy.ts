import { karpenterNodeRoleName } from "../addons/karpenter/infrastructure";
import type { AddonDefinition } from "../engine/types";
import { roleName } from "../iam/addon-identity";
import { dnsSuffixOf, managedPolicyArn } from "../iam/policy";
import { LAYERS, type Layer } from "../layers";
import type { ManagedEnvironmentPlan } from "./plan";
import { iamArnPrefix, requiredBoundary } from "./settings";
import type { RunPolicyStatement } from "./statements";

/**
 * The IAM a layer's apply role has: its layer's roles and their policies, by EXACT name (not `<cluster>-*`, which
 * would also match another cluster's `<cluster>-eu-*`): the foundation's `<cluster>-cluster`, `-fargate` and
 * `-karpenter-node`, and `<cluster>-<add-on>` for every add-on of the catalog in the layer that has an AWS
 * identity (enabled or not, so switching one on needs no new grant); policies `<role>` and `<role>_<n>`
 * (roleWithPolicies packs large ones). Names are cut as roleName and karpenterNodeRoleName cut them.
 *
 *   - a role is created, or its boundary set, only with `iam:PermissionsBoundary` = the platform's boundary, and
 *     gets policies (the exact AWS managed ones the platform and its add-ons attach, or its layer's) only when it
 *     carries it: a role made before the boundary (or by hand) gets nothing until its layer is applied again;
 *   - a role is passed to the EKS services only (the cluster, Fargate, Pod Identity and add-ons);
 *   - the run policy (run-role-policy.ts) explicitly denies the rest: a role without the boundary, removing it,
 *     anything under /terraform-cloud/, sts:AssumeRole.
 */

/** The AWS managed policies the platform itself attaches (cluster, Fargate, Karpenter's node role). */
const PLATFORM_MANAGED_POLICIES = [
  "AmazonEKSClusterPolicy",
  "AmazonEKSFargatePodExecutionRolePolicy",
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonSSMManagedInstanceCore",
];

/** The services platform roles are passed to: the cluster, Fargate's pod execution, EKS Pod Identity. */
const PASSED_TO = ["eks", "eks-fargate-pods", "pods.eks"];

/** Role writes and the reads the AWS provider makes to refresh and delete them; creation is conditioned below. */
const ROLE_ACTIONS = [
  "iam:DeleteRole",
  "iam:GetRole",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
  "iam:UpdateAssumeRolePolicy",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:ListRolePolicies",
  "iam:ListAttachedRolePolicies",
  "iam:ListInstanceProfilesForRole",
  "iam:DetachRolePolicy",
];
const POLICY_ACTIONS = [
  "iam:CreatePolicy",
  "iam:DeletePolicy",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:ListPolicyVersions",
  "iam:CreatePolicyVersion",
  "iam:DeletePolicyVersion",
  "iam:TagPolicy",
  "iam:UntagPolicy",
];

/** What the platform's IAM names are made from: the catalog's add-ons (name, layer, identity). */
export type CatalogIdentities = ReadonlyArray<Pick<AddonDefinition, "name" | "layer" | "identity">>;

/** Per layer, the exact names of the IAM roles its stack can create for the cluster. */
export function platformRoleNames(clusterName: string, catalog: CatalogIdentities): Readonly<Record<Layer, string[]>> {
  const names = Object.fromEntries(LAYERS.map((layer) => [layer, [] as string[]])) as Record<Layer, string[]>;
  names.foundation.push(
    roleName(clusterName, "cluster"),
    roleName(clusterName, "fargate"),
    karpenterNodeRoleName(clusterName),
  );
  for (const addon of catalog) if (addon.identity) names[addon.layer].push(roleName(clusterName, addon.name));
  return names;
}

/** The AWS managed policies a platform role may get: the platform's own and the catalog's add-ons'. */
export function platformManagedPolicies(catalog: CatalogIdentities): string[] {
  const addons = catalog.flatMap((addon) => addon.identity?.managedPolicies ?? []);
  return [...new Set([...PLATFORM_MANAGED_POLICIES, ...addons])].sort();
}

export function layerIamStatements(
  plan: ManagedEnvironmentPlan,
  layer: Layer,
  catalog: CatalogIdentities,
): RunPolicyStatement[] {
  const { environment } = plan;
  const names = platformRoleNames(plan.clusterName, catalog)[layer];
  if (names.length === 0) return [];
  const iam = iamArnPrefix(environment);
  const roles = names.map((name) => `${iam}:role/${name}`);
  const policies = names.flatMap((name) => [`${iam}:policy/${name}`, `${iam}:policy/${name}_*`]);
  const managed = platformManagedPolicies(catalog).map((name) => managedPolicyArn(environment.region, name));
  const passedTo = PASSED_TO.flatMap((service) => [
    ...new Set([`${service}.amazonaws.com`, `${service}.${dnsSuffixOf(environment.region)}`]),
  ]);
  return [
    { Sid: "LayerRoles", Effect: "Allow", Action: ROLE_ACTIONS, Resource: roles },
    // CreateRole and PutRolePermissionsBoundary carry no policy ARN (IfExists); AttachRolePolicy must name one.
    {
      Sid: "LayerRolesCarryTheBoundary",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:AttachRolePolicy"],
      Resource: roles,
      Condition: {
        StringEquals: { "iam:PermissionsBoundary": requiredBoundary(environment) },
        ArnLikeIfExists: { "iam:PolicyARN": [...managed, ...policies] },
      },
    },
    {
      Sid: "PassLayerRolesToEks",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: roles,
      Condition: { StringEquals: { "iam:PassedToService": passedTo } },
    },
    { Sid: "LayerPolicies", Effect: "Allow", Action: POLICY_ACTIONS, Resource: policies },
  ];
}
