import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { Platform } from "../../stacks/platform";
import { minimalEnvironment as env } from "../helpers/config";

/**
 * Stacks, provider guards and state: one full app synth (cross-stack references only exist after `app.synth()`)
 * with one environment per backend type, plus one with layers switched off.
 */

const LAYERS = ["foundation", "network", "storage", "operators"] as const;
/** Synthesized Terraform JSON. */
type Json = Record<string, any>;

const environments = [
  env({ name: "dev", tags: { team: "platform" } }),
  env({
    name: "stage",
    account: "222222222222",
    assumeRoleArn: "arn:aws:iam::222222222222:role/deploy",
    externalId: "ext-4711",
    sessionName: "ci-stage",
    backend: { type: "s3", bucket: "acme-tf-state", keyPrefix: "platform", region: "us-east-1" },
    cluster: { access: { terraformRoleArn: "arn:aws:iam::222222222222:role/deploy" } },
  }),
  env({
    name: "prod",
    account: "333333333333",
    assumeRoleArn: "arn:aws:iam::333333333333:role/deploy",
    backend: { type: "cloud", organization: "acme", workspacePrefix: "eks-", project: "platform" },
    cluster: { access: { terraformRoleArn: "arn:aws:iam::333333333333:role/deploy" } },
  }),
  env({ name: "lab", layers: { storage: false, operators: false } }),
];

let outdir: string;
let manifest: Json;
const stacks = new Map<string, Json>();
const stackJson = (name: string): Json => {
  const json = stacks.get(name);
  if (!json) throw new Error(`stack ${name} was not synthesized`);
  return json;
};

beforeAll(() => {
  const app = Testing.app();
  new Platform(app, { config: validateConfig({ environments }) });
  app.synth();
  outdir = app.outdir;
  manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  for (const [name, stack] of Object.entries<{ synthesizedStackPath: string }>(manifest.stacks)) {
    stacks.set(name, JSON.parse(readFileSync(join(outdir, stack.synthesizedStackPath), "utf8")));
  }
}, 120_000);

describe("stacks", () => {
  it("are <env>-<layer>, honouring each environment's layer switches", () => {
    expect(Object.keys(manifest.stacks).sort()).toEqual(
      [
        ...["dev", "lab", "prod", "stage"]
          .flatMap((name) => LAYERS.map((layer) => `${name}-${layer}`))
          .filter((name) => name !== "lab-storage" && name !== "lab-operators"),
      ].sort(),
    );
  });

  it.each(
    ["dev", "stage", "prod"].flatMap((name) =>
      LAYERS.slice(1).map((layer) => [`${name}-${layer}`, `${name}-foundation`]),
    ),
  )("%s depends on %s", (stack, foundation) => {
    expect(manifest.stacks[stack].dependencies).toEqual([foundation]);
  });
});

describe("AWS provider guards", () => {
  it.each(["dev-foundation", "dev-operators", "stage-network", "prod-storage", "lab-network"])(
    "%s only touches its own account, with default tags",
    (name) => {
      const environment = environments.find((e) => name.startsWith(`${e.name}-`))!;
      const [aws] = stackJson(name).provider.aws;
      expect(aws.allowed_account_ids).toEqual([environment.account]);
      expect(aws.region).toBe("eu-west-1");
      expect(aws.default_tags).toEqual([
        {
          tags: {
            ...(environment.tags as object),
            environment: environment.name,
            stack: name,
            "managed-by": "cdktf-eks-platform",
          },
        },
      ]);
    },
  );

  it("assumes the configured role with external id and session name", () => {
    expect(stackJson("stage-network").provider.aws[0].assume_role).toEqual([
      { role_arn: "arn:aws:iam::222222222222:role/deploy", external_id: "ext-4711", session_name: "ci-stage" },
    ]);
  });

  it("names the session after the stack when no session name is given", () => {
    expect(stackJson("prod-operators").provider.aws[0].assume_role).toEqual([
      { role_arn: "arn:aws:iam::333333333333:role/deploy", session_name: "cdktf-prod-operators" },
    ]);
  });

  it("assumes no role when none is configured", () => {
    expect(stackJson("dev-foundation").provider.aws[0].assume_role).toBeUndefined();
  });
});

/** The outputs a later stack reads through remote state exist in the foundation stack. */
function expectReadsResolve(consumer: string, producer: string, remoteState: string): void {
  const text = JSON.stringify(stackJson(consumer));
  const reads = [
    ...text.matchAll(new RegExp(`data\\.terraform_remote_state\\.${remoteState}\\.outputs\\.([\\w-]+)`, "g")),
  ].map((m) => m[1]);
  expect(reads.length).toBeGreaterThan(0);
  expect(Object.keys(stackJson(producer).output)).toEqual(expect.arrayContaining([...new Set(reads)]));
}

describe("local backend", () => {
  it.each(LAYERS)("dev-%s keeps its state in the project root, outside cdktf.out", (layer) => {
    expect(stackJson(`dev-${layer}`).terraform.backend).toEqual({
      local: { path: `../../../terraform.dev-${layer}.tfstate` },
    });
  });

  it("later stacks read foundation's local state file", () => {
    const remote = stackJson("dev-network").data.terraform_remote_state["cross-stack-reference-input-dev-foundation"];
    expect(remote).toMatchObject({ backend: "local", config: { path: "../../../terraform.dev-foundation.tfstate" } });
    expectReadsResolve("dev-network", "dev-foundation", "cross-stack-reference-input-dev-foundation");
  });
});

describe("s3 backend", () => {
  it.each(LAYERS)("stage-%s: <keyPrefix>/<env>/<layer>.tfstate, encrypted, S3-native locking, same role", (layer) => {
    expect(stackJson(`stage-${layer}`).terraform.backend).toEqual({
      s3: {
        bucket: "acme-tf-state",
        key: `platform/stage/${layer}.tfstate`,
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
        assume_role: {
          role_arn: "arn:aws:iam::222222222222:role/deploy",
          external_id: "ext-4711",
          session_name: "ci-stage",
        },
      },
    });
  });

  it("later stacks read foundation's state object from S3", () => {
    const remote =
      stackJson("stage-storage").data.terraform_remote_state["cross-stack-reference-input-stage-foundation"];
    expect(remote).toMatchObject({
      backend: "s3",
      config: {
        bucket: "acme-tf-state",
        key: "platform/stage/foundation.tfstate",
        region: "us-east-1",
        encrypt: true,
        assume_role: { role_arn: "arn:aws:iam::222222222222:role/deploy" },
      },
    });
    expectReadsResolve("stage-storage", "stage-foundation", "cross-stack-reference-input-stage-foundation");
  });
});

describe("Terraform Cloud backend", () => {
  it.each(LAYERS)("prod-%s: one workspace per stack, <prefix><env>-<layer>", (layer) => {
    const json = stackJson(`prod-${layer}`);
    expect(json.terraform.backend).toBeUndefined();
    expect(json.terraform.cloud).toEqual({
      hostname: "app.terraform.io",
      organization: "acme",
      workspaces: { name: `eks-prod-${layer}`, project: "platform" },
    });
  });

  it("later stacks read foundation's workspace through the `remote` backend", () => {
    const remote =
      stackJson("prod-operators").data.terraform_remote_state["cross-stack-reference-input-prod-foundation"];
    expect(remote).toEqual({
      backend: "remote",
      config: { hostname: "app.terraform.io", organization: "acme", workspaces: { name: "eks-prod-foundation" } },
    });
    expectReadsResolve("prod-operators", "prod-foundation", "cross-stack-reference-input-prod-foundation");
  });
});
