import type { TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/schema";
import { cloudBackend } from "./cloud";
import { localBackend } from "./local";
import { s3Backend } from "./s3";
import type { BackendOf, BackendTarget, BackendType } from "./types";

export { cloudWorkspaceName } from "./cloud";
export type { BackendOf, BackendTarget, BackendType } from "./types";

/**
 * One state per stack; one file per backend type. Exhaustive by type: a backend type added to the config
 * schema without a renderer here does not compile. cdktf turns cross-stack references into remote-state reads
 * matching the backend.
 */
const BACKENDS: { readonly [T in BackendType]: (target: BackendTarget, backend: BackendOf<T>) => void } = {
  local: localBackend,
  s3: s3Backend,
  cloud: cloudBackend,
};

export function configureBackend(
  stack: TerraformStack,
  environment: EnvironmentConfig,
  unit: string,
  stackName: string,
): void {
  const backend = environment.backend;
  const render = BACKENDS[backend.type] as (target: BackendTarget, backend: EnvironmentConfig["backend"]) => void;
  render({ stack, environment, unit, stackName }, backend);
}
