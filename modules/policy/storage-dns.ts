import { parseCidr } from "../cidr";
import { asString, isObject, type JsonObject, type ResourceBlock } from "../terraform-json";
import { checkEach, defineRule, type PolicyRule, type Violation } from "./types";
import { valuesDocuments } from "./values-documents";

/**
 * Two settings that reach beyond the workload that asked for them, waivable like the other defaults: an EFS
 * StorageClass whose volume root directories every POSIX user of the file system may enter, and a CoreDNS
 * Corefile that forwards every query past the VPC resolver (DNS leaves the VPC, Route 53 private zones and
 * resolver rules stop answering, and queries can carry data out).
 */

const EFS_PROVISIONER = "efs.csi.aws.com";

/** The "other" digit of an octal permission (`777`, `0750`), or undefined when it is no octal mode. */
function worldBits(mode: string): number | undefined {
  return /^0?[0-7]{3}$/.test(mode) ? Number(mode.at(-1)) : undefined;
}

/** `169.254.169.253` and `fd00:ec2::253` answer in every VPC; the VPC's base address + 2 when the platform creates it. */
function vpcResolvers(vpcCidr: string | undefined): Set<string> {
  const resolvers = new Set(["169.254.169.253", "fd00:ec2::253"]);
  const parsed = vpcCidr ? parseCidr(vpcCidr) : undefined;
  if (parsed?.ok) {
    const address = parsed.cidr.network + 2;
    resolvers.add([24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join("."));
  }
  return resolvers;
}

/** `dns://8.8.8.8:53`, `[fd00:ec2::253]:53`, `tls://1.1.1.1` -> the address. */
function hostOf(target: string): string {
  const bare = target.replace(/^[a-z]+:\/\//, "");
  const bracketed = /^\[([^\]]+)\](:\d+)?$/.exec(bare);
  if (bracketed) return bracketed[1];
  return bare.includes("::") ? bare : bare.replace(/:\d+$/, "");
}

/** Whether a server block key (`.:53`, `dns://.:53`, `:53`, `.`) serves the root zone, that is every name. */
function servesRoot(key: string): boolean {
  const zone = key.replace(/^[a-z]+:\/\//, "").replace(/:\d+$/, "");
  return zone === "" || zone === ".";
}

/** The targets of `forward . <targets>` in the Corefile's root-zone server blocks. */
export function rootForwardTargets(corefile: string): string[] {
  const text = corefile.replace(/#[^\n]*/g, "");
  const targets: string[] = [];
  let depth = 0;
  let header = "";
  let body = "";
  for (const char of text) {
    if (depth === 0) {
      if (char === "{") {
        depth = 1;
        body = "";
      } else header += char;
      continue;
    }
    if (char === "{") depth++;
    if (char === "}" && --depth === 0) {
      const keys = header
        .trim()
        .split(/[\s,]+/)
        .filter(Boolean);
      if (keys.some(servesRoot))
        for (const [, from, rest] of body.matchAll(/^[ \t]*forward[ \t]+(\S+)[ \t]+([^{\n]*)/gm))
          if (from === ".") targets.push(...rest.trim().split(/\s+/).filter(Boolean));
      header = "";
      continue;
    }
    body += char;
  }
  return targets;
}

/** The Corefiles in a stack: CoreDNS add-on values (`corefile`) and a `coredns` ConfigMap's `Corefile`. */
function corefiles(resource: ResourceBlock, document: unknown): string[] {
  if (!isObject(document)) return [];
  if (resource.type.startsWith("kubernetes_config_map")) {
    const metadata = [resource.body.metadata].flat().find(isObject);
    const data = [resource.body.data].flat().find(isObject);
    return asString(metadata?.name) === "coredns" && data ? [asString(data.Corefile)].filter(isText) : [];
  }
  const isCoredns =
    (resource.type === "aws_eks_addon" && resource.body.addon_name === "coredns") ||
    (resource.type === "helm_release" && /(^|\/)coredns$/.test(asString(resource.body.chart) ?? ""));
  return isCoredns ? [asString(document.corefile)].filter(isText) : [];
}

const isText = (value: string | undefined): value is string => typeof value === "string" && value.trim() !== "";

export const STORAGE_DNS_RULES: PolicyRule[] = [
  defineRule({
    id: "EFS_DIRECTORY_PERMS",
    area: "efs",
    title:
      "EFS StorageClasses create volume root directories closed to other POSIX users of the file system (directoryPerms without world bits, 770 at most)",
    scanners: {},
    fix: "set storage.storageClass.directoryPerms to 700 (the default), 750 or 770",
    check: ({ json }) =>
      ["kubernetes_storage_class_v1", "kubernetes_storage_class"].flatMap((type) =>
        checkEach(json, type, (resource) => {
          if (resource.body.storage_provisioner !== EFS_PROVISIONER) return undefined;
          const parameters = [resource.body.parameters].flat().find(isObject) as JsonObject | undefined;
          const mode = asString(parameters?.directoryPerms);
          const world = mode === undefined ? undefined : worldBits(mode);
          return world ? `directoryPerms ${mode} lets every POSIX user of the file system into each volume` : undefined;
        }),
      ),
  }),
  defineRule({
    id: "COREDNS_VPC_RESOLVER",
    area: "network",
    title:
      "CoreDNS forwards the names it does not serve to the VPC resolver (forward . /etc/resolv.conf), not every query to an outside resolver",
    scanners: {},
    fix: "keep forward . /etc/resolv.conf in the root server block; forward only specific zones elsewhere, or use Route 53 Resolver rules",
    check: ({ json, environment }) => {
      const allowed = vpcResolvers(environment.vpc.create?.cidr);
      const violations: Violation[] = [];
      // Helm and EKS values, and the Kubernetes provider's objects (a ConfigMap replacing CoreDNS's).
      for (const { resource, document } of valuesDocuments(json)) {
        for (const corefile of corefiles(resource, document)) {
          const outside = rootForwardTargets(corefile).filter(
            (target) => target !== "/etc/resolv.conf" && !allowed.has(hostOf(target)),
          );
          if (outside.length > 0)
            violations.push({
              resource,
              problem: `the Corefile forwards every query (forward . ${outside.join(" ")}) past the VPC resolver`,
            });
        }
      }
      return violations;
    },
  }),
];
