import type { Layer } from "../modules/layers";
import { clusterFrom } from "./cluster-consumer";
import { buildFoundation } from "./foundation";
import type { LayerBuilder } from "./layer-types";
export type { LayerBase, LayerBuilder, LayerBuildInput, LayerRead } from "./layer-types";
import { buildStorage } from "./storage";

/** A layer with no resources of its own: the cluster from the foundation, then its add-ons. */
const addonsOnly: LayerBuilder = (_stack, input) => ({ cluster: clusterFrom(input.reads) });

/** Each layer's own resources, before its add-ons. Exhaustive: a layer in the table without a builder does not compile. */
export const LAYER_BUILDERS: { readonly [L in Layer]: LayerBuilder } = {
  foundation: buildFoundation,
  network: addonsOnly,
  storage: buildStorage,
  operators: addonsOnly,
};
