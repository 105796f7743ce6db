import { TerraformStack, Testing } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Release } from "@cdktf/provider-helm/lib/release";
import { withoutRequired } from "../../tools/validate/chart-values";
import { referenceFromData, validateStacks, type Finding } from "../../tools/validate";

/**
 * Chart values against fixture `values.schema.json` files in the dialects upstream charts use:
 * draft-07 with `$defs` + `$ref` (cert-manager), 2020-12 (external-secrets), 2019-09 (aws-ebs-csi-driver) and the
 * unversioned `http://json-schema.org/schema#` with `required` inside `if`/`then` (reloader).
 */

type Json = Record<string, any>;

const CERT_MANAGER_SCHEMA = {
  $defs: {
    "helm-values": {
      type: "object",
      additionalProperties: false,
      properties: {
        crds: { $ref: "#/$defs/helm-values.crds" },
        replicaCount: { type: "number" },
        serviceAccount: {
          type: "object",
          additionalProperties: false,
          properties: { create: { type: "boolean" }, annotations: { type: "object" } },
        },
        extraArgs: { type: "array", items: { type: "string" } },
      },
      required: ["replicaCount"],
    },
    "helm-values.crds": {
      type: "object",
      additionalProperties: false,
      properties: { enabled: { type: "boolean" }, keep: { type: "boolean" } },
    },
  },
  $ref: "#/$defs/helm-values",
  $schema: "http://json-schema.org/draft-07/schema#",
};

const EXTERNAL_SECRETS_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: {
    installCRDs: { type: "boolean" },
    replicaCount: { type: "integer" },
    serviceAccount: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
    webhook: { type: "object", properties: { port: { type: "integer", minimum: 1, maximum: 65535 } } },
  },
  required: ["serviceAccount"],
};

const RELOADER_SCHEMA = {
  $schema: "http://json-schema.org/schema#",
  type: "object",
  properties: {
    reloader: {
      type: "object",
      properties: {
        reloadStrategy: { type: "string", enum: ["default", "env-vars", "annotations"] },
        service: {
          type: "object",
          properties: { ipFamilyPolicy: { type: "string" }, ipFamilies: { type: "array" } },
          allOf: [
            {
              if: { properties: { ipFamilyPolicy: { const: "SingleStack" } }, required: ["ipFamilyPolicy"] },
              then: { properties: { ipFamilies: { maxItems: 1 } } },
            },
          ],
        },
      },
    },
  },
};

const reference = referenceFromData({
  chartSchemas: {
    "cert-manager": { schema: CERT_MANAGER_SCHEMA, version: "1.21.1" },
    "external-secrets": { schema: EXTERNAL_SECRETS_SCHEMA, version: "2.9.0" },
    reloader: { schema: RELOADER_SCHEMA, version: "2.2.16" },
  },
});

function synthValidStack(): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "dev-operators");
  const role = new IamRole(stack, "role", { assumeRolePolicy: "{}" });
  role.overrideLogicalId("cert_manager");
  const release = (id: string, chart: string, version: string, values: Json[], extra: Json = {}): void => {
    new Release(stack, id, {
      name: id,
      chart,
      version,
      values: values.map((v) => JSON.stringify(v)),
      ...extra,
    }).overrideLogicalId(id);
  };
  // `replicaCount` is required by the schema and left to the chart's defaults: not an error offline.
  release("cert_manager", "oci://quay.io/jetstack/charts/cert-manager", "v1.21.1", [
    { crds: { enabled: true }, serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": role.arn } } },
  ]);
  release("external_secrets", "external-secrets", "2.9.0", [
    { installCRDs: true, replicaCount: 2, webhook: { port: 10250 } },
  ]);
  release("reloader", "reloader", "2.2.16", [
    { reloader: { reloadStrategy: "annotations", service: { ipFamilyPolicy: "SingleStack", ipFamilies: ["IPv4"] } } },
  ]);
  release("metrics_server", "metrics-server", "3.13.0", [{ anything: { goes: true } }]);
  return JSON.parse(Testing.synth(stack));
}

function validate(json: Json): Finding[] {
  return validateStacks([{ name: "dev-operators", json }], reference, { checks: ["chart-values"] });
}

const lines = (findings: Finding[], severity = "error"): string[] =>
  findings.filter((f) => f.severity === severity).map((f) => `${f.address}: ${f.message}`);

function broken(edit: (resources: Json) => void): string[] {
  const json = synthValidStack();
  edit(json.resource.helm_release);
  return lines(validate(json));
}

