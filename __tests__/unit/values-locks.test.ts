import { validateConfig } from "../../modules/plan";
import { ADDONS } from "../../modules/addons/catalog";
import { imageValuesFor, isImageValuePath } from "../../modules/engine/images";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Issue 24 items 3 and 4: a lock holds against every way a values document can say the same thing. The image of
 * an add-on that holds an AWS identity is the code that runs under its role: it comes from upstream (or from the
 * environment's `imageRegistryMirror`), never from values, sidecars and extra containers included. A null or
 * non-object parent removes a locked key; environment variables that change the identity (AWS credentials, role,
 * endpoints, external-dns's EXTERNAL_DNS_* flags) and `envFrom` are refused in list and map form.
 */

const issues = (addons: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  issuesOf(() => validateConfig({ environments: [minimalEnvironment({ addons, ...extra })] }));

const accepted = (addons: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  validateConfig({ environments: [minimalEnvironment({ addons, ...extra })] });

const at = (addon: string, path: string) => `environments[0].addons.${addon}.values${path}`;

describe("a null or non-object parent removes the keys locked under it", () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["karpenter", { serviceAccount: null }, ".serviceAccount", /removes serviceAccount\.name/],
    ["karpenter", { settings: null }, ".settings", /removes settings\.clusterName/],
    ["karpenter", { settings: "none" }, ".settings", /removes settings\.clusterName/],
    ["karpenter", { controller: null }, ".controller", /removes controller\.image\.repository/],
    ["cert-manager", { serviceAccount: null }, ".serviceAccount", /removes serviceAccount\.name/],
    ["aws-load-balancer-controller", { serviceAccount: [] }, ".serviceAccount", /removes serviceAccount\.name/],
    ["aws-efs-csi-driver", { controller: { serviceAccount: null } }, ".controller.serviceAccount", /removes/],
  ])("%s %j", (addon, values, path, message) => {
    expect(issues({ [addon]: { values } })).toContainEqual(
      expect.objectContaining({ path: at(addon, path), message: expect.stringMatching(message) }),
    );
  });

  it("reports one issue per parent, not one per key under it", () => {
    const found = issues({ karpenter: { values: { serviceAccount: null } } });
    expect(found.filter((issue) => issue.path === at("karpenter", ".serviceAccount"))).toHaveLength(1);
  });
});

describe("environment variables that change an identity are refused in list and map form", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["external-dns", { env: [{ name: "EXTERNAL_DNS_AWS_ASSUME_ROLE", value: "arn:aws:iam::1:role/x" }] }, ".env[0]"],
    ["external-dns", { env: [{ name: "EXTERNAL_DNS_ZONE_ID_FILTER", value: "Z1" }] }, ".env[0]"],
    ["external-dns", { env: { AWS_ROLE_ARN: "arn:aws:iam::1:role/x" } }, ".env.AWS_ROLE_ARN"],
    ["karpenter", { controller: { env: [{ name: "AWS_ACCESS_KEY_ID", value: "AKIA" }] } }, ".controller.env[0]"],
    ["karpenter", { controller: { env: [{ name: "CLUSTER_NAME", value: "other" }] } }, ".controller.env[0]"],
    ["karpenter", { controller: { envFrom: [{ secretRef: { name: "creds" } }] } }, ".controller.envFrom"],
    ["cert-manager", { extraEnv: [{ name: "AWS_SECRET_ACCESS_KEY", value: "x" }] }, ".extraEnv[0]"],
    [
      "external-secrets",
      { extraEnv: [{ name: "AWS_CONTAINER_CREDENTIALS_FULL_URI", value: "http://x" }] },
      ".extraEnv[0]",
    ],
    [
      "aws-load-balancer-controller",
      { env: { AWS_ENDPOINT_URL_STS: "https://sts.example.com" } },
      ".env.AWS_ENDPOINT_URL_STS",
    ],
    ["aws-load-balancer-controller", { envSecretName: "aws-secret" }, ".envSecretName"],
    ["aws-load-balancer-controller", { awsApiEndpoints: "sts=https://sts.example.com" }, ".awsApiEndpoints"],
    ["vpc-cni", { env: { AWS_WEB_IDENTITY_TOKEN_FILE: "/tmp/token" } }, ".env.AWS_WEB_IDENTITY_TOKEN_FILE"],
    ["external-dns", { extraArgs: ["--aws-assume-role=arn:aws:iam::1:role/x"] }, ".extraArgs"],
  ])("%s %j", (addon, values, path) => {
    expect(issues({ [addon]: { values } })).toContainEqual(
      expect.objectContaining({
        path: at(addon, path),
        message: expect.stringMatching(/identity|the platform/),
      }),
    );
  });

  it("leaves other variables, and add-ons without an identity, alone", () => {
    expect(() =>
      accepted({
        "vpc-cni": { values: { env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" } } },
        karpenter: { values: { controller: { env: [{ name: "LOG_LEVEL", value: "debug" }] } } },
        reloader: { values: { reloader: { deployment: { env: { open: { AWS_PROFILE: "x" } } } } } },
      }),
    ).not.toThrow();
  });
});

