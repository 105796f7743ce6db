import type { ClusterHandle } from "../modules/cluster-handle";
import type { FoundationStack } from "./foundation";

/**
 * The cluster as a later layer sees it: the same attributes (cdktf turns them into foundation outputs and
 * remote-state reads), without the foundation's resources as `depends_on` targets, which cannot cross states.
 * Layer order (stack dependencies) guarantees the access entry exists.
 */
export function clusterFrom(foundation: FoundationStack): ClusterHandle {
  return { ...foundation.cluster, apiAccess: [] };
}