describe("chart values", () => {
  test("valid values pass in all three schema dialects; `required` keys left to chart defaults are not errors", () => {
    expect(validate(synthValidStack())).toEqual([]);
  });

  test("misspelt keys, wrong types and values outside an enum are reported with the values path", () => {
    expect(
      broken((releases) => {
        releases.cert_manager.values = [
          JSON.stringify({ crds: { enabled: "yes", keeep: true }, installCRDs: true, extraArgs: ["--v=2", 3] }),
        ];
        releases.external_secrets.values = [JSON.stringify({ replicaCount: 1.5, webhook: { port: 0 } })];
        releases.reloader.values = [JSON.stringify({ reloader: { reloadStrategy: "restart" } })];
      }),
    ).toEqual([
      "helm_release.cert_manager: values.crds.enabled: must be boolean (cert-manager values schema)",
      "helm_release.cert_manager: values.crds.keeep: unknown field (not in the chart's values schema) (cert-manager values schema)",
      "helm_release.cert_manager: values.extraArgs[1]: must be string (cert-manager values schema)",
      "helm_release.cert_manager: values.installCRDs: unknown field (not in the chart's values schema) (cert-manager values schema)",
      "helm_release.external_secrets: values.replicaCount: must be integer (external-secrets values schema)",
      "helm_release.external_secrets: values.webhook.port: must be >= 1 (external-secrets values schema)",
      'helm_release.reloader: values.reloader.reloadStrategy: must be equal to one of the allowed values: "default", "env-vars", "annotations" (reloader values schema)',
    ]);
  });

  test("`required` inside if/then still selects the branch: SingleStack allows one IP family", () => {
    expect(
      broken((releases) => {
        releases.reloader.values = [
          JSON.stringify({ reloader: { service: { ipFamilyPolicy: "SingleStack", ipFamilies: ["IPv4", "IPv6"] } } }),
        ];
      }),
    ).toEqual([
      "helm_release.reloader: values.reloader.service.ipFamilies: must NOT have more than 1 items (reloader values schema)",
    ]);
    expect(
      broken((releases) => {
        releases.reloader.values = [JSON.stringify({ reloader: { service: { ipFamilies: ["IPv4", "IPv6"] } } })];
      }),
    ).toEqual([]);
  });

  test("values documents merge in order (YAML or JSON), then `set` entries apply, as Helm does", () => {
    expect(
      broken((releases) => {
        releases.external_secrets.values = [
          JSON.stringify({ replicaCount: "two" }),
          "replicaCount: 2\nwebhook:\n  port: 9443\n",
        ];
      }),
    ).toEqual([]);
    expect(
      broken((releases) => {
        releases.external_secrets.values.push("webhook:\n  port: 70000\n");
        releases.external_secrets.set = [
          { name: "installCRDs", value: "maybe" },
          { name: "replicaCount", value: "3" },
        ];
      }),
    ).toEqual([
      "helm_release.external_secrets: values.installCRDs: must be boolean (external-secrets values schema)",
      "helm_release.external_secrets: values.webhook.port: must be <= 65535 (external-secrets values schema)",
    ]);
  });

  test("tokens are accepted where any value is expected; computed documents are skipped; broken YAML is an error", () => {
    const json = synthValidStack();
    json.resource.helm_release.external_secrets.values.push(
      JSON.stringify({ replicaCount: "${var.replicas}" }),
      "${jsonencode(local.extra)}",
    );
    json.resource.helm_release.reloader.values.push("reloader: [unclosed");
    const findings = validate(json);
    expect(lines(findings)).toEqual([
      "helm_release.reloader: values[1]: not valid YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 20",
    ]);
    expect(lines(findings, "skipped")).toEqual([
      "helm_release.external_secrets: values[2]: computed at apply time; not checked against external-secrets values schema",
    ]);
  });

  test("a 2019-09 schema (the EBS CSI driver chart's) compiles and checks the values", () => {
    const ebsSchema = {
      $schema: "https://json-schema.org/draft/2019-09/schema",
      type: "object",
      additionalProperties: false,
      properties: {
        controller: {
          type: "object",
          additionalProperties: false,
          properties: { region: { type: ["string", "null"] }, replicaCount: { type: "integer", minimum: 1 } },
        },
      },
    };
    const app = Testing.app();
    const stack = new TerraformStack(app, "dev-storage");
    const values = { controller: { region: "eu-west-1", replicaCount: 0, replicas: 2 } };
    new Release(stack, "ebs", {
      name: "aws-ebs-csi-driver",
      chart: "aws-ebs-csi-driver",
      version: "2.64.0",
      values: [JSON.stringify(values)],
    }).overrideLogicalId("aws_ebs_csi_driver");
    const findings = validateStacks(
      [{ name: "dev-storage", json: JSON.parse(Testing.synth(stack)) }],
      referenceFromData({ chartSchemas: { "aws-ebs-csi-driver": { schema: ebsSchema, version: "2.64.0" } } }),
      { checks: ["chart-values"] },
    );
    expect(lines(findings)).toEqual([
      "helm_release.aws_ebs_csi_driver: values.controller.replicaCount: must be >= 1 (aws-ebs-csi-driver values schema)",
      "helm_release.aws_ebs_csi_driver: values.controller.replicas: unknown field (not in the chart's values schema) (aws-ebs-csi-driver values schema)",
    ]);
  });

  test("a release pinning another chart version than the schema's is a warning, and still checked", () => {
    const json = synthValidStack();
    json.resource.helm_release.reloader.version = "2.1.0";
    expect(lines(validate(json), "warning")).toEqual([
      "helm_release.reloader: version: release pins reloader 2.1.0, the reference values schema is for 2.2.16; checked against it anyway",
    ]);
  });

  test("withoutRequired drops `required` where it demands values, keeps it where it selects (if, not, oneOf) and keeps properties named `required`", () => {
    const schema = {
      required: ["a"],
      properties: { required: { type: "boolean" }, nested: { required: ["b"], properties: {} } },
      oneOf: [{ required: ["x"] }, { required: ["y"] }],
      allOf: [{ if: { required: ["z"] }, then: { required: ["w"] } }],
      not: { required: ["v"] },
    };
    expect(withoutRequired(schema)).toEqual({
      properties: { required: { type: "boolean" }, nested: { properties: {} } },
      oneOf: [{ required: ["x"] }, { required: ["y"] }],
      allOf: [{ if: { required: ["z"] }, then: {} }],
      not: { required: ["v"] },
    });
  });
});
