/**
 * The fuzz test's mutations of a config (fuzz.test.ts): a seeded PRNG, hostile values, the settings worth aiming
 * at, valid settings the policy pack refuses without a waiver, and `mutate`, which applies one to three of them.
 * Plain data and code: the same seed gives the same sequence of cases on every run.
 */

/** mulberry32: a tiny seeded PRNG, so every run mutates the same way. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE: ReadonlyArray<unknown> = [
  '${file("/etc/passwd")}',
  "%{ for x in var.y }x%{ endfor }",
  "${TfToken[TOKEN.7]}",
  "#{TfToken[TOKEN.2]}",
  "abc${",
  "}",
  "$${literal}",
  "",
  " ",
  "\u0000",
  "line\nbreak",
  "x".repeat(3000),
  "aws:reserved",
  "../../../../../etc/state",
  "0.0.0.0/0",
  "1.2.3.4/0",
  "00.0.0.0/0",
  "0.0.0.0/1",
  "10.0.0.1/16",
  "-1",
  "150%",
  "0Gi",
  "0",
  "todo",
  "n/a",
  "2026-02-30",
  "ELBSecurityPolicy-2016-08",
  "http://acme.example/dir",
  "arn:aws:kms:us-east-1:999999999999:alias/x",
  "arn:aws:iam::111111111111:user/ops",
  "__proto__",
  "constructor",
  "1.30",
  "@latest",
  -1,
  0,
  1.5,
  1e308,
  -1.8881545897087626e289,
  2 ** 53,
  true,
  false,
  null,
  [],
  [{}],
  {},
  { hostNetwork: true },
  { privileged: true },
  ["0.0.0.0/1", "128.0.0.0/1"],
  ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60001"],
  { "aws:x": "y" },
  { type: "local", path: "x.tfstate" },
];

/** Settings worth aiming at, beside random ones (relative to an environment or to `defaults`). */
const TARGETS: ReadonlyArray<ReadonlyArray<string>> = [
  ["tags", "team"],
  ["externalId"],
  ["backend"],
  ["backend", "path"],
  ["cluster", "deletionProtection"],
  ["cluster", "kmsKeyArn"],
  ["cluster", "endpoint", "publicAccessCidrs"],
  ["cluster", "endpoint", "acknowledgeOpenToInternet"],
  ["cluster", "name"],
  ["vpc", "publicSubnetIds"],
  ["network", "ingress", "sslPolicy"],
  ["network", "ingress", "inboundCidrs"],
  ["network", "acmeIssuer"],
  ["operators", "externalSecrets", "ssmPathPrefixes"],
  ["karpenter", "rootVolumeSize"],
  ["karpenter", "nodePools"],
  ["addons", "karpenter", "values", "settings", "clusterName"],
  ["addons", "reloader", "values", "reloader", "deployment"],
  ["addons", "external-dns", "values", "extraArgs"],
  ["addons", "metrics-server", "values", "replicas"],
  ["addons", "vpc-cni", "values", "env"],
  ["policy", "waivers"],
  ["cluster", "access", "principals"],
  ["layers", "network"],
  ["name"],
  ["account"],
  ["region"],
];

