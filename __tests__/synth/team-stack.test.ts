import { App, Testing } from "cdktf";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { Platform, TeamStack, defineConfig, type EnvironmentEntryInput } from "../../index";
import { minimalEnvironment as env } from "../helpers/config";
import { synthesizeAppOnce } from "../helpers/synth";

/**
 * A team's own stack in an environment (`environment.addStack`): the environment's backend with its own state key,
 * the account-guarded AWS provider, Kubernetes/Helm providers for the cluster read through cross-stack references,
 * applied after the foundation; and a `depends_on` into another stack fails the synth instead of the plan.
 */

/** The admin access entry defaults to the assumed role (or the caller): no role of the helper's account 111111111111. */
const noTerraformRole = { cluster: { access: { terraformRoleArn: undefined } } };

const environments = [
  env({ name: "dev" }),
  env({
    name: "stage",
    account: "222222222222",
    assumeRoleArn: "arn:aws:iam::222222222222:role/deploy",
    externalId: "ext-4711",
    backend: { type: "s3", bucket: "acme-tf-state", keyPrefix: "platform", region: "us-east-1" },
    ...noTerraformRole,
  }),
  env({
    name: "prod",
    account: "333333333333",
    backend: { type: "cloud", organization: "acme", workspacePrefix: "eks-" },
    cluster: { access: { terraformRoleArn: "arn:aws:iam::333333333333:role/platform-terraform" } },
  }),
] as ReadonlyArray<EnvironmentEntryInput>;

/** A team stack using the environment's cluster handle, as the README shows it. */
function payments(stack: TeamStack): void {
  new ConfigMapV1(stack, "settings", {
    metadata: { name: "payments", namespace: "default" },
    data: { cluster: stack.cluster.name },
  });
  new SsmParameter(stack, "endpoint", {
    name: `/payments/${stack.environment.name}/cluster-endpoint`,
    type: "String",
    value: stack.cluster.endpoint,
    dependsOn: stack.cluster.apiAccess,
  });
}

const synthesized = synthesizeAppOnce((app) => {
  const platform = new Platform(app, {
    config: defineConfig({ environments }),
    environments: ["dev", "stage", "prod"],
  });
  for (const environment of platform.environments) environment.addStack("payments", payments, { after: ["network"] });
});
const { stack } = synthesized;

describe("a team stack", () => {
  it("is <env>-team-<name>, applied after the foundation and the layers named in `after`", () => {
    expect(
      Object.keys(synthesized.manifest.stacks)
        .filter((name) => name.includes("team"))
        .sort(),
    ).toEqual(["dev-team-payments", "prod-team-payments", "stage-team-payments"]);
    expect([...synthesized.manifest.stacks["stage-team-payments"].dependencies].sort()).toEqual([
      "stage-foundation",
      "stage-network",
    ]);
  });

  it("has the environment's backend, with a state of its own", () => {
    expect(stack("dev-team-payments").terraform.backend).toEqual({
      local: { path: "../../../terraform.dev-team-payments.tfstate" },
    });
    expect(stack("stage-team-payments").terraform.backend.s3).toMatchObject({
      bucket: "acme-tf-state",
      key: "platform/stage/team-payments.tfstate",
      encrypt: true,
      assume_role: { role_arn: "arn:aws:iam::222222222222:role/deploy", external_id: "ext-4711" },
    });
    expect(stack("prod-team-payments").terraform.cloud).toEqual({
      hostname: "app.terraform.io",
      organization: "acme",
      workspaces: { name: "eks-prod-team-payments" },
    });
  });

  it("has the account-guarded AWS provider with the environment's role and default tags", () => {
    const [aws] = stack("stage-team-payments").provider.aws;
    expect(aws).toMatchObject({
      region: "eu-west-1",
      allowed_account_ids: ["222222222222"],
      assume_role: [
        {
          role_arn: "arn:aws:iam::222222222222:role/deploy",
          external_id: "ext-4711",
          session_name: "cdktf-stage-team-payments",
        },
      ],
    });
    expect(aws.default_tags[0].tags).toMatchObject({
      environment: "stage",
      stack: "stage-team-payments",
      "managed-by": "cdktf-eks-platform",
    });
  });

  it("reads the cluster from the foundation through remote state, and its Kubernetes providers point at it", () => {
    const json = stack("stage-team-payments");
    expect(Object.keys(json.data.terraform_remote_state)).toEqual(["cross-stack-reference-input-stage-foundation"]);
    const alias = json.resource.kubernetes_config_map_v1.settings.provider.split(".")[1];
    const provider = json.provider.kubernetes.find((config: Record<string, string>) => config.alias === alias);
    expect(provider.host).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-stage-foundation\.outputs\./,
    );
    // The team's own cluster call gets its own token, like the layers' (modules/cluster-call-tokens.ts).
    expect(provider.token).toBe(`\${ephemeral.aws_eks_cluster_auth.${alias}.token}`);
    expect(json.ephemeral.aws_eks_cluster_auth[alias].name).toBe("stage");
    expect(json.resource.aws_ssm_parameter.endpoint.value).toMatch(/terraform_remote_state/);
  });

  it("has no depends_on into another stack (the handle's apiAccess is empty)", () => {
    for (const name of ["dev-team-payments", "stage-team-payments", "prod-team-payments"]) {
      expect(JSON.stringify(stack(name))).not.toMatch(/"depends_on":\[[^\]]*terraform_remote_state/);
    }
  });
});

