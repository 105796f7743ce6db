import { Testing } from "cdktf";
import { coversInternet, parseCidr, parseCidrs, publicAddressCount } from "../../modules/cidr";
import { validateConfig } from "../../modules/plan";
import { evaluatePolicy } from "../../modules/policy";
import { Platform } from "../../stacks/platform";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Issue item 2: CIDRs are networks. Non-canonical blocks are refused with the canonical form as the fix, and
 * "open to the internet" is what a list covers, however it is written, in the config check and in the policy
 * pack's EKS_PUBLIC_ENDPOINT alike.
 */

describe("parseCidr", () => {
  it.each([
    ["10.0.0.0/16", "10.0.0.0/16"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["203.0.113.7/32", "203.0.113.7/32"],
  ])("accepts %s", (text, canonical) => {
    expect(parseCidr(text)).toMatchObject({ ok: true, canonical });
  });

  it.each([
    ["1.2.3.4/0", "host bits", "0.0.0.0/0"],
    ["10.0.0.1/16", "host bits", "10.0.0.0/16"],
    ["00.0.0.0/0", "leading zeros", "0.0.0.0/0"],
    ["010.0.0.0/8", "leading zeros", "10.0.0.0/8"],
    ["10.0.0.0/08", "leading zeros", "10.0.0.0/8"],
  ])("refuses %s (%s) and names %s", (text, problem, canonical) => {
    expect(parseCidr(text)).toEqual({ ok: false, problem: expect.stringContaining(problem), canonical });
  });

  it.each(["10.0.0.0", "256.0.0.0/8", "10.0.0.0/33", "10.0.0/8", " 10.0.0.0/8", "::/0"])(
    "refuses %j as no IPv4 CIDR",
    (text) => {
      const parsed = parseCidr(text);
      expect(parsed.ok).toBe(false);
      expect("canonical" in parsed).toBe(false);
    },
  );

  it("judges a list by the public addresses it covers", () => {
    const covers = (texts: string[]) => coversInternet(parseCidrs(texts)!);
    expect(covers(["0.0.0.0/0"])).toBe(true);
    expect(covers(["0.0.0.0/1", "128.0.0.0/1"])).toBe(true);
    expect(covers(["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2"])).toBe(true);
    expect(covers(["2.0.0.0/7"])).toBe(true);
    // Private space, a /8 of public space, and office blocks are not the internet.
    expect(covers(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])).toBe(false);
    expect(covers(["3.0.0.0/8"])).toBe(false);
    expect(covers(["203.0.113.0/24", "198.51.100.0/24"])).toBe(false);
    // Overlaps count once.
    expect(publicAddressCount(parseCidrs(["3.0.0.0/8", "3.0.0.0/9"])!)).toBe(2 ** 24);
  });
});

describe("config CIDRs", () => {
  const issues = (overrides: Record<string, unknown>) =>
    issuesOf(() => validateConfig({ environments: [minimalEnvironment(overrides)] }));

  it.each([
    [
      "cluster.endpoint.publicAccessCidrs[0]",
      { cluster: { endpoint: { publicAccessCidrs: ["1.2.3.4/0"] } } },
      "write 0.0.0.0/0",
    ],
    [
      "cluster.endpoint.publicAccessCidrs[0]",
      { cluster: { endpoint: { publicAccessCidrs: ["00.0.0.0/0"] } } },
      "write 0.0.0.0/0",
    ],
    [
      "vpc.create.cidr",
      {
        vpc: {
          id: undefined,
          privateSubnetIds: undefined,
          publicSubnetIds: undefined,
          create: { cidr: "10.40.0.1/16", azs: ["eu-west-1a", "eu-west-1b"] },
        },
      },
      "write 10.40.0.0/16",
    ],
    [
      "network.ingress.inboundCidrs[1]",
      { network: { ingress: { inboundCidrs: ["10.0.0.0/8", "192.168.001.0/24"] } } },
      "write 192.168.1.0/24",
    ],
  ])("%s refuses a non-canonical block", (path, overrides, fix) => {
    expect(issues(overrides)).toContainEqual(expect.objectContaining({ path: `environments[0].${path}`, fix }));
  });

  it.each([
    [["0.0.0.0/1", "128.0.0.0/1"]],
    [["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"]],
    [["0.0.0.0/0"]],
  ])("%j needs acknowledgeOpenToInternet", (cidrs) => {
    expect(issues({ cluster: { endpoint: { publicAccessCidrs: cidrs } } })).toEqual([
      expect.objectContaining({
        path: "environments[0].cluster.endpoint.publicAccessCidrs",
        message: expect.stringContaining("opens the Kubernetes API to the internet"),
        value: cidrs,
      }),
    ]);
  });

  it("acknowledged, a split 0.0.0.0/0 still needs a waiver of EKS_PUBLIC_ENDPOINT", () => {
    const open = minimalEnvironment({
      cluster: { endpoint: { publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"], acknowledgeOpenToInternet: true } },
    });
    const platform = new Platform(Testing.app(), { config: validateConfig({ environments: [open] }) });
    const stack = platform.environments[0].foundation!;
    const findings = evaluatePolicy({
      stack: "dev-foundation",
      json: JSON.parse(Testing.synth(stack)),
      environment: platform.environments[0].environment,
    }).findings;
    expect(findings).toContainEqual(
      expect.objectContaining({
        rule: "EKS_PUBLIC_ENDPOINT",
        address: "aws_eks_cluster.cluster",
        problem: expect.stringContaining("open to the internet"),
      }),
    );
  });
});