/** Valid config that the policy pack refuses without a waiver: a switched-off default or a widened privilege. */
const UNWAIVED: ReadonlyArray<readonly [ReadonlyArray<string>, unknown]> = [
  [["cluster", "deletionProtection"], false],
  [["network", "ingress", "sslPolicy"], "ELBSecurityPolicy-2016-08"],
  [["network", "acmeIssuer"], { email: "ops@example.com", server: "http://acme.example/directory" }],
  [["operators", "externalSecrets", "ssmPathPrefixes"], ["/"]],
  [["cluster", "endpoint"], { publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"], acknowledgeOpenToInternet: true }],
  [["addons", "reloader", "values"], { reloader: { deployment: { hostNetwork: true } } }],
  [["addons", "metrics-server", "values"], { args: ["--kubelet-insecure-tls"] }],
];

type Node = Record<string, unknown> | unknown[];

function setOwn(target: Node, key: string | number, value: unknown): void {
  // defineProperty: a `__proto__` key stays a key, as a YAML parser reads it, instead of becoming the prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Every container in the document with its path, for random mutation points. */
function containers(
  value: unknown,
  path: Array<string | number> = [],
  found: Array<{ node: Node; path: Array<string | number> }> = [],
) {
  if (value && typeof value === "object") {
    found.push({ node: value as Node, path });
    for (const [key, inner] of Object.entries(value))
      containers(inner, [...path, Array.isArray(value) ? Number(key) : key], found);
  }
  return found;
}

/** Sets `path` under `base`, creating objects on the way (replacing scalars that are in the way). */
function setPath(base: Record<string, unknown>, path: ReadonlyArray<string>, value: unknown): void {
  let node: Record<string, unknown> = base;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== "object" || Array.isArray(next)) setOwn(node, key, {});
    node = node[key] as Record<string, unknown>;
  }
  setOwn(node, path[path.length - 1], value);
}

/** `config[key]` as an object, made one if an earlier mutation put something else there. */
function objectAt(config: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = config[key];
  if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  setOwn(config, key, {});
  return config[key] as Record<string, unknown>;
}

/** The first environment, or `defaults` when an earlier mutation left no environment to aim at. */
function firstEnvironment(config: Record<string, unknown>): Record<string, unknown> {
  const first: unknown = Array.isArray(config.environments) ? config.environments[0] : undefined;
  return first && typeof first === "object" && !Array.isArray(first)
    ? (first as Record<string, unknown>)
    : objectAt(config, "defaults");
}

/** One case: 1-3 mutations of a fresh copy of `example`, described for the failure message. */
export function mutate(
  example: Record<string, unknown>,
  random: () => number,
): { config: Record<string, unknown>; steps: string[] } {
  const pick = <T>(list: ReadonlyArray<T>): T => list[Math.floor(random() * list.length)];
  const config = structuredClone(example);
  const steps: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let step = 0; step < count; step++) {
    const value = structuredClone(pick(HOSTILE));
    const roll = random();
    if (roll < 0.06) {
      const [target, unwaived] = pick(UNWAIVED);
      setPath(firstEnvironment(config), target, structuredClone(unwaived));
      steps.push(`set ${target.join(".")} = ${JSON.stringify(unwaived)}`);
    } else if (roll < 0.5) {
      const target = pick(TARGETS);
      const base = random() < 0.8 ? firstEnvironment(config) : objectAt(config, "defaults");
      setPath(base, target, value);
      steps.push(`set ${target.join(".")} = ${JSON.stringify(value)?.slice(0, 60)}`);
    } else {
      const { node, path } = pick(containers(config));
      const keys = Object.keys(node);
      if (roll < 0.7 && keys.length > 0) {
        const key = pick(keys);
        setOwn(node, Array.isArray(node) ? Number(key) : key, value);
        steps.push(`replace ${[...path, key].join(".")} with ${JSON.stringify(value)?.slice(0, 60)}`);
      } else if (roll < 0.85 && keys.length > 0 && !Array.isArray(node)) {
        const key = pick(keys);
        delete (node as Record<string, unknown>)[key];
        steps.push(`delete ${[...path, key].join(".")}`);
      } else if (Array.isArray(node) && node.length > 0) {
        node.push(structuredClone(pick(node)));
        steps.push(`duplicate an element of ${path.join(".")}`);
      } else {
        const key = pick(["clsuter", "tags", "values", "extra", "__proto__", "enabled", "x-y"]);
        setOwn(node, Array.isArray(node) ? node.length : key, value);
        steps.push(`add ${[...path, key].join(".")} = ${JSON.stringify(value)?.slice(0, 60)}`);
      }
    }
  }
  return { config, steps };
}
