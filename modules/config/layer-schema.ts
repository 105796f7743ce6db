import { z } from "zod";
import { LAYER_TABLE, type Layer } from "../layers";

/** `layers`: one switch per layer stack, each described by what it holds and which layers read it. */
export const layersSchema = z
  .strictObject(
    Object.fromEntries(
      LAYER_TABLE.map((layer) => [layer.name, z.boolean().default(true).describe(layerSwitchDescription(layer))]),
    ) as Record<Layer, z.ZodDefault<z.ZodBoolean>>,
  )
  .prefault({});

function layerSwitchDescription(layer: (typeof LAYER_TABLE)[number]): string {
  const readers = LAYER_TABLE.filter((other) => (other.reads as ReadonlyArray<string>).includes(layer.name)).map(
    (other) => other.name,
  );
  return `The \`<env>-${layer.name}\` stack: ${layer.description}.${readers.length > 0 ? ` The ${readers.join(", ")} layers read it.` : ""}`;
}

export type LayerSwitches = z.output<typeof layersSchema>;
