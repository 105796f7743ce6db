import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { accessPolicyArn } from "../access";
import type { EnvironmentConfig } from "../config/schema";
import { enabledLayers } from "../layers";
import { stableId } from "../naming";
import { dynamicRunRoleArn } from "./settings";

export interface RunRoleAccessProps {
  readonly environment: EnvironmentConfig;
  /** The cluster's name as a reference to the cluster resource, so entries wait for it. */
  readonly clusterName: string;
}

/**
 * With Terraform Cloud dynamic credentials and no assumeRoleArn, each later layer's workspace runs as its own
 * run role, and its Kubernetes and Helm providers call the cluster as that role: each gets a cluster-admin access
 * entry here, in the foundation, beside the foundation run role's `aws_eks_access_entry.terraform`
 * (modules/cluster.ts). The ARNs are computed, so the foundation does not read the terraform-cloud stack.
 */
export class RunRoleAccess extends Construct {
  readonly associations: ReadonlyArray<EksAccessPolicyAssociation>;

  constructor(scope: Construct, id: string, props: RunRoleAccessProps) {
    super(scope, id);
    const env = props.environment;
    const associations: EksAccessPolicyAssociation[] = [];
    // An assumed role is every layer's identity: the foundation's one entry covers them. A terraformRoleArn can only
    // be the foundation's run role here (config-issues.ts refuses any other), which leaves the later layers' to add.
    const terraformRole = env.cluster.access.terraformRoleArn;
    const perWorkspace =
      !env.assumeRoleArn && (!terraformRole || terraformRole === dynamicRunRoleArn(env, "foundation"));
    for (const layer of perWorkspace ? enabledLayers(env.layers).filter((layer) => layer !== "foundation") : []) {
      const principalArn = dynamicRunRoleArn(env, layer);
      if (!principalArn) continue;
      const entry = stableId(
        new EksAccessEntry(this, `${layer}-entry`, { clusterName: props.clusterName, principalArn, type: "STANDARD" }),
        `terraform_${layer}`,
      );
      associations.push(
        stableId(
          new EksAccessPolicyAssociation(this, `${layer}-admin`, {
            clusterName: props.clusterName,
            principalArn: entry.principalArn,
            policyArn: accessPolicyArn(env.region, "cluster-admin"),
            accessScope: { type: "cluster" },
          }),
          `terraform_${layer}`,
        ),
      );
    }
    this.associations = associations;
  }
}
