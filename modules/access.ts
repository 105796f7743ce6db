import { Construct } from "constructs";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import type { EnvironmentConfig } from "./config/schema";
import { stableId } from "./naming";
export { ACCESS_POLICIES, accessPolicyArn, principalId } from "./access-names";
import { accessPolicyArn, principalId } from "./access-names";

export interface ClusterAccessProps {
  readonly environment: EnvironmentConfig;
  /** The cluster's name as a reference to the cluster resource, so entries wait for it. */
  readonly clusterName: string;
}

/**
 * People and pipelines in the cluster ("idp-roles"): one access entry per configured principal, with its
 * Kubernetes groups, and one access policy association for its level, cluster-wide or limited to namespaces.
 * Nobody gets access implicitly: the cluster creator's admin is off and the list is the whole truth.
 */
export class ClusterAccess extends Construct {
  readonly entries: ReadonlyArray<EksAccessEntry>;
  readonly associations: ReadonlyArray<EksAccessPolicyAssociation>;

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    const env = props.environment;
    const entries: EksAccessEntry[] = [];
    const associations: EksAccessPolicyAssociation[] = [];
    for (const principal of env.cluster.access.principals) {
      const address = principalId(principal.arn);
      const entry = stableId(
        new EksAccessEntry(this, `${address}-entry`, {
          clusterName: props.clusterName,
          principalArn: principal.arn,
          type: "STANDARD",
          kubernetesGroups: principal.groups ? [...principal.groups] : undefined,
        }),
        address,
      );
      entries.push(entry);
      if (!principal.level) continue;
      associations.push(
        stableId(
          new EksAccessPolicyAssociation(this, `${address}-policy`, {
            clusterName: props.clusterName,
            principalArn: entry.principalArn,
            policyArn: accessPolicyArn(env.region, principal.level),
            accessScope: principal.namespaces
              ? { type: "namespace", namespaces: [...principal.namespaces] }
              : { type: "cluster" },
          }),
          address,
        ),
      );
    }
    this.entries = entries;
    this.associations = associations;
  }
}
