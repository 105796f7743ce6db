import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfigFile } from "../../modules/plan";
import { evaluatePolicy, POLICY_RULES } from "../../modules/policy";
import { environmentProviderGuard, POLICY_PACK_RULE } from "../../modules/policy/provider-guard";
import { fixtureStacks } from "../helpers/fixtures";
import { BOUNDARY_CASES, DEFAULTS_AND_VALUES_CASES } from "../helpers/policy-rule-cases";
import { resource, type Json, type Layer, type RuleCase } from "../helpers/policy-rule-cases/edit";
import { EKS_CASES } from "../helpers/policy-rule-cases/eks";
import { ENCRYPTION_CASES } from "../helpers/policy-rule-cases/encryption";
import { FIRST_APPLY_CASES } from "../helpers/policy-rule-cases/first-apply";
import { IAM_CASES } from "../helpers/policy-rule-cases/iam";
import { NODES_CASES } from "../helpers/policy-rule-cases/nodes";
import { POD_SECURITY_CASES } from "../helpers/policy-rule-cases/pod-security";
import { SAFETY_CASES } from "../helpers/policy-rule-cases/safety";
import { TERRAFORM_CLOUD_CASES } from "../helpers/policy-rule-cases/terraform-cloud";
import { TERRAFORM_VERSION_CASES } from "../helpers/policy-rule-cases/terraform-version";

/**
 * Every rule, against the synthesized example: the example passes, and breaking the example the way the rule
 * forbids makes exactly that rule report the broken resource. Rules whose resources the example lacks
 * (launch templates, VPCs the platform creates) get a small fixture added to the example first. The cases live in
 * __tests__/helpers/policy-rule-cases/, one file per area of modules/policy.
 */

const CASES: RuleCase[] = [
  ...EKS_CASES,
  ...ENCRYPTION_CASES,
  ...IAM_CASES,
  ...NODES_CASES,
  ...SAFETY_CASES,
  ...FIRST_APPLY_CASES,
  ...TERRAFORM_VERSION_CASES,
  ...TERRAFORM_CLOUD_CASES,
  ...DEFAULTS_AND_VALUES_CASES,
  ...BOUNDARY_CASES,
  ...POD_SECURITY_CASES,
];

const ROOT = join(__dirname, "..", "..");
const environment = loadConfigFile(join(ROOT, "config", "example.yaml")).environments[0];
const example = {} as Record<Layer, Json>;

beforeAll(() => {
  const stacks = fixtureStacks("example");
  for (const layer of ["foundation", "network", "storage", "operators"] as const)
    example[layer] = stacks.get(stackName(layer))! as Json;
});

const stackName = (layer: Layer) => `dev-${layer}`;

function findingsOf(layer: Layer, json: Json, rule: string, configure?: RuleCase["environment"]) {
  // A fixed "today", for the rules about dates (EKS_SUPPORT_WINDOW).
  return evaluatePolicy({
    stack: stackName(layer),
    json,
    environment: configure ? configure(environment) : environment,
    now: new Date("2026-12-01T00:00:00Z"),
    guard: environmentProviderGuard(environment, stackName(layer)),
  }).findings.filter((finding) => finding.rule === rule);
}

describe("policy pack on the example", () => {
  it.each(["foundation", "network", "storage", "operators"] as const)(
    "%s passes every rule without waivers",
    (layer) => {
      expect(environment.policy.waivers).toEqual([]);
      const guard = environmentProviderGuard(environment, stackName(layer));
      expect(evaluatePolicy({ stack: stackName(layer), json: example[layer], environment, guard })).toEqual({
        stack: stackName(layer),
        findings: [],
        waived: [],
      });
    },
  );

  it("has a failing case for every rule", () => {
    // POLICY_PACK_ON is judged when a team stack is built, not on JSON: team-stack-guard.test.ts covers it.
    const covered = new Set([...CASES.map((testCase) => testCase.rule), POLICY_PACK_RULE]);
    expect(POLICY_RULES.map((rule) => rule.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  describe.each(CASES)("$rule: $what", ({ rule, layer, address, setup, breakIt, environment: configure }) => {
    it("passes before the change, with the resource in scope", () => {
      const json = structuredClone(example[layer]);
      setup?.(json);
      expect(resource(json, address)).toBeDefined();
      expect(findingsOf(layer, json, rule, configure)).toEqual([]);
    });

    it(`reports ${address} after it`, () => {
      const json = structuredClone(example[layer]);
      setup?.(json);
      breakIt(json);
      const findings = findingsOf(layer, json, rule, configure);
      expect(findings.map((finding) => finding.address)).toContain(address);
      expect(findings[0]).toMatchObject({
        rule,
        stack: stackName(layer),
        problem: expect.any(String),
        fix: expect.any(String),
      });
    });
  });
});

describe("docs/policy.md", () => {
  const rows = readFileSync(join(ROOT, "docs", "policy.md"), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("| `"));

  it.each(POLICY_RULES.map((rule) => [rule.id, rule] as const))("lists %s with its scanner ids", (id, rule) => {
    const row = rows.find((line) => line.startsWith(`| \`${id}\` |`));
    expect(row).toBeDefined();
    for (const scannerId of [...(rule.scanners.checkov ?? []), ...(rule.scanners.trivy ?? [])])
      expect(row).toContain(scannerId);
    // The table's format: | `ID` | area | requires | Checkov | Trivy | usual fix |
    const cells = row!
      .slice(1, -1)
      .split(" | ")
      .map((cell) => cell.trim());
    expect(cells).toHaveLength(6);
    expect(cells[1]).toBe(rule.area);
  });
});