describe("mistakes fail the synth, not the plan", () => {
  const platformOf = (app: App) =>
    new Platform(app, {
      config: {
        environments: [
          env({ name: "dev" }),
          env({
            name: "dev-team",
            account: "444444444444",
            cluster: { access: { terraformRoleArn: "arn:aws:iam::444444444444:role/platform-terraform" } },
          }),
        ],
      },
      environments: ["dev", "dev-team"],
    });

  it("a depends_on on the foundation's own resources, naming the element and the fix", () => {
    const app = Testing.app();
    const dev = platformOf(app).environment("dev")!;
    const team = dev.addStack("reports");
    new SsmParameter(team, "wrong", {
      name: "/x",
      type: "String",
      value: "x",
      dependsOn: dev.foundation!.cluster.apiAccess,
    });
    expect(() => app.synth()).toThrow(
      /dev-team-reports\/wrong: depends_on points into another stack \(data\.terraform_remote_state\..*drop it/,
    );
  });

  it("a name that would share a layer's stack, state and workspace", () => {
    expect(() => platformOf(Testing.app()).environment("dev")!.addStack("foundation")).toThrow(
      /team stack dev-team-foundation would share its name, state and workspace with a platform stack/,
    );
  });

  it("a name that is not DNS-safe, and a layer in `after` the environment does not build", () => {
    const app = Testing.app();
    const platform = new Platform(app, {
      config: { environments: [env({ name: "lab", layers: { network: false } })] },
      environments: ["lab"],
    });
    expect(() => platform.environment("lab")!.addStack("Payments")).toThrow(/must be DNS-safe/);
    expect(() => platform.environment("lab")!.addStack("payments", undefined, { after: ["network"] })).toThrow(
      /after the network layer, which environment lab does not build/,
    );
  });

  it("an environment the config does not have", () => {
    expect(() => platformOf(Testing.app()).environment("prod")).toThrow(
      /no environment 'prod' in the config \(it has dev, dev-team\)/,
    );
  });
});

describe("the environment's cluster handle", () => {
  it("has the foundation's attributes and no apiAccess; the foundation's own keeps its access entry", () => {
    const dev = new Platform(Testing.app(), { config: { environments: [env()] }, environments: ["dev"] })
      .environments[0];
    expect(dev.cluster).toEqual({ ...dev.foundation!.cluster, apiAccess: [] });
    expect(dev.foundation!.cluster.apiAccess.length).toBeGreaterThan(0);
  });
});
