import type { ClusterHandle } from "../modules/cluster-handle";
import type { Layer } from "../modules/layers";
import type { LayerRead } from "./layer-types";

/**
 * The cluster as a later layer sees it: the same attributes (cdktf turns them into foundation outputs and
 * remote-state reads), without the foundation's resources as `depends_on` targets, which cannot cross states.
 * Layer order (stack dependencies) guarantees the access entry exists.
 */
export function clusterFrom(reads: ReadonlyMap<Layer, LayerRead>): ClusterHandle {
  const foundation = reads.get("foundation");
  if (!foundation) throw new Error("a layer that reads the cluster must list foundation in its reads");
  return portableCluster(foundation);
}

/**
 * The foundation's cluster as any stack may use it (later layers, team stacks, the environment's `cluster`):
 * attributes only, `apiAccess` empty. Whoever uses it outside the foundation depends on the foundation stack.
 */
export function portableCluster(foundation: LayerRead): ClusterHandle {
  return { ...foundation.cluster, apiAccess: [] };
}
