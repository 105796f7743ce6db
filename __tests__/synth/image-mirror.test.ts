import { Testing } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { ADDONS } from "../../modules/addons/catalog";
import { Platform } from "../../stacks/platform";
import { minimalEnvironment } from "../helpers/config";

/**
 * Issue 24 item 3: with `imageRegistryMirror`, the platform itself points every declared image of the add-ons
 * that hold an AWS identity at the mirror (values cannot: values-locks.test.ts); without it, the releases leave
 * the images to the chart's upstream defaults.
 */

type Json = Record<string, any>;

function releases(overrides: Record<string, unknown>): Map<string, Json> {
  const platform = new Platform(Testing.app(), {
    config: validateConfig({ environments: [minimalEnvironment(overrides)] }),
  });
  const environment = platform.environments[0];
  const found = new Map<string, Json>();
  for (const stack of [environment.foundation, environment.network, environment.storage, environment.operators]) {
    if (!stack) continue;
    const json = JSON.parse(Testing.synth(stack));
    for (const [name, release] of Object.entries<Json>(json.resource?.helm_release ?? {}))
      if (release.values?.[0]) found.set(name, JSON.parse(release.values[0]));
  }
  return found;
}

const valueAt = (values: Json, path: ReadonlyArray<string>): unknown =>
  path.reduce<any>((current, key) => current?.[key], values);

const declared = ADDONS.filter((addon) => addon.identity).flatMap((addon) =>
  addon.deliveries.flatMap((delivery) =>
    delivery.kind === "helm" && addon.defaultDelivery === "helm"
      ? (delivery.images ?? []).map((image) => ({ release: addon.name.replace(/-/g, "_"), image }))
      : [],
  ),
);

describe("imageRegistryMirror", () => {
  const mirrored = releases({
    imageRegistryMirror: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/mirror",
    network: { acmeIssuer: { email: "ops@example.com" } },
  });
  const upstream = releases({});

  it("has declared images to check", () => {
    expect(declared.length).toBeGreaterThan(0);
  });

  it.each(declared.map(({ release, image }) => [release, image.path.join("."), image] as const))(
    "%s %s comes from the mirror, and from upstream without one",
    (release, _, image) => {
      const rest = image.upstream.includes("/") ? image.upstream.slice(image.upstream.indexOf("/")) : "";
      expect(valueAt(mirrored.get(release)!, image.path)).toBe(
        `111111111111.dkr.ecr.eu-west-1.amazonaws.com/mirror${rest}`,
      );
      expect(valueAt(upstream.get(release)!, image.path)).toBeUndefined();
    },
  );
});
