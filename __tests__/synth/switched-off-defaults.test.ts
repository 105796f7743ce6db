import { Testing, TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../../modules/config/schema";
import { validateConfig } from "../../modules/plan";
import { evaluatePolicy, type Finding } from "../../modules/policy";
import { MODERN_TLS_POLICY } from "../../modules/policy/defaults";
import { Platform } from "../../stacks/platform";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Issue item 4: a safety default switched off in config is not enough on its own. Deletion protection off, an
 * outdated TLS policy, ACME over http://, an echo server open to the internet (issue 24 item 10), SSM read access
 * to the whole account and S3 state without locking synthesize, but fail the policy pack until a waiver accepts
 * them; KMS keys of another account or region are refused outright.
 */

const switchedOff = minimalEnvironment({
  backend: { type: "s3", bucket: "platform-state-111111111111", useLockfile: false },
  cluster: { deletionProtection: false },
  network: {
    ingress: { sslPolicy: "ELBSecurityPolicy-2016-08" },
    acmeIssuer: { email: "ops@example.com", server: "http://acme.internal/directory" },
    echo: { allowedCidrs: ["0.0.0.0/0"], acknowledgeOpenToInternet: true },
  },
  operators: { externalSecrets: { ssmPathPrefixes: ["/"] } },
});

let environment: EnvironmentConfig;
const findings: Finding[] = [];
const jsons: Array<{ stack: string; json: Record<string, unknown> }> = [];

beforeAll(() => {
  const app = Testing.app();
  const platform = new Platform(app, { config: validateConfig({ environments: [switchedOff] }) });
  app.node
    .findAll()
    .filter(TerraformStack.isStack)
    .forEach((stack) => stack.prepareStack());
  environment = platform.environments[0].environment;
  for (const stack of platform.environments[0].stacks) {
    const json = JSON.parse(Testing.synth(stack));
    jsons.push({ stack: stack.node.id, json });
    findings.push(...evaluatePolicy({ stack: stack.node.id, json, environment }).findings);
  }
});

const where = (rule: string) =>
  findings.filter((finding) => finding.rule === rule).map((finding) => `${finding.stack} ${finding.address}`);

describe("switched-off defaults are policy findings", () => {
  it("deletionProtection: false", () => {
    expect(where("EKS_DELETION_PROTECTION")).toEqual(["dev-foundation aws_eks_cluster.cluster"]);
  });

  it("an outdated network.ingress.sslPolicy, on the class params and the group's owner Ingress", () => {
    expect(where("ALB_TLS_POLICY")).toEqual([
      "dev-network helm_release.alb_ingress_class_params",
      "dev-network kubernetes_ingress_v1.ingress_group",
    ]);
  });

  it("ACME over http://", () => {
    expect(where("ACME_HTTPS")).toEqual(["dev-network helm_release.cert_manager_cluster_issuer"]);
  });

  it("network.echo.allowedCidrs: [0.0.0.0/0], acknowledged", () => {
    expect(where("ECHO_SERVER_RESTRICTED")).toEqual(["dev-network kubernetes_ingress_v1.echo_server"]);
  });

  it('ssmPathPrefixes: ["/"]', () => {
    expect(where("SSM_READ_SCOPED")).toEqual(["dev-operators aws_iam_policy.external_secrets"]);
  });

  it("useLockfile: false, on every stack's backend", () => {
    expect(where("STATE_LOCKING")).toEqual(
      ["dev-foundation", "dev-network", "dev-storage", "dev-operators"].map((stack) => `${stack} terraform.backend.s3`),
    );
  });

  it("each is accepted with a waiver", () => {
    const rules = [
      "EKS_DELETION_PROTECTION",
      "ALB_TLS_POLICY",
      "ACME_HTTPS",
      "ECHO_SERVER_RESTRICTED",
      "SSM_READ_SCOPED",
      "STATE_LOCKING",
    ];
    const waived: EnvironmentConfig = {
      ...environment,
      policy: { waivers: rules.map((rule) => ({ rule, reason: "legacy clients until the Q3 migration (PLAT-123)" })) },
    };
    const remaining = jsons
      .flatMap(({ stack, json }) => evaluatePolicy({ stack, json, environment: waived }).findings)
      .filter((finding) => rules.includes(finding.rule));
    expect(remaining).toEqual([]);
  });
});

describe("ALB TLS policies", () => {
  it.each([
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
    "ELBSecurityPolicy-FS-1-2-2019-08",
  ])("accepts %s", (policy) => expect(MODERN_TLS_POLICY.test(policy)).toBe(true));

  it.each([
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-2015-05",
    "ELBSecurityPolicy-TLS-1-0-2015-04",
    "ELBSecurityPolicy-TLS-1-1-2017-01",
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-TLS13-1-0-2021-06",
    "ELBSecurityPolicy-TLS13-1-1-2021-06",
    "ELBSecurityPolicy-FS-2018-06",
    "ELBSecurityPolicy-FS-1-1-2019-08",
  ])("refuses %s", (policy) => expect(MODERN_TLS_POLICY.test(policy)).toBe(false));
});

describe("KMS keys from another account or region are refused", () => {
  const issues = (overrides: Record<string, unknown>) =>
    issuesOf(() => validateConfig({ environments: [minimalEnvironment(overrides)] }));

  it.each([
    [
      "cluster.kmsKeyArn",
      { cluster: { kmsKeyArn: "arn:aws:kms:eu-west-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab" } },
      /account 999999999999/,
    ],
    [
      "cluster.kmsKeyArn",
      { cluster: { kmsKeyArn: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab" } },
      /in us-east-1, but it is used in eu-west-1/,
    ],
    [
      "operators.externalSecrets.kmsKeyArns[0]",
      {
        operators: {
          externalSecrets: {
            kmsKeyArns: ["arn:aws:kms:eu-central-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
          },
        },
      },
      /KMS keys are regional/,
    ],
    [
      "backend.kmsKeyId",
      {
        backend: {
          type: "s3",
          bucket: "state-bucket",
          region: "us-east-2",
          kmsKeyId: "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        },
      },
      /used in us-east-2/,
    ],
  ])("%s", (path, overrides, message) => {
    expect(issues(overrides)).toContainEqual(
      expect.objectContaining({
        path: `environments[0].${path}`,
        message: expect.stringMatching(message),
        fix: expect.any(String),
      }),
    );
  });

  it("a state bucket's key may live in the bucket's (central) account", () => {
    expect(() =>
      validateConfig({
        environments: [
          minimalEnvironment({
            backend: { type: "s3", bucket: "state-bucket", kmsKeyId: "arn:aws:kms:eu-west-1:222222222222:alias/state" },
          }),
        ],
      }),
    ).not.toThrow();
  });
});
