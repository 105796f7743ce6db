import { validateConfig } from "../../modules/plan";
import { ebsClassIsDefault } from "../../modules/config/storage-schema";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * The EBS CSI driver's StorageClass settings (`storage.ebs.storageClass`): their defaults, and the refusals that
 * keep a cluster at one default StorageClass and one class per name, each with its path, value and fix.
 */

const issues = (overrides: Record<string, unknown>) =>
  issuesOf(() => validateConfig({ environments: [minimalEnvironment(overrides)] }));
const storageOf = (overrides: Record<string, unknown>) =>
  validateConfig({ environments: [minimalEnvironment(overrides)] }).environments[0].storage;

describe("storage.ebs.storageClass defaults", () => {
  it("is an encrypted gp3 class named gp3 with the platform's key, ext4 and Delete", () => {
    expect(storageOf({}).ebs.storageClass).toEqual({
      name: "gp3",
      encryptionKey: "platform",
      fsType: "ext4",
      reclaimPolicy: "Delete",
    });
  });

  it.each([
    ["nothing said", {}, true],
    ["the EFS class marked default", { storageClass: { isDefault: true } }, false],
    ["the EBS class marked not default", { ebs: { storageClass: { isDefault: false } } }, false],
    [
      "the EFS class marked default and the EBS class not",
      { storageClass: { isDefault: true }, ebs: { storageClass: { isDefault: false } } },
      false,
    ],
    ["the EBS class marked default", { ebs: { storageClass: { isDefault: true } } }, true],
  ])("is the cluster's default class with %s: %s", (_, storage, expected) => {
    expect(ebsClassIsDefault(storageOf({ storage }))).toBe(expected);
  });
});

describe("storage.ebs.storageClass refusals", () => {
  it("refuses two default classes, naming the EBS setting, its value and both ways out", () => {
    const found = issues({
      storage: { storageClass: { isDefault: true }, ebs: { storageClass: { isDefault: true } } },
    });
    expect(found).toEqual([
      {
        path: "environments[0].storage.ebs.storageClass.isDefault",
        message: expect.stringContaining("efs-sc is already the default"),
        value: true,
        fix: "set storage.ebs.storageClass.isDefault: false, or storage.storageClass.isDefault: false",
      },
    ]);
  });

  it("refuses the EFS class's name", () => {
    expect(issues({ storage: { storageClass: { name: "data" }, ebs: { storageClass: { name: "data" } } } })).toEqual([
      {
        path: "environments[0].storage.ebs.storageClass.name",
        message: expect.stringContaining("two classes cannot share a name"),
        value: "data",
        fix: expect.stringContaining("another name"),
      },
    ]);
  });

  it.each([
    [
      "an alias instead of a choice of key",
      { encryptionKey: "aws/ebs" },
      "encryptionKey",
      "aws/ebs",
      /platform.*account-default/,
    ],
    ["a file system the driver does not format", { fsType: "btrfs" }, "fsType", "btrfs", /ext4.*xfs/],
    ["a reclaim policy Kubernetes dropped", { reclaimPolicy: "Recycle" }, "reclaimPolicy", "Recycle", /Delete.*Retain/],
    ["a name that is no DNS label", { name: "GP3" }, "name", "GP3", /./],
    ["a string for a boolean", { isDefault: "yes" }, "isDefault", "yes", /./],
  ])("refuses %s", (_, storageClass, key, value, allowed) => {
    const found = issues({ storage: { ebs: { storageClass } } });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: `environments[0].storage.ebs.storageClass.${key}`, value });
    expect(`${found[0].allowed ?? ""} ${found[0].message} ${found[0].fix ?? ""}`).toMatch(allowed);
  });

  it("refuses a setting it does not have, with a suggestion", () => {
    expect(issues({ storage: { ebs: { storageClass: { reclaimpolicy: "Retain" } } } })).toEqual([
      expect.objectContaining({
        path: "environments[0].storage.ebs.storageClass.reclaimpolicy",
        fix: "did you mean 'reclaimPolicy'?",
      }),
    ]);
  });

  it("refuses the driver without Karpenter, which provides its nodes (it cannot run on Fargate)", () => {
    expect(issues({ addons: { karpenter: { enabled: false } } })).toContainEqual({
      path: "environments[0].addons.karpenter.enabled",
      message: "aws-ebs-csi-driver depends on karpenter, which is disabled (or its layer is off)",
      value: false,
      fix: "enable karpenter or disable aws-ebs-csi-driver",
    });
  });

  it("refuses a Helm value that moves the controller out of the region its policy is scoped to", () => {
    const found = issues({
      addons: { "aws-ebs-csi-driver": { delivery: "helm", values: { controller: { region: "us-east-1" } } } },
    });
    expect(found).toEqual([
      expect.objectContaining({
        path: "environments[0].addons.aws-ebs-csi-driver.values.controller.region",
        message: expect.stringContaining("the region the controller's IAM policy is scoped to"),
      }),
    ]);
  });
});
