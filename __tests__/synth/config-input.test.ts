import { Testing } from "cdktf";
import {
  ADDONS,
  Platform,
  PlatformConfigError,
  SUPPORTED_KUBERNETES_VERSIONS,
  defineConfig,
  validateConfig,
  type AddonName,
  type KubernetesVersion,
  type PlatformConfigInput,
} from "../../index";

/**
 * A config written in TypeScript is type-checked where it is written (`PlatformConfigInput`, `defineConfig`,
 * `PlatformProps.config`): the `@ts-expect-error` lines below fail `npm run typecheck` if the mistake they mark
 * stops being a type error. Validation still runs on whatever reaches it.
 */

const inline = defineConfig({
  defaults: {
    region: "eu-west-1",
    tags: { team: "payments" },
    cluster: {
      kubernetesVersion: "1.35",
      access: { terraformRoleArn: "arn:aws:iam::111111111111:role/platform-terraform" },
    },
  },
  environments: [
    {
      name: "dev",
      account: "111111111111",
      vpc: {
        id: "vpc-0a1b2c3d4e5f60718",
        privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        publicSubnetIds: [],
      },
      dns: { domain: "dev.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" },
      addons: { "metrics-server": { enabled: false } },
      layers: { storage: false },
    },
  ],
});

it("an inline config type-checks and builds; `defaults` may supply any field", () => {
  const platform = new Platform(Testing.app(), { config: inline, environments: ["dev"] });
  expect(platform.environments[0].stacks.map((stack) => stack.node.id)).toEqual([
    "dev-foundation",
    "dev-network",
    "dev-operators",
  ]);
  expect(platform.environments[0].environment.tags).toEqual({ team: "payments" });
});

it("mistakes are type errors where the config is written", () => {
  const typos: PlatformConfigInput[] = [
    // @ts-expect-error a misspelt field
    { environments: [{ name: "dev", acount: "111111111111" }] },
    // @ts-expect-error a wrong value type
    { environments: [{ name: "dev", layers: { storage: "no" } }] },
    // @ts-expect-error a value outside an enum
    { environments: [{ name: "dev", cluster: { kubernetesAuth: "password" } }] },
    // @ts-expect-error `environments` is required
    { defaults: { region: "eu-west-1" } },
    // @ts-expect-error a Kubernetes version this release does not support
    { environments: [{ name: "dev", cluster: { kubernetesVersion: "1.29" } }] },
    // @ts-expect-error an add-on name the catalog does not have
    { environments: [{ name: "dev", addons: { "metrics-servr": { enabled: false } } }] },
  ];
  expect(typos).toHaveLength(6);
});

/** True when A and B are the same type (not merely assignable one way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Entry = NonNullable<PlatformConfigInput["defaults"]>;

it("the literal types are the support table's versions and the catalog's add-on names", () => {
  // Type-level: a version or add-on added to the table or catalog changes these types with it.
  const versions: Equal<NonNullable<NonNullable<Entry["cluster"]>["kubernetesVersion"]>, KubernetesVersion> = true;
  const names: Equal<keyof NonNullable<Entry["addons"]>, AddonName> = true;
  expect([versions, names]).toEqual([true, true]);
  // Run time: every supported version and every add-on of the catalog is accepted where the types allow it.
  const every = defineConfig({
    environments: SUPPORTED_KUBERNETES_VERSIONS.map((kubernetesVersion, index) => ({
      name: `env${index}`,
      cluster: { kubernetesVersion },
      addons: Object.fromEntries(ADDONS.map((addon) => [addon.name as AddonName, { enabled: true }])),
    })),
  });
  expect(every.environments).toHaveLength(SUPPORTED_KUBERNETES_VERSIONS.length);
});

it("validation still runs: what types cannot know (an account id's digits, a missing field) is reported", () => {
  const incomplete = defineConfig({ environments: [{ name: "dev", account: "12345", region: "eu-west-1" }] });
  expect(() => validateConfig(incomplete)).toThrow(PlatformConfigError);
  expect(() => new Platform(Testing.app(), { config: incomplete })).toThrow(
    /environments\[0\]\.account: must be a 12-digit AWS account id/,
  );
});
