import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { formatIssue, PlatformConfigError } from "../../modules/errors";
import { loadConfigFile } from "../../modules/plan";
import { synthesizeAtomically } from "../../modules/synth";
import { Platform } from "../../stacks/platform";

/**
 * Careless and hostile input, at random but reproducibly: SEED and CASES fix the mutations (a first slice of one sequence) of
 * config/example.yaml (hostile strings, wrong types, removed and added keys, open CIDRs, locked add-on values,
 * filler waivers ...). Each runs through the real app in-process (loadConfigFile, synthesizeAtomically and
 * Platform, as main.ts does), and for every case:
 *   - it succeeds (exit 0) or fails with a config error or a policy finding (exit 1), never with anything else;
 *   - no failure message carries a stack trace, and every one names a config path;
 *   - a failure leaves the previous output exactly as it was.
 * A handful of child processes check the exit codes of main.ts itself. A failing case prints its seed index and
 * the mutations, to reproduce it.
 */

const SEED = 0x5eed2026;
/** How many mutations: PLATFORM_FUZZ_CASES (CI runs 300; `npm test` a first slice of the same sequence). */
const CASES = fuzzCases(process.env.PLATFORM_FUZZ_CASES);

function fuzzCases(text: string | undefined): number {
  if (text === undefined || text === "") return 60;
  const cases = Number(text);
  if (!Number.isInteger(cases) || cases < 20)
    throw new Error(`PLATFORM_FUZZ_CASES: must be a whole number of at least 20 (got ${JSON.stringify(text)})`);
  return cases;
}
const root = join(__dirname, "..", "..");
const example = parse(readFileSync(join(root, "config", "example.yaml"), "utf8")) as Record<string, unknown>;

/** mulberry32: a tiny seeded PRNG, so every run mutates the same way. */
function prng(seed: number): () => number {
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

/** One case: 1-3 mutations of a fresh copy of the example, described for the failure message. */
function mutate(random: () => number): { config: Record<string, unknown>; steps: string[] } {
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

/** The outdir's files and their contents, as one comparable value. */
function snapshot(dir: string): string {
  const hash = createHash("sha256");
  const visit = (path: string, rel: string) => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) visit(full, `${rel}${name}/`);
      else hash.update(`${rel}${name}\0`).update(readFileSync(full)).update("\0");
    }
  };
  visit(dir, "");
  return hash.digest("hex");
}

interface Outcome {
  readonly code: 0 | 1;
  /** What main.ts would print on stderr. */
  readonly stderr: string;
  /** The config paths a failure names (config issues), or the waivable findings (policy). */
  readonly named: ReadonlyArray<string>;
  readonly unexpected?: unknown;
}

const FINDING = /^\s*\[[\w-]+\] [\w-]+ \S+: \[[A-Z0-9_]+\] .*waive with policy\.waivers: - rule: [A-Z0-9_]+/;

/** The app as main.ts runs it, in-process; what it would exit with and print. */
function runApp(configPath: string, outdir: string): Outcome {
  try {
    const config = loadConfigFile(configPath);
    synthesizeAtomically((app) => void new Platform(app, { config }), outdir);
    return { code: 0, stderr: "", named: [] };
  } catch (error) {
    if (error instanceof PlatformConfigError)
      return {
        code: 1,
        stderr: error.issues.map(formatIssue).join("\n"),
        named: error.issues.map((issue) => issue.path),
      };
    const message = error instanceof Error ? error.message : String(error);
    const lines = message.split("\n").filter((line) => line.trim().startsWith("["));
    const policy =
      message.startsWith("Validation failed with the following errors:") &&
      lines.length > 0 &&
      lines.every((line) => FINDING.test(line));
    return policy
      ? { code: 1, stderr: `synth failed: ${message}`, named: lines.map((line) => /policy\.waivers/.exec(line)![0]) }
      : { code: 1, stderr: message, named: [], unexpected: error };
  }
}

