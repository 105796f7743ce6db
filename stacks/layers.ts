import type { ITerraformDependable } from "cdktf";
import type { ClusterHandle } from "../modules/cluster-handle";
import type { EnvironmentConfig } from "../modules/config/schema";
import type { CapabilityRegistry } from "../modules/engine/capabilities";
import type { Layer } from "../modules/layers";
import { clusterFrom } from "./cluster-consumer";
import { buildFoundation } from "./foundation";
import type { LayerStack } from "./layer-stack";
import { buildStorage } from "./storage";

/** What a layer's own resources give its add-ons. */
export interface LayerBase {
  readonly cluster: ClusterHandle;
  /** What everything in-cluster waits for (Terraform's access entry; only the foundation has it in-state). */
  readonly apiAccess?: ReadonlyArray<ITerraformDependable>;
}

export interface LayerBuildInput {
  readonly environment: EnvironmentConfig;
  /** The earlier layers' stacks this layer reads (the layer table's `reads`). */
  readonly reads: ReadonlyMap<Layer, LayerStack>;
  /** Where the layer's resources provide capabilities to its add-ons. */
  readonly capabilities: CapabilityRegistry;
}

export type LayerBuilder = (stack: LayerStack, input: LayerBuildInput) => LayerBase;

/** A layer with no resources of its own: the cluster from the foundation, then its add-ons. */
const addonsOnly: LayerBuilder = (_stack, input) => ({ cluster: clusterFrom(input.reads) });

/** Each layer's own resources, before its add-ons. Exhaustive: a layer in the table without a builder does not compile. */
export const LAYER_BUILDERS: { readonly [L in Layer]: LayerBuilder } = {
  foundation: buildFoundation,
  network: addonsOnly,
  storage: buildStorage,
  operators: addonsOnly,
};
