import { KB100, pool, ROLE, type Case } from "./case";

/**
 * Names the services refuse at apply or later (STS, Terraform Cloud, Kubernetes), unless the config refuses them
 * first.
 */

const taint = (fields: Record<string, unknown>) => pool({ taints: [{ key: "gpu", effect: "NoSchedule", ...fields }] });
const cloud = (fields: Record<string, unknown>) => ({ backend: { type: "cloud", organization: "acme", ...fields } });
const principal = (fields: Record<string, unknown>) => ({
  cluster: { access: { principals: [{ arn: "arn:aws:iam::111111111111:role/ops", level: "view", ...fields }] } },
});

const QUALIFIED = /qualified name: an optional DNS subdomain prefix .* and '\/', then 1-63 letters, digits/;
const LABEL_VALUE =
  /at most 63 characters: letters, digits, '-', '_' and '\.', starting and ending with a letter or digit/;

export const GARBAGE_NAME_CASES: ReadonlyArray<Case> = [
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
];
