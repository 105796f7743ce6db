import { formatIssue } from "../../modules/errors";
import { validateConfig } from "../../modules/plan";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Issue 24 item 9: input that used to be accepted as garbage, and failed at apply or never: invisible Unicode
 * (zero-width, bidi overrides, line separators, byte-order marks) in tags, labels and waiver reasons; an
 * `externalId` or `sessionName` STS refuses; names Terraform Cloud or Kubernetes refuse; 100 KB strings in any
 * free-text field. Each is refused at its exact config path, with a message saying what is allowed.
 */

const ROLE = "arn:aws:iam::111111111111:role/platform-terraform";
const KB100 = "a".repeat(100_000);

const pool = (extra: Record<string, unknown>) => ({ karpenter: { nodePools: [{ name: "gpu", ...extra }] } });
const taint = (fields: Record<string, unknown>) => pool({ taints: [{ key: "gpu", effect: "NoSchedule", ...fields }] });
const cloud = (fields: Record<string, unknown>) => ({ backend: { type: "cloud", organization: "acme", ...fields } });
const principal = (fields: Record<string, unknown>) => ({
  cluster: { access: { principals: [{ arn: "arn:aws:iam::111111111111:role/ops", level: "view", ...fields }] } },
});
const waiver = (fields: Record<string, unknown>) => ({
  policy: { waivers: [{ rule: "EKS_PUBLIC_ENDPOINT", reason: "accepted for the Q3 migration, OPS-1234", ...fields }] },
});

const INVISIBLE = /visible text: no control characters or invisible formatting characters/;
const QUALIFIED = /qualified name: an optional DNS subdomain prefix .* and '\/', then 1-63 letters, digits/;
const LABEL_VALUE =
  /at most 63 characters: letters, digits, '-', '_' and '\.', starting and ending with a letter or digit/;

type Case = readonly [what: string, overrides: Record<string, unknown>, path: string, value: unknown, says: RegExp];

