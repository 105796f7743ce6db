import { validateConfig } from "../../modules/plan";
import { issuesOf } from "../helpers/config";
import { environment } from "../helpers/storage-config";

/** The storage config's refusals (synth/storage.test.ts synthesizes the accepted environments). */

describe("storage config", () => {
  it("refuses the CSI driver without Karpenter, which provides its nodes", () => {
    const issues = issuesOf(() =>
      validateConfig({ environments: [environment("dev", { addons: { karpenter: { enabled: false } } })] }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: "environments[0].addons.karpenter.enabled",
        message: expect.stringContaining("aws-efs-csi-driver depends on karpenter"),
      }),
    );
  });

  it("refuses a GID range that ends before it starts", () => {
    const issues = issuesOf(() =>
      validateConfig({
        environments: [environment("dev", { storage: { storageClass: { gidRangeStart: 5000, gidRangeEnd: 4000 } } })],
      }),
    );
    expect(issues.map((issue) => issue.path)).toContain("environments[0].storage.storageClass.gidRangeEnd");
  });
});
