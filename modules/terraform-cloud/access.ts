import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import {
  EksAccessPolicyAssociation,
  type EksAccessPolicyAssociationAccessScope,
} from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { accessPolicyArn } from "../access";
import type { EnvironmentConfig } from "../config/schema";
import { partitionOf } from "../iam/policy";
import { enabledLayers, type Layer } from "../layers";
import { logicalName, stableId } from "../naming";
import { runRoleArn, runRolesCallTheCluster, type RunPhase } from "./settings";
import type { TeamWorkspacePlan } from "./team";

export interface RunRoleAccessProps {
  readonly environment: EnvironmentConfig;
  /** The cluster's name as a reference to the cluster resource, so entries wait for it. */
  readonly clusterName: string;
}

/**
 * With Terraform Cloud dynamic credentials and no assumeRoleArn, each workspace's runs call the cluster as its
 * run roles, and they get their access entries here, in the foundation, beside the foundation apply role's
 * `aws_eks_access_entry.terraform` (modules/cluster.ts):
 *   - each later layer's apply role: cluster-admin (`terraform_<layer>`);
 *   - every layer's plan role: AmazonEKSAdminViewPolicy, cluster-wide (`terraform_<layer>_plan`): a plan reads
 *     what the Kubernetes and Helm providers manage, Helm's release Secrets included, which AmazonEKSViewPolicy
 *     leaves out (Amazon EKS User Guide, access policy permissions); it writes nothing.
 * The ARNs are computed, so the foundation does not read the terraform-cloud stack.
 */
export class RunRoleAccess extends Construct {
  readonly associations: ReadonlyArray<EksAccessPolicyAssociation>;

  constructor(scope: Construct, id: string, props: RunRoleAccessProps) {
    super(scope, id);
    const env = props.environment;
    const associations: EksAccessPolicyAssociation[] = [];
    // An assumed role is every layer's identity, plans' too: the foundation's one entry covers them.
    const perWorkspace = runRolesCallTheCluster(env);
    const grant = (layer: Layer, phase: RunPhase, policyArn: string) =>
      associations.push(
        grantRunRole(this, `${layer}-${phase}`, `terraform_${layer}${phase === "plan" ? "_plan" : ""}`, {
          clusterName: props.clusterName,
          principalArn: runRoleArn(env, layer, phase),
          policyArn,
          accessScope: { type: "cluster" },
        }),
      );
    const adminView = `arn:${partitionOf(env.region)}:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy`;
    for (const layer of perWorkspace ? enabledLayers(env.layers) : []) {
      if (layer !== "foundation") grant(layer, "apply", accessPolicyArn(env.region, "cluster-admin"));
      grant(layer, "plan", adminView);
    }
    this.associations = associations;
  }
}

export interface TeamRunRoleAccessProps {
  readonly environment: EnvironmentConfig;
  /** The cluster's name as a reference to the cluster resource, so entries wait for it. */
  readonly clusterName: string;
  readonly team: TeamWorkspacePlan;
}

/**
 * A team stack's run roles in the cluster, beside the layers' (RunRoleAccess), in the foundation: the apply role
 * with the access the team asked for and the plan role with AmazonEKSAdminViewPolicy, both limited to the team's
 * namespaces (`terraform_team_<name>`, `terraform_team_<name>_plan`). Computed ARNs, as the layers'.
 */
export class TeamRunRoleAccess extends Construct {
  readonly associations: ReadonlyArray<EksAccessPolicyAssociation>;

  constructor(scope: Construct, id: string, props: TeamRunRoleAccessProps) {
    super(scope, id);
    const { team, environment } = props;
    const associations: EksAccessPolicyAssociation[] = [];
    this.associations = associations;
    const access = team.access;
    if (!access) return;
    for (const phase of ["apply", "plan"] as const)
      associations.push(
        grantRunRole(this, phase, `terraform_${logicalName(team.unit)}${phase === "plan" ? "_plan" : ""}`, {
          clusterName: props.clusterName,
          principalArn: runRoleArn(environment, team.unit, phase),
          policyArn: phase === "plan" ? access.planPolicyArn : access.applyPolicyArn,
          accessScope: { type: "namespace", namespaces: [...access.namespaces] },
        }),
      );
  }
}

interface RunRoleGrant {
  readonly clusterName: string;
  readonly principalArn: string;
  readonly policyArn: string;
  readonly accessScope: EksAccessPolicyAssociationAccessScope;
}

/**
 * A run role's access entry (`<id>-entry`) and its one access policy association (`<id>-policy`), both at
 * `address` in the stack; returns the association (what waits for the access to exist).
 */
function grantRunRole(scope: Construct, id: string, address: string, grant: RunRoleGrant): EksAccessPolicyAssociation {
  const entry = stableId(
    new EksAccessEntry(scope, `${id}-entry`, {
      clusterName: grant.clusterName,
      principalArn: grant.principalArn,
      type: "STANDARD",
    }),
    address,
  );
  return stableId(
    new EksAccessPolicyAssociation(scope, `${id}-policy`, {
      clusterName: grant.clusterName,
      principalArn: entry.principalArn,
      policyArn: grant.policyArn,
      accessScope: grant.accessScope,
    }),
    address,
  );
}
