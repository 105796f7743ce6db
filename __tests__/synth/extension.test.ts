import { Testing } from "cdktf";
import { ADDONS, Platform, PlatformConfigError, planPlatform } from "../../index";
import { productImportCycles } from "../../tools/import-cycles";
import { minimalEnvironment } from "../helpers/config";
import { backupOperator, backupReports, undeclaredNeed } from "../fixtures/addons/backup-operator";

/**
 * Adding an add-on is one folder plus one catalog entry: a team's add-on with companions and a capability,
 * planned and built by the unchanged engine and stacks. And the product's modules import no cycle.
 */

type Json = Record<string, any>;
const catalog = [...ADDONS, backupReports, backupOperator];
let operators: Json;

beforeAll(() => {
  const app = Testing.app();
  const platform = new Platform(app, {
    catalog,
    config: {
      environments: [minimalEnvironment({ name: "dev", addons: { "backup-operator": { values: { replicas: 2 } } } })],
    },
  });
  operators = JSON.parse(Testing.synth(platform.environments[0].operators!));
});

const resource = (type: string, name: string): Json => operators.resource[type][name];

it("builds the add-on's companion before its release, and the release waits for it", () => {
  expect(resource("aws_s3_bucket", "backups").bucket).toBe("dev-backups");
  expect(resource("helm_release", "backup_operator").depends_on).toContain("aws_s3_bucket.backups");
  expect(JSON.parse(resource("helm_release", "backup_operator").values[0])).toMatchObject({
    bucket: "dev-backups",
    replicas: 2,
  });
});

it("builds the after-companion once the release is installed", () => {
  expect(resource("helm_release", "backup_default_schedule").depends_on).toEqual(["helm_release.backup_operator"]);
});

it("orders a needer after the provider of its capability, whatever the catalog order, and makes it wait", () => {
  expect(resource("helm_release", "backup_reports").depends_on).toContain("helm_release.backup_default_schedule");
});

it("gives the team's add-on its own identity like any other", () => {
  expect(resource("aws_iam_role", "backup_operator")).toBeDefined();
  expect(resource("aws_eks_pod_identity_association", "backup_operator")).toMatchObject({
    namespace: "backup",
    service_account: "backup-operator",
  });
});

it("accepts overrides for the catalog's add-ons only", () => {
  const bad = { environments: [minimalEnvironment({ addons: { "backup-operater": { enabled: false } } })] };
  expect(() => planPlatform(bad, { catalog })).toThrow(PlatformConfigError);
  expect(() => planPlatform(bad, { catalog })).toThrow(/did you mean 'backup-operator'/);
  expect(() =>
    planPlatform({ environments: [minimalEnvironment({ addons: { "backup-operator": { enabled: false } } })] }),
  ).toThrow(/is not a known setting/);
});

it("refuses a companion that asks for a capability its add-on does not declare", () => {
  expect(
    () =>
      new Platform(Testing.app(), {
        catalog: [...ADDONS, undeclaredNeed],
        config: { environments: [minimalEnvironment()] },
      }),
  ).toThrow(/undeclared-need needs "backup schedules" without declaring it in `needs`/);
});

it("has no import cycles among product files (files, and folders such as config <-> addons)", () => {
  expect(productImportCycles(`${__dirname}/../..`)).toEqual([]);
});

it("has no import cycles counting type-only imports too (`import type`, `typeof import(...)`)", () => {
  expect(productImportCycles(`${__dirname}/../..`, { types: true })).toEqual([]);
});
