import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigFile, parseConfigText, validateConfig } from "../../modules/plan";
import { formatIssue } from "../../modules/errors";
import { issuesOf, minimalEnvironment as env } from "../helpers/config";

/**
 * Config validation, one mistake at a time: each names its path, the value found and what is allowed. Several
 * mistakes reported at once, defaults and good configs are config.test.ts's.
 */

const withEnvironments =
  (...environments: unknown[]) =>
  () =>
    validateConfig({ environments });
const yaml = (text: string) => () => parseConfigText(text, "platform.yaml");

interface BadInput {
  readonly what: string;
  readonly run: () => unknown;
  readonly path: string;
  /** Must appear in the issue's one-line form (message, value, allowed or fix). */
  readonly says: string;
}

const badInputs: BadInput[] = [
  {
    what: "missing account",
    run: withEnvironments({ ...env(), account: undefined }),
    path: "environments[0].account",
    says: "is required",
  },
  {
    what: "account as a YAML number",
    run: yaml("environments:\n  - name: dev\n    account: 111111111111\n"),
    path: "environments[0].account",
    says: "quote it",
  },
  {
    what: "short account id in the second environment",
    run: withEnvironments(env(), env({ name: "prod", account: "12345" })),
    path: "environments[1].account",
    says: '12-digit AWS account id (got "12345")',
  },
  {
    what: "bad region",
    run: withEnvironments(env({ region: "eu-westt-1" })),
    path: "environments[0].region",
    says: "such as eu-west-1",
  },
  {
    what: "name not DNS-safe",
    run: withEnvironments(env({ name: "Dev_1" })),
    path: "environments[0].name",
    says: "DNS-safe",
  },
  {
    what: "tags of the wrong type",
    run: withEnvironments(env({ tags: { team: 7 } })),
    path: "environments[0].tags.team",
    says: "must be a string (got 7",
  },
  {
    what: "environment is not a mapping",
    run: withEnvironments("dev"),
    path: "environments[0]",
    says: "must be a mapping",
  },
  {
    what: "no environments",
    run: () => validateConfig({ environments: [] }),
    path: "environments",
    says: "at least one environment",
  },
  { what: "config is a list", run: () => validateConfig([]), path: "<root>", says: "must be a mapping" },
  {
    what: "duplicate environment names",
    run: withEnvironments(env(), env({ account: "222222222222" })),
    path: "environments[1].name",
    says: "duplicate environment name (also environments[0].name)",
  },
  {
    what: "CIDR with /33",
    run: withEnvironments(env({ cluster: { endpoint: { publicAccessCidrs: ["10.0.0.0/33"] } } })),
    path: "environments[0].cluster.endpoint.publicAccessCidrs[0]",
    says: "IPv4 CIDR block",
  },
  {
    what: "0.0.0.0/0 without acknowledgement",
    run: withEnvironments(env({ cluster: { endpoint: { publicAccessCidrs: ["0.0.0.0/0"] } } })),
    path: "environments[0].cluster.endpoint.publicAccessCidrs",
    says: "acknowledgeOpenToInternet",
  },
  {
    what: "private and public endpoint both off",
    run: withEnvironments(env({ cluster: { endpoint: { privateAccess: false } } })),
    path: "environments[0].cluster.endpoint.privateAccess",
    says: "nothing can reach the API",
  },
  {
    what: "unsupported Kubernetes version",
    run: withEnvironments(env({ cluster: { kubernetesVersion: "1.20" } })),
    path: "environments[0].cluster.kubernetesVersion",
    says: 'allowed: "1.32", "1.33", "1.34", "1.35"',
  },
  {
    what: "Kubernetes version as a YAML number",
    run: yaml("environments:\n  - cluster:\n      kubernetesVersion: 1.30\n"),
    path: "environments[0].cluster.kubernetesVersion",
    says: "quote it",
  },
  {
    what: "unknown add-on with a suggestion",
    run: withEnvironments(env({ addons: { corednss: {} } })),
    path: "environments[0].addons.corednss",
    says: "did you mean 'coredns'?",
  },
  {
    what: "unknown delivery kind",
    run: withEnvironments(env({ addons: { coredns: { delivery: "kustomize" } } })),
    path: "environments[0].addons.coredns.delivery",
    says: 'allowed: "eks-addon", "helm", "manifests"',
  },
  {
    what: "delivery the add-on does not offer",
    run: withEnvironments(env({ addons: { coredns: { delivery: "helm" } } })),
    path: "environments[0].addons.coredns.delivery",
    says: "allowed: eks-addon",
  },
  {
    what: "add-on version 'latest'",
    run: withEnvironments(env({ addons: { coredns: { version: "latest" } } })),
    path: "environments[0].addons.coredns.version",
    says: "no 'latest'",
  },
  {
    what: "add-on version outside the Kubernetes envelope",
    run: withEnvironments(env({ addons: { coredns: { version: "v1.11.4-eksbuild.40" } } })),
    path: "environments[0].addons.coredns.version",
    says: "allowed: v1.14.3-eksbuild.3",
  },
  {
    what: "add-on values failing the values schema",
    run: withEnvironments(env({ addons: { coredns: { values: { replicaCount: 0 } } } })),
    path: "environments[0].addons.coredns.values.replicaCount",
    says: ">=1",
  },
  {
    what: "Pod Identity agent disabled while Pod Identity is used",
    run: withEnvironments(env({ addons: { "eks-pod-identity-agent": { enabled: false } } })),
    path: "environments[0].addons.eks-pod-identity-agent.enabled",
    says: "used by vpc-cni",
  },
  {
    what: "unknown key with a suggestion",
    run: withEnvironments(env({ regoin: "eu-west-1" })),
    path: "environments[0].regoin",
    says: "did you mean 'region'?",
  },
  {
    what: "unknown nested key with a suggestion",
    run: withEnvironments(env({ cluster: { kubernetesVersoin: "1.35" } })),
    path: "environments[0].cluster.kubernetesVersoin",
    says: "did you mean 'kubernetesVersion'?",
  },
  {
    what: "unknown top-level key",
    run: () => validateConfig({ environments: [env()], defualts: {} }),
    path: "defualts",
    says: "did you mean 'defaults'?",
  },
  {
    what: "unknown backend type",
    run: withEnvironments(env({ backend: { type: "gcs" } })),
    path: "environments[0].backend.type",
    says: 'allowed: "local", "s3", "cloud"',
  },
  {
    what: "s3 backend without a bucket",
    run: withEnvironments(env({ backend: { type: "s3" } })),
    path: "environments[0].backend.bucket",
    says: "is required",
  },
  {
    what: "only one private subnet",
    run: withEnvironments(
      env({
        vpc: { id: "vpc-0a1b2c3d4e5f60718", privateSubnetIds: ["subnet-0a1b2c3d4e5f60001"], publicSubnetIds: [] },
      }),
    ),
    path: "environments[0].vpc.privateSubnetIds",
    says: "at least two private subnets",
  },
  {
    what: "log retention CloudWatch does not offer",
    run: withEnvironments(env({ cluster: { logs: { retentionDays: 2 } } })),
    path: "environments[0].cluster.logs.retentionDays",
    says: "retention periods",
  },
  {
    what: "assumeRole in another account",
    run: withEnvironments(env({ assumeRoleArn: "arn:aws:iam::222222222222:role/deploy" })),
    path: "environments[0].assumeRoleArn",
    says: "a role in account 111111111111",
  },
  {
    what: "externalId without assumeRole",
    run: withEnvironments(env({ externalId: "abc123" })),
    path: "environments[0].externalId",
    says: "only applies with assumeRoleArn",
  },
  {
    what: "layers.foundation off with network on",
    run: withEnvironments(env({ layers: { foundation: false, storage: false, operators: false } })),
    path: "environments[0].layers.foundation",
    says: "read the cluster from foundation",
  },
  {
    what: "mistake inherited from defaults",
    run: () => validateConfig({ defaults: { region: "mars-1" }, environments: [env({ region: undefined })] }),
    path: "defaults.region",
    says: "inherited by environments[0]",
  },
  {
    what: "malformed YAML with its line number",
    run: yaml('environments:\n  - name: dev\n   account: "111111111111"\n'),
    path: "<file> line 3, column 1",
    says: "malformed YAML",
  },
  {
    what: "duplicate YAML key",
    run: yaml("environments: []\nenvironments: []\n"),
    path: "<file> line 2, column 1",
    says: "keys must be unique",
  },
  {
    what: "malformed JSON",
    run: () => parseConfigText('{ "environments": [', "platform.json"),
    path: "<file>",
    says: "malformed JSON",
  },
  { what: "empty file", run: yaml("  \n\n"), path: "<file>", says: "empty" },
  {
    what: "unsupported file type",
    run: () => parseConfigText("environments = []", "platform.toml"),
    path: "<file>",
    says: "allowed: .yaml, .yml, .json",
  },
  {
    what: "file not found",
    run: () => loadConfigFile(join(tmpdir(), "no-such-platform.yaml")),
    path: "<file>",
    says: "config file not found",
  },
];

describe("bad config: path and what is allowed", () => {
  it("covers at least 25 distinct mistakes", () => {
    expect(new Set(badInputs.map((input) => input.what)).size).toBeGreaterThanOrEqual(25);
  });

  it.each(badInputs)("$what -> $path", ({ run, path, says }) => {
    const issues = issuesOf(run);
    const issue = issues.find((candidate) => candidate.path === path);
    expect(issue).toBeDefined();
    expect(formatIssue(issue!)).toContain(says);
  });
});
