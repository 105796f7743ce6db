import { Testing, TerraformStack } from "cdktf";
import { escapeTemplate } from "../../modules/config/escape";
import { templateParts } from "../../modules/hcl/template";
import { planOf, validateConfig } from "../../modules/plan";
import { Platform } from "../../stacks/platform";
import { issuesOf, minimalEnvironment, type StackJson } from "../helpers/config";

/**
 * Issue item 1: config strings never become Terraform expressions. `${file("/etc/passwd")}` anywhere a user
 * writes text reaches cdk.tf.json as `$${file(...)}` (Terraform's literal), exactly once, also inside the JSON
 * documents Helm values and EKS configuration_values are; cdktf's own references beside it stay references.
 */

const EVIL = '${file("/etc/passwd")}';
const ESCAPED = '$${file("/etc/passwd")}';

const environment = minimalEnvironment({
  assumeRoleArn: "arn:aws:iam::111111111111:role/platform-terraform",
  // externalId, node labels and taints take no template at all: their characters are STS's and Kubernetes' own.
  externalId: "platform-ci",
  tags: { team: EVIL, [EVIL]: "key", directive: "%{ if true }x%{ endif }" },
  policy: { waivers: [{ rule: "EKS_PUBLIC_ENDPOINT", reason: `an exception because ${EVIL} says so` }] },
  addons: {
    karpenter: { values: { logLevel: EVIL } },
    reloader: { values: { reloader: { logFormat: EVIL } } },
    "vpc-cni": { values: { env: { EXTRA: EVIL } } },
    "aws-load-balancer-controller": { values: { podLabels: { note: EVIL } } },
  },
});

let json: Record<"foundation" | "network", string>;
let stacks: Record<"foundation" | "network", StackJson>;
let hcl: string;

beforeAll(() => {
  const app = Testing.app();
  const platform = new Platform(app, { config: validateConfig({ environments: [environment] }) });
  app.node
    .findAll()
    .filter(TerraformStack.isStack)
    .forEach((stack) => stack.prepareStack());
  const env = platform.environments[0];
  json = { foundation: Testing.synth(env.foundation!), network: Testing.synth(env.network!) };
  stacks = { foundation: JSON.parse(json.foundation), network: JSON.parse(json.network) };
  hcl = Testing.synthHcl(env.foundation!);
});

/** A Helm release's (first) values document, parsed. */
const releaseValues = (stack: StackJson, name: string) => JSON.parse(stack.resource.helm_release[name].values[0]);