describe("the images of add-ons that hold an AWS identity come from upstream or the environment's mirror", () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      "karpenter",
      { controller: { image: { repository: "evil.example.com/karpenter" } } },
      ".controller.image.repository",
    ],
    ["karpenter", { controller: { image: { digest: "sha256:0000" } } }, ".controller.image.digest"],
    ["karpenter", { controller: { image: "evil.example.com/karpenter:latest" } }, ".controller.image"],
    ["karpenter", { controller: { image: null } }, ".controller.image"],
    ["aws-load-balancer-controller", { image: { tag: "v0.0.1" } }, ".image.tag"],
    ["cert-manager", { imageRegistry: "evil.example.com" }, ".imageRegistry"],
    ["cert-manager", { acmesolver: { image: { registry: "evil.example.com" } } }, ".acmesolver.image.registry"],
    ["cert-manager", { webhook: { image: { name: "other" } } }, ".webhook.image.name"],
    ["external-secrets", { global: { repository: "evil.example.com/es" } }, ".global.repository"],
    ["external-secrets", { certController: { image: { flavour: "ubi" } } }, ".certController.image.flavour"],
    [
      "aws-efs-csi-driver",
      { sidecars: { livenessProbe: { image: { repository: "x/y" } } } },
      ".sidecars.livenessProbe.image.repository",
    ],
    ["external-dns", { provider: { webhook: { image: { repository: "x/y" } } } }, ".provider.webhook.image.repository"],
    ["external-dns", { extraContainers: [{ name: "sidecar", image: "x/y:1" }] }, ".extraContainers[0].image"],
    ["vpc-cni", { image: { override: "x/y:1" } }, ".image.override"],
  ])("%s %j", (addon, values, path) => {
    expect(issues({ [addon]: { values } })).toContainEqual(
      expect.objectContaining({
        path: at(addon, path),
        message: expect.stringMatching(/AWS identity/),
        fix: expect.stringMatching(/imageRegistryMirror/),
      }),
    );
  });

  it("still refuses image values when the environment names a mirror", () => {
    expect(
      issues(
        { karpenter: { values: { controller: { image: { repository: "mirror.example.com/karpenter/controller" } } } } },
        {
          imageRegistryMirror: "mirror.example.com",
        },
      ),
    ).toContainEqual(expect.objectContaining({ path: at("karpenter", ".controller.image.repository") }));
  });

  it("accepts pull policies, and any image of an add-on without an identity", () => {
    expect(() =>
      accepted({
        "aws-load-balancer-controller": { values: { image: { pullPolicy: "Always" } } },
        "metrics-server": {
          delivery: "helm",
          values: { image: { repository: "registry.example.com/metrics-server" } },
        },
        reloader: { values: { reloader: { deployment: { image: { tag: "v1.0.0" } } } } },
      }),
    ).not.toThrow();
  });

  it("external-dns's ownership registry (registry: txt) is not an image key", () => {
    expect(isImageValuePath(["registry"])).toBe(false);
    expect(isImageValuePath(["image", "registry"])).toBe(true);
  });

  it("every identity-holding add-on's chart declares where its images are, and each is an image key", () => {
    for (const addon of ADDONS.filter((candidate) => candidate.identity)) {
      for (const delivery of addon.deliveries.filter((candidate) => candidate.kind === "helm")) {
        const images = delivery.kind === "helm" ? (delivery.images ?? []) : [];
        expect({ addon: addon.name, declared: images.length > 0 }).toEqual({ addon: addon.name, declared: true });
        for (const image of images)
          expect({ addon: addon.name, path: image.path, image: isImageValuePath(image.path) }).toEqual({
            addon: addon.name,
            path: image.path,
            image: true,
          });
      }
    }
  });

  it("a mirror replaces the registry of every declared image, path prefixes kept", () => {
    expect(
      imageValuesFor(
        [
          { path: ["controller", "image", "repository"], upstream: "public.ecr.aws/karpenter/controller" },
          { path: ["imageRegistry"], upstream: "quay.io" },
        ],
        "registry.example.com/mirror",
      ),
    ).toEqual({
      controller: { image: { repository: "registry.example.com/mirror/karpenter/controller" } },
      imageRegistry: "registry.example.com/mirror",
    });
    expect(imageValuesFor([{ path: ["image", "repository"], upstream: "ghcr.io/a/b" }], undefined)).toEqual({});
  });

  it("the mirror is a registry host with an optional path, not an image reference", () => {
    for (const mirror of ["https://registry.example.com", "registry.example.com/mirror:latest", "Registry.Example.com"])
      expect(issues({}, { imageRegistryMirror: mirror })).toContainEqual(
        expect.objectContaining({ path: "environments[0].imageRegistryMirror" }),
      );
    expect(() =>
      accepted({}, { imageRegistryMirror: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/mirror" }),
    ).not.toThrow();
  });
});