const CASES: ReadonlyArray<Case> = [
  // Tags: AWS takes them, and the console, the bill and IAM conditions then show (or match) something else.
  ["a zero-width space in a tag key", { tags: { "team\u200b": "x" } }, 'tags["team\\u200b"]', "team\u200b", /U\+200B/],
  [
    "a right-to-left override in a tag key",
    { tags: { "\u202eteam": "x" } },
    'tags["\\u202eteam"]',
    "\u202eteam",
    /U\+202E/,
  ],
  ["a byte-order mark in a tag key", { tags: { "\ufeffteam": "x" } }, 'tags["\\ufeffteam"]', "\ufeffteam", /U\+FEFF/],
  [
    "a left-to-right isolate in a tag key",
    { tags: { "te\u2066am": "x" } },
    'tags["te\\u2066am"]',
    "te\u2066am",
    /U\+2066/,
  ],
  [
    "a zero-width joiner in a tag value",
    { tags: { team: "plat\u200dform" } },
    "tags.team",
    "plat\u200dform",
    /U\+200D/,
  ],
  [
    "a right-to-left mark in a tag value",
    { tags: { team: "\u200fplatform" } },
    "tags.team",
    "\u200fplatform",
    /U\+200F/,
  ],
  ["a bidi embedding in a tag value", { tags: { team: "a\u202ab" } }, "tags.team", "a\u202ab", /U\+202A/],
  ["a line separator in a tag value", { tags: { team: "a\u2028b" } }, "tags.team", "a\u2028b", /U\+2028/],
  ["a paragraph separator in a tag value", { tags: { team: "a\u2029b" } }, "tags.team", "a\u2029b", /U\+2029/],
  ["a pop directional isolate in a tag value", { tags: { team: "a\u2069" } }, "tags.team", "a\u2069", /U\+2069/],
  // STS: refused at apply (AssumeRole), after every stack's plan.
  [
    "an externalId with a space",
    { assumeRoleArn: ROLE, externalId: "platform ci" },
    "externalId",
    "platform ci",
    /2-1224 characters of letters, digits and _\+=,\.@:\/-/,
  ],
  [
    "an externalId with a character STS refuses",
    { assumeRoleArn: ROLE, externalId: "ext#id" },
    "externalId",
    "ext#id",
    /2-1224 characters/,
  ],
  [
    "an externalId of 1225 characters",
    { assumeRoleArn: ROLE, externalId: "x".repeat(1225) },
    "externalId",
    "x".repeat(1225),
    /2-1224 characters/,
  ],
  [
    "a sessionName with a slash",
    { assumeRoleArn: ROLE, sessionName: "ci/run" },
    "sessionName",
    "ci/run",
    /2-64 characters of letters, digits and _\+=,\.@-/,
  ],
  [
    "a sessionName of 65 characters",
    { assumeRoleArn: ROLE, sessionName: "s".repeat(65) },
    "sessionName",
    "s".repeat(65),
    /2-64 characters/,
  ],
  // Terraform Cloud: the names end up in the cloud block and the tfe resources; the API refuses them at init or apply.
  [
    "a 100 KB organization name",
    cloud({ organization: KB100 }),
    "backend.organization",
    KB100,
    /1-64 letters, digits, '_' and '-'/,
  ],
  [
    "an organization name with a space",
    cloud({ organization: "acme corp" }),
    "backend.organization",
    "acme corp",
    /letters, digits, '_' and '-'/,
  ],
  [
    "a project name with a zero-width space",
    cloud({ project: "plat\u200bform" }),
    "backend.project",
    "plat\u200bform",
    /1-40 letters, digits, spaces, '-' and '_'/,
  ],
  ["a 100 KB project name", cloud({ project: KB100 }), "backend.project", KB100, /1-40 letters/],
  [
    "a workspace prefix that leaves no room in 90 characters",
    cloud({ workspacePrefix: `${"p".repeat(41)}-` }),
    "backend.workspacePrefix",
    `${"p".repeat(41)}-`,
    /at most 40 letters, digits, '_' and '-'/,
  ],
  ["a 100 KB Terraform Cloud host name", cloud({ hostname: KB100 }), "backend.hostname", KB100, /host name/],
  // Kubernetes: the node pool's manifests fail to apply, after the foundation's AWS resources exist.
  [
    "a taint key with spaces",
    taint({ key: "gpu workload" }),
    "karpenter.nodePools[0].taints[0].key",
    "gpu workload",
    QUALIFIED,
  ],
  [
    "a taint key whose name is over 63 characters",
    taint({ key: `example.com/${"g".repeat(64)}` }),
    "karpenter.nodePools[0].taints[0].key",
    `example.com/${"g".repeat(64)}`,
    QUALIFIED,
  ],
  [
    "a taint key with an upper-case prefix",
    taint({ key: "Example.com/gpu" }),
    "karpenter.nodePools[0].taints[0].key",
    "Example.com/gpu",
    QUALIFIED,
  ],
  ["a taint value with spaces", taint({ value: "a b" }), "karpenter.nodePools[0].taints[0].value", "a b", LABEL_VALUE],
  [
    "a taint value over 63 characters",
    taint({ value: "v".repeat(64) }),
    "karpenter.nodePools[0].taints[0].value",
    "v".repeat(64),
    LABEL_VALUE,
  ],
  [
    "a label key with a zero-width space",
    pool({ labels: { "team\u200b": "x" } }),
    'karpenter.nodePools[0].labels["team\\u200b"]',
    "team\u200b",
    QUALIFIED,
  ],
  [
    "a label key starting with '-'",
    pool({ labels: { "-team": "x" } }),
    'karpenter.nodePools[0].labels["-team"]',
    "-team",
    QUALIFIED,
  ],
  [
    "a label value with spaces",
    pool({ labels: { team: "a b" } }),
    "karpenter.nodePools[0].labels.team",
    "a b",
    LABEL_VALUE,
  ],
  [
    "a label value ending in '-'",
    pool({ labels: { team: "team-" } }),
    "karpenter.nodePools[0].labels.team",
    "team-",
    LABEL_VALUE,
  ],
  [
    "a namespace over 63 characters",
    principal({ namespaces: ["n".repeat(64)] }),
    "cluster.access.principals[0].namespaces[0]",
    "n".repeat(64),
    /DNS-1123 label: 1-63 lower-case letters, digits and '-'/,
  ],
  [
    "a namespace in upper case",
    principal({ namespaces: ["Team"] }),
    "cluster.access.principals[0].namespaces[0]",
    "Team",
    /DNS-1123 label/,
  ],
  [
    "a 100 KB Kubernetes group",
    principal({ groups: [KB100] }),
    "cluster.access.principals[0].groups[0]",
    KB100,
    /at most 128 characters/,
  ],
  // Free text that the report shows reviewers, or that names things: bounded, and visible.
  [
    "a waiver reason with a right-to-left override",
    waiver({ reason: "accepted until \u202eQ3, ticket OPS-1234" }),
    "policy.waivers[0].reason",
    "accepted until \u202eQ3, ticket OPS-1234",
    INVISIBLE,
  ],
  [
    "a 100 KB waiver resource",
    waiver({ resource: KB100 }),
    "policy.waivers[0].resource",
    KB100,
    /at most 512 characters/,
  ],
  [
    "a 100 KB ACME email",
    { network: { acmeIssuer: { email: `${KB100}@example.com` } } },
    "network.acmeIssuer.email",
    `${KB100}@example.com`,
    /at most 254 characters/,
  ],
  [
    "a NUL in a local state path",
    { backend: { type: "local", path: "state\u0000.tfstate" } },
    "backend.path",
    "state\u0000.tfstate",
    INVISIBLE,
  ],
  [
    "a 100 KB S3 key prefix",
    { backend: { type: "s3", bucket: "platform-state", keyPrefix: KB100 } },
    "backend.keyPrefix",
    KB100,
    /at most 512 characters/,
  ],
  [
    "an ELB security policy with trailing garbage",
    { network: { ingress: { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06 \u202e" } } },
    "network.ingress.sslPolicy",
    "ELBSecurityPolicy-TLS13-1-2-2021-06 \u202e",
    /ELBSecurityPolicy- and letters, digits and '-'/,
  ],
  [
    "a 100 KB SSM path prefix",
    { operators: { externalSecrets: { ssmPathPrefixes: [`/${KB100}/`] } } },
    "operators.externalSecrets.ssmPathPrefixes[0]",
    `/${KB100}/`,
    /at most 1011 characters/,
  ],
  [
    "a 100 KB instance family",
    pool({ instanceFamilies: [KB100] }),
    "karpenter.nodePools[0].instanceFamilies[0]",
    KB100,
    /at most 32 characters/,
  ],
  [
    "a 100 KB add-on version",
    { addons: { reloader: { version: `1.2.3-${KB100}` } } },
    "addons.reloader.version",
    `1.2.3-${KB100}`,
    /at most 128 characters/,
  ],
  [
    "a 100 KB KMS key ARN",
    { cluster: { kmsKeyArn: `arn:aws:kms:eu-west-1:111111111111:key/${KB100}` } },
    "cluster.kmsKeyArn",
    `arn:aws:kms:eu-west-1:111111111111:key/${KB100}`,
    /at most 2048 characters/,
  ],
  [
    "a 100 KB domain",
    { dns: { domain: `${"a.".repeat(50_000)}com`, hostedZoneId: "Z0123456789ABCDEFGHIJ" } },
    "dns.domain",
    `${"a.".repeat(50_000)}com`,
    /at most 253 characters/,
  ],
];

describe("garbage is refused at its path, saying what is allowed", () => {
  it("covers at least the 27 kinds of garbage of the issue", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(27);
  });

  it.each(CASES)("%s", (_what, overrides, path, value, says) => {
    const issues = issuesOf(() => validateConfig({ environments: [minimalEnvironment(overrides)] }));
    const found = issues.filter((issue) => issue.path === `environments[0].${path}`);
    expect(found).toEqual([expect.objectContaining({ message: expect.stringMatching(says), value })]);
  });

  it("shows invisible characters in paths and values as escapes, so the reader sees where they are", () => {
    const [issue] = issuesOf(() =>
      validateConfig({ environments: [minimalEnvironment({ tags: { team: "plat\u200bform" } })] }),
    );
    expect(formatIssue(issue)).toContain('got "plat\\u200bform"');
    const [keyIssue] = issuesOf(() =>
      validateConfig({ environments: [minimalEnvironment({ tags: { "te\u202eam": "x" } })] }),
    );
    expect(formatIssue(keyIssue)).toMatch(/^environments\[0\]\.tags\["te\\u202eam"\]: /);
  });

  it("still accepts what the services accept", () => {
    expect(() =>
      validateConfig({
        environments: [
          minimalEnvironment({
            assumeRoleArn: ROLE,
            externalId: "a+b=c,d.e@f:g/h-i_j",
            sessionName: "ci+run=1,x.y@z-w_v",
            tags: { "cost-center": "1234 / shared: yes", Ünïcode: "Zürich – ★" },
            backend: {
              type: "cloud",
              organization: "Acme_Corp-1",
              project: "Platform Team_2",
              workspacePrefix: "eks-",
            },
            cluster: {
              access: {
                principals: [{ arn: "arn:aws:iam::111111111111:role/ops", level: "view", namespaces: ["1-team"] }],
              },
            },
            karpenter: {
              nodePools: [
                {
                  name: "gpu",
                  taints: [{ key: "nvidia.com/gpu", value: "", effect: "NoSchedule" }],
                  labels: { "example.com/team.name": "Team_1.a-b", plain: "" },
                },
              ],
            },
          }),
        ],
      }),
    ).not.toThrow();
  });
});
