import type { TerraformStack } from "cdktf";
import type { BackendConfig } from "../config/cluster-schema";
import type { EnvironmentConfig } from "../config/schema";
import type { Layer } from "../layers";

export type BackendType = BackendConfig["type"];
export type BackendOf<T extends BackendType> = Extract<BackendConfig, { type: T }>;

/** The stack a backend is configured on. */
export interface BackendTarget {
  readonly stack: TerraformStack;
  readonly environment: EnvironmentConfig;
  readonly layer: Layer;
  readonly stackName: string;
}
