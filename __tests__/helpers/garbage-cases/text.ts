import { KB100, pool, type Case } from "./case";

/**
 * Invisible characters (zero-width, bidi overrides, line separators, byte-order marks) and 100 KB strings in free
 * text: tags, and what the report shows reviewers or what names things.
 */

const waiver = (fields: Record<string, unknown>) => ({
  policy: { waivers: [{ rule: "EKS_PUBLIC_ENDPOINT", reason: "accepted for the Q3 migration, OPS-1234", ...fields }] },
});

const INVISIBLE = /visible text: no control characters or invisible formatting characters/;

export const GARBAGE_TEXT_CASES: ReadonlyArray<Case> = [
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
