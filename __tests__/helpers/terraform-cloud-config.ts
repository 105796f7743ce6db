import { minimalEnvironment } from "./config";

/**
 * The Terraform Cloud environments the synth tests of Terraform Cloud as code start from (team-workspace,
 * terraform-cloud, terraform-cloud-accounts, terraform-cloud-config, terraform-cloud-permissions): plain data, no
 * cdktf.
 */

/** A cloud backend whose workspaces the platform manages: organization acme, project platform, prefix `eks-`. */
export const MANAGED_CLOUD = {
  type: "cloud",
  organization: "acme",
  project: "platform",
  workspacePrefix: "eks-",
  manageWorkspaces: true,
} as const;

/**
 * The cluster settings of a managed environment: the public endpoint limited to one CIDR (the runs reach it from
 * Terraform Cloud), and no `terraformRoleArn` (the helper's default names a role of account 111111111111).
 */
export const MANAGED_CLUSTER = {
  endpoint: { publicAccessCidrs: ["203.0.113.0/24"] },
  access: { terraformRoleArn: undefined },
};

/**
 * `minimalEnvironment` named `name` on the managed cloud backend with the managed cluster settings; `overrides`
 * replace top-level keys (a `cluster` or `backend` given here replaces the managed one whole).
 */
export function managedEnvironment(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return minimalEnvironment({ name, backend: MANAGED_CLOUD, cluster: MANAGED_CLUSTER, ...overrides });
}

/**
 * The `terraform-cloud-managed` fixture (helpers/fixtures.ts), synthesized once for terraform-cloud.test.ts and
 * terraform-cloud-credentials.test.ts: two environments in two accounts manage their workspaces (dev: hosted runners,
 * its run roles build the platform; prod: agents, its run roles assume the environment's role), one does not (lab).
 */
export function terraformCloudEnvironments(): Record<string, unknown>[] {
  return [
    managedEnvironment("dev"),
    managedEnvironment("prod", {
      account: "222222222222",
      region: "us-east-1",
      assumeRoleArn: "arn:aws:iam::222222222222:role/deploy",
      externalId: "ext-4711",
      backend: { ...MANAGED_CLOUD, executionMode: "agent", agentPoolId: "apool-AbCd1234" },
      cluster: { name: "prod-main", access: { terraformRoleArn: undefined } },
    }),
    minimalEnvironment({ name: "lab", account: "333333333333" }),
  ];
}
