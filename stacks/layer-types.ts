import type { ITerraformDependable, TerraformStack } from "cdktf";
import type { ClusterHandle } from "../modules/cluster-handle";
import type { EnvironmentConfig } from "../modules/config/schema";
import type { CapabilityRegistry } from "../modules/engine/capabilities";
import type { Layer } from "../modules/layers";

/**
 * The types layer builders share (a leaf: it imports no stack file, so the builders, the builder table and
 * LayerStack never import each other in a circle, type-only or not).
 */

/** What a later layer reads of an earlier layer's stack: its cluster (LayerStack has it). */
export interface LayerRead {
  readonly cluster: ClusterHandle;
}

/** What a layer's own resources give its add-ons. */
export interface LayerBase {
  readonly cluster: ClusterHandle;
  /** What everything in-cluster waits for (Terraform's access entry; only the foundation has it in-state). */
  readonly apiAccess?: ReadonlyArray<ITerraformDependable>;
}

export interface LayerBuildInput {
  readonly environment: EnvironmentConfig;
  /** The earlier layers' stacks this layer reads (the layer table's `reads`). */
  readonly reads: ReadonlyMap<Layer, LayerRead>;
  /** Where the layer's resources provide capabilities to its add-ons. */
  readonly capabilities: CapabilityRegistry;
}

/** Builds a layer's own resources into its stack, before its add-ons. */
export type LayerBuilder = (stack: TerraformStack, input: LayerBuildInput) => LayerBase;
