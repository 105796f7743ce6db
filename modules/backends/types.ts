import type { TerraformStack } from "cdktf";
import type { BackendConfig } from "../config/backend-schema";
import type { EnvironmentConfig } from "../config/schema";

export type BackendType = BackendConfig["type"];
export type BackendOf<T extends BackendType> = Extract<BackendConfig, { type: T }>;

/** The stack a backend is configured on. */
export interface BackendTarget {
  readonly stack: TerraformStack;
  readonly environment: EnvironmentConfig;
  /**
   * The stack's part of the state key within its environment: the layer (`network`), or `team-<name>` for a team's
   * stack. S3 keys are `<env>/<unit>.tfstate`; stack names (local files, workspaces) are `<env>-<unit>`.
   */
  readonly unit: string;
  readonly stackName: string;
}
