/**
 * The platform's layers: one Terraform stack (and state) each per environment, applied in this order. The one
 * place the list is written: the config's `layers` switches, the stacks, the report and the validation rules
 * all read it. A layer reads the cluster (and anything else it needs) from the layers in `reads`, through cdktf
 * cross-stack references, so those are applied before it and destroyed after it.
 */
export const LAYER_TABLE = [
  {
    name: "foundation",
    description: "VPC placement, EKS control plane, access entries, Fargate, Karpenter and the cluster's base add-ons",
    reads: [],
  },
  {
    name: "network",
    description: "cert-manager, AWS Load Balancer Controller with the shared ALB, external-dns, echo server",
    reads: ["foundation"],
  },
  { name: "storage", description: "EFS file system, EFS CSI driver and its StorageClass", reads: ["foundation"] },
  {
    name: "operators",
    description: "External Secrets Operator and its Parameter Store ClusterSecretStore",
    reads: ["foundation"],
  },
] as const satisfies ReadonlyArray<{
  readonly name: string;
  readonly description: string;
  readonly reads: ReadonlyArray<string>;
}>;

export type Layer = (typeof LAYER_TABLE)[number]["name"];
export type LayerInfo = { readonly name: Layer; readonly description: string; readonly reads: ReadonlyArray<Layer> };

/** Layer names in apply order. */
export const LAYERS: ReadonlyArray<Layer> = LAYER_TABLE.map((layer) => layer.name);

export function layerInfo(layer: Layer): LayerInfo {
  return LAYER_TABLE.find((entry) => entry.name === layer) as LayerInfo;
}

/** Position in apply order: a layer may depend only on layers with a lower one. */
export function layerOrder(layer: Layer): number {
  return LAYERS.indexOf(layer);
}

/** The layers switched on whose every read is switched on too (validation refuses the rest). */
export function enabledLayers(switches: Readonly<Record<Layer, boolean>>): Layer[] {
  return LAYERS.filter((layer) => switches[layer] && layerInfo(layer).reads.every((read) => switches[read]));
}