/** Every string of a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([key, inner]) => [key, ...strings(inner)]);
  return [];
}

describe("config strings synthesize as Terraform literals", () => {
  it("tags (keys and values) on the AWS provider; the externalId as it is", () => {
    const provider = stacks.foundation.provider.aws[0];
    expect(provider.default_tags[0].tags).toMatchObject({
      team: ESCAPED,
      [ESCAPED]: "key",
      directive: "%%{ if true }x%%{ endif }",
    });
    expect(provider.assume_role[0].external_id).toBe("platform-ci");
  });

  it("Helm values, once, beside cdktf's own references", () => {
    const karpenter = releaseValues(stacks.foundation, "karpenter");
    expect(karpenter.logLevel).toBe(ESCAPED);
    // The engine's IRSA annotation is still the role's reference, not text.
    expect(karpenter.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toBe("${aws_iam_role.karpenter.arn}");
    expect(karpenter.settings.clusterEndpoint).toBe("${aws_eks_cluster.cluster.endpoint}");
    expect(releaseValues(stacks.foundation, "reloader").reloader.logFormat).toBe(ESCAPED);
    expect(releaseValues(stacks.network, "aws_load_balancer_controller").podLabels.note).toBe(ESCAPED);
  });

  it("EKS configuration_values", () => {
    expect(JSON.parse(stacks.foundation.resource.aws_eks_addon.vpc_cni.configuration_values).env.EXTRA).toBe(ESCAPED);
  });

  it("waiver reasons, which the plan hands on escaped like every other string", () => {
    const config = validateConfig({ environments: [environment] });
    expect(planOf(config)!.environments[0].environment.policy.waivers[0].reason).toBe(
      `an exception because ${ESCAPED} says so`,
    );
  });

  it("Terraform sees no expression made of config text in either stack", () => {
    for (const stack of Object.values(stacks)) {
      for (const text of strings(stack)) {
        const sequences = templateParts(text).filter((part) => part.kind === "sequence");
        expect(sequences.filter((part) => part.text.includes("passwd"))).toEqual([]);
      }
    }
    expect(json.foundation).not.toContain("$$$");
  });

  it("is escaped exactly once in the HCL output too", () => {
    expect(hcl).toContain('team = "$${file(\\"/etc/passwd\\")}"');
    expect(hcl).not.toContain("$$$");
    expect(hcl).not.toMatch(/(?<!\$)\$\{file\(/);
  });

  it("is applied once even when a validated config is planned again", () => {
    const once = validateConfig({ environments: [environment] });
    const again = validateConfig(once);
    expect(again).toBe(once);
    // The validated config holds the user's text (a copy of it is validated again, escaped once); the plan, escaped.
    expect(again.environments[0].tags.team).toBe(EVIL);
    expect(planOf(again)!.environments[0].environment.tags.team).toBe(ESCAPED);
    expect(planOf(again)!.environments[0].addons.addons.find((addon) => addon.name === "reloader")!.userValues).toEqual(
      { reloader: { logFormat: ESCAPED } },
    );
  });

  it("keeps a literal the user escaped already literal ($${ stays the text $${)", () => {
    expect(escapeTemplate("$${x}")).toBe("$$${x}");
    // Terraform reads `$$${x}` as `$` + the escape `$${`: all literal text.
    expect(templateParts("$$${x}").every((part) => part.kind === "literal")).toBe(true);
  });
});

describe("text escaping cannot make plain is refused", () => {
  const refused = (overrides: Record<string, unknown>) =>
    issuesOf(() => validateConfig({ environments: [minimalEnvironment(overrides)] }));

  it.each([
    ["a cdktf token marker", { tags: { team: "${TfToken[TOKEN.12]}" } }, "environments[0].tags.team", /cdktf token/],
    [
      "a list token marker in values",
      { addons: { reloader: { values: { x: ["#{TfToken[TOKEN.3]}"] } } } },
      "environments[0].addons.reloader.values.x[0]",
      /cdktf token/,
    ],
    [
      "an encoded token number",
      { addons: { reloader: { values: { n: -1.8881545897087626e289 } } } },
      "environments[0].addons.reloader.values.n",
      /encoded tokens/,
    ],
    ["a `${` without its `}`", { tags: { team: "cost ${center" } }, "environments[0].tags.team", /without a closing/],
    [
      "a template in a backend setting",
      { backend: { type: "local", path: "${path.root}/{stack}.tfstate" } },
      "environments[0].backend.path",
      /backend settings/,
    ],
    [
      "a key with a token marker",
      { tags: { "${TfToken[TOKEN.1]}": "x" } },
      'environments[0].tags["${TfToken[TOKEN.1]}"]',
      /key looks like a cdktf token/,
    ],
  ])("%s", (_what, overrides, path, message) => {
    const issues = refused(overrides);
    expect(issues).toContainEqual(
      expect.objectContaining({ path, message: expect.stringMatching(message), fix: expect.any(String) }),
    );
  });

  // Fields whose characters are another system's (STS, Kubernetes) take no `$`, `%` or braces at all.
  it.each([
    [
      "a template in an externalId (the s3 backend would read it verbatim, the AWS provider as a template)",
      {
        assumeRoleArn: "arn:aws:iam::111111111111:role/platform-terraform",
        externalId: EVIL,
        backend: { type: "s3", bucket: "state-bucket" },
      },
      "environments[0].externalId",
      /2-1224 characters of letters, digits and _\+=,\.@:\/-/,
    ],
    [
      "a template in a node label (Kubernetes allows no such value)",
      { karpenter: { nodePools: [{ name: "general", labels: { team: EVIL } }] } },
      "environments[0].karpenter.nodePools[0].labels.team",
      /at most 63 characters: letters, digits/,
    ],
    [
      "a template in a taint key",
      { karpenter: { nodePools: [{ name: "general", taints: [{ key: EVIL, effect: "NoSchedule" }] }] } },
      "environments[0].karpenter.nodePools[0].taints[0].key",
      /Kubernetes qualified name/,
    ],
  ])("%s", (_what, overrides, path, message) => {
    expect(refused(overrides)).toContainEqual(
      expect.objectContaining({ path, message: expect.stringMatching(message) }),
    );
  });
});