/** A path into the config: it starts at a key the file has (or a top-level key), or names the file or its root. */
function namesConfigPath(path: string, config: Record<string, unknown>): boolean {
  if (path === "<root>" || path === "<file>" || path === "policy.waivers") return true;
  const first = /^([^.[]+)/.exec(path)?.[1];
  return (
    first !== undefined &&
    (["environments", "defaults", "terraformCloud"].includes(first) || Object.keys(config).includes(first))
  );
}

describe(`fuzz: ${CASES} mutations of config/example.yaml (seed ${SEED.toString(16)})`, () => {
  const work = mkdtempSync(join(tmpdir(), "platform-fuzz-"));
  const outdir = join(work, "out");
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  // main.ts in child processes, started first: they run beside the in-process cases (the machine has 2 cores).
  const run = promisify(execFile);
  const first = (example.environments as Array<Record<string, object>>)[0];
  const childCases: Array<[string, Record<string, unknown>, 0 | 1]> = [
    ["valid", example, 0],
    ["config error", { ...example, environments: [{ ...first, tags: { "aws:x": '${file("/etc/passwd")}' } }] }, 1],
    [
      "policy finding",
      { ...example, environments: [{ ...first, cluster: { ...first.cluster, deletionProtection: false } }] },
      1,
    ],
  ];
  const children = childCases.map(async ([name, config, expected]) => {
    const configPath = join(work, `child-${name.replace(/ /g, "-")}.yaml`);
    writeFileSync(configPath, stringify(config));
    const env = {
      ...process.env,
      PLATFORM_CONFIG: configPath,
      CDKTF_OUTDIR: join(work, `child-out-${name.replace(/ /g, "-")}`),
    };
    const result = await run(process.execPath, ["scripts/app.js"], {
      cwd: root,
      env,
      timeout: 60_000,
    }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code ?? -1, stderr: error.stderr ?? "" }),
    );
    return { name, expected, result };
  });

  it("every case exits 0 or 1 with a config path and no stack trace, and a failure leaves the output as it was", () => {
    expect(runApp(join(root, "config", "example.yaml"), outdir).code).toBe(0);
    let previous = snapshot(outdir);
    const random = prng(SEED);
    const tally = { ok: 0, config: 0, policy: 0 };
    const problems: string[] = [];
    for (let index = 0; index < CASES; index++) {
      const { config, steps } = mutate(random);
      const configPath = join(work, `case-${index}.yaml`);
      writeFileSync(configPath, stringify(config));
      const outcome = runApp(configPath, outdir);
      const where = `case ${index} (${steps.join("; ")})`;
      if (outcome.unexpected !== undefined)
        problems.push(`${where}: unexpected ${(outcome.unexpected as Error)?.stack ?? String(outcome.unexpected)}`);
      if (/^\s+at .+\(.*:\d+:\d+\)$/m.test(outcome.stderr)) problems.push(`${where}: stack trace in ${outcome.stderr}`);
      if (
        outcome.code === 1 &&
        (outcome.named.length === 0 || !outcome.named.every((path) => namesConfigPath(path, config)))
      )
        problems.push(`${where}: names no config path: ${outcome.stderr.slice(0, 300)}`);
      if (outcome.code === 1 && snapshot(outdir) !== previous) problems.push(`${where}: the previous output changed`);
      if (outcome.code === 0) previous = snapshot(outdir);
      tally[outcome.code === 0 ? "ok" : outcome.named.includes("policy.waivers") ? "policy" : "config"]++;
    }
    expect(problems).toEqual([]);
    // The mutations reach all three outcomes (a generator that only produced parse errors would prove little).
    expect(tally.ok).toBeGreaterThan(CASES / 60);
    expect(tally.config).toBeGreaterThan(CASES / 2);
    expect(tally.policy).toBeGreaterThan(0);
    process.stdout.write(
      `fuzz: ${CASES} cases: ${tally.ok} ok, ${tally.config} config errors, ${tally.policy} policy findings\n`,
    );
  }, 240_000);

  it("main.ts exits 0 or 1 as the in-process run says, without a stack trace", async () => {
    for (const { name, expected, result } of await Promise.all(children)) {
      expect({ name, code: result.code }).toEqual({ name, code: expected });
      expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      if (expected === 1) expect(result.stderr).toMatch(/environments\[0\]|policy\.waivers/);
    }
  }, 90_000);
});
