import { Construct } from "constructs";
import type { EnvironmentConfig } from "./config/schema";

/** Where the cluster lives: the VPC and its subnets, whether configured or created. */
export interface NetworkPlacement {
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
}

/** Uses the configured VPC and subnets. */
export function networkPlacement(_scope: Construct, environment: EnvironmentConfig): NetworkPlacement {
  const vpc = environment.vpc;
  if (vpc.create) throw new Error("vpc.create is not implemented yet");
  return { vpcId: vpc.id!, privateSubnetIds: vpc.privateSubnetIds!, publicSubnetIds: vpc.publicSubnetIds ?? [] };
}
