import { validateConfig } from "../../modules/plan";
import { evaluatePolicy } from "../../modules/policy/engine";
import { policyRule } from "../../modules/policy/registry";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Issue 24 item 6: three settings that used to pass. An EFS StorageClass whose volumes' root directories are open
 * to every POSIX user (`directoryPerms` with world bits) and a CoreDNS Corefile that forwards every query past the
 * VPC resolver are waivable findings; node-pool labels Karpenter's NodePool CRD refuses (its CEL rules at the
 * pinned v1.14.1: the karpenter.sh and karpenter.k8s.aws domains but their well-known labels, and
 * kubernetes.io/hostname) are config errors with the path and the fix.
 */

type Json = Record<string, any>;

const environment = validateConfig({ environments: [minimalEnvironment()] }).environments[0];
const fires = (rule: string, json: Json): string[] =>
  evaluatePolicy({ stack: "dev-storage", json, environment, rules: [policyRule(rule)!] }).findings.map(
    (finding) => `${finding.address}: ${finding.problem}`,
  );

const storageClass = (directoryPerms: string, provisioner = "efs.csi.aws.com"): Json => ({
  resource: {
    kubernetes_storage_class_v1: {
      efs: {
        metadata: { name: "efs-sc" },
        storage_provisioner: provisioner,
        parameters: { provisioningMode: "efs-ap", directoryPerms },
      },
    },
  },
});

describe("EFS_DIRECTORY_PERMS", () => {
  it.each(["777", "775", "755", "701", "0777"])("directoryPerms %s (world bits) is a finding", (perms) => {
    expect(fires("EFS_DIRECTORY_PERMS", storageClass(perms))).toEqual([
      expect.stringMatching(new RegExp(`^kubernetes_storage_class_v1\\.efs: directoryPerms ${perms} `)),
    ]);
  });

  it.each(["700", "750", "770", "0770"])("directoryPerms %s is not", (perms) => {
    expect(fires("EFS_DIRECTORY_PERMS", storageClass(perms))).toEqual([]);
  });

  it("only EFS StorageClasses are read", () => {
    expect(fires("EFS_DIRECTORY_PERMS", storageClass("777", "ebs.csi.aws.com"))).toEqual([]);
  });
});

const corednsAddon = (corefile: string): Json => ({
  resource: {
    aws_eks_addon: { coredns: { addon_name: "coredns", configuration_values: JSON.stringify({ corefile }) } },
  },
});

const corefile = (forward: string, zone = ".:53") => `${zone} {
    errors
    health {
        lameduck 5s
    }
    kubernetes cluster.local in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
    }
    ${forward}
    cache 30
}
`;

describe("COREDNS_VPC_RESOLVER", () => {
  it.each([
    ["forward . 8.8.8.8", corednsAddon(corefile("forward . 8.8.8.8"))],
    [
      "forward . tls://1.1.1.1 (DNS over TLS)",
      corednsAddon(corefile("forward . tls://1.1.1.1 {\n      tls_servername cloudflare-dns.com\n    }")),
    ],
    ["forward . /etc/resolv.conf 8.8.8.8", corednsAddon(corefile("forward . /etc/resolv.conf 8.8.8.8"))],
    ["a server block for dns://.:53", corednsAddon(corefile("forward . 9.9.9.9", "dns://.:53"))],
    [
      "a ConfigMap that replaces the Corefile",
      {
        resource: {
          kubernetes_config_map_v1: {
            coredns: {
              metadata: { name: "coredns", namespace: "kube-system" },
              data: { Corefile: corefile("forward . 8.8.4.4") },
            },
          },
        },
      },
    ],
  ])("%s is a finding", (_, json) => {
    expect(fires("COREDNS_VPC_RESOLVER", json)).toEqual([expect.stringMatching(/forwards every query/)]);
  });

  it.each([
    ["the default, forward . /etc/resolv.conf", corednsAddon(corefile("forward . /etc/resolv.conf"))],
    ["the VPC resolver's link-local address", corednsAddon(corefile("forward . 169.254.169.253:53"))],
    [
      "one zone to a corporate resolver",
      corednsAddon(corefile("forward . /etc/resolv.conf") + corefile("forward . 10.1.1.1", "corp.example.com:53")),
    ],
    [
      "a zone-scoped forward inside the root block",
      corednsAddon(corefile("forward corp.example.com 10.1.1.1\n    forward . /etc/resolv.conf")),
    ],
    ["no Corefile", corednsAddon("")],
  ])("%s is not", (_, json) => {
    expect(fires("COREDNS_VPC_RESOLVER", json)).toEqual([]);
  });
});

const pool = (labels: Record<string, string>) => ({ karpenter: { nodePools: [{ name: "general", labels }] } });
const issues = (labels: Record<string, string>) =>
  issuesOf(() => validateConfig({ environments: [minimalEnvironment(pool(labels))] }));

describe("node-pool labels in Karpenter's restricted domains", () => {
  it.each([
    "kubernetes.io/hostname",
    "karpenter.sh/nodepool",
    "karpenter.sh/team",
    "team.karpenter.sh/x",
    "karpenter.k8s.aws/team",
    "karpenter.k8s.aws/instance-ami-id",
  ])("%s is refused at its path, with the fix", (key) => {
    expect(issues({ [key]: "x" })).toContainEqual(
      expect.objectContaining({
        path: `environments[0].karpenter.nodePools[0].labels[${JSON.stringify(key)}]`,
        message: expect.stringMatching(/restricted/),
        value: key,
        fix: expect.stringMatching(/own domain/),
      }),
    );
  });

  it.each([
    "karpenter.sh/capacity-type",
    "karpenter.k8s.aws/instance-family",
    "kubernetes.io/arch",
    "topology.kubernetes.io/zone",
    "node-role.kubernetes.io/system",
    "example.com/team",
    "team",
  ])("%s is accepted", (key) => {
    expect(() => validateConfig({ environments: [minimalEnvironment(pool({ [key]: "x" }))] })).not.toThrow();
  });
});
