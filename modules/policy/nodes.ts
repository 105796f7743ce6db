import {
  asObject,
  asList,
  asStrings,
  firstBlock,
  isObject,
  referencedAddresses,
  releaseValues,
  resources,
  type JsonObject,
  type ResourceBlock,
  type StackJson,
} from "../terraform-json";
import { checkEach, defineRule, type PolicyRule, type RuleInput, type Violation } from "./types";

/** Tag Karpenter discovers subnets by; only private subnets carry it (docs/foundation.md). */
const DISCOVERY_TAG = "karpenter.sh/discovery";

interface NodeClass {
  readonly release: ResourceBlock;
  readonly name: string;
  readonly spec: JsonObject;
}

/**
 * Kubernetes objects carried by a `helm_release` as its `objects` value (the shipped manifests chart), from the
 * values Helm computes (modules/terraform-json/helm-values.ts: a later document's list replaces an earlier one;
 * YAML documents too).
 */
export function releaseObjects(release: ResourceBlock): JsonObject[] {
  return asList(releaseValues(release).values.objects).filter(isObject);
}

/** Karpenter EC2NodeClass objects shipped through helm_release values (the node-pools manifests release). */
function nodeClasses(json: StackJson): NodeClass[] {
  return resources(json, "helm_release").flatMap((release) =>
    releaseObjects(release)
      .filter((object) => object.kind === "EC2NodeClass")
      .map((object) => ({
        release,
        name: String(firstBlock(object.metadata)?.name ?? "?"),
        spec: firstBlock(object.spec) ?? {},
      })),
  );
}

function eachNodeClass(json: StackJson, check: (spec: JsonObject) => string | undefined): Violation[] {
  const violations: Violation[] = [];
  for (const nodeClass of nodeClasses(json)) {
    const problem = check(nodeClass.spec);
    if (problem)
      violations.push({ resource: nodeClass.release, problem: `EC2NodeClass ${nodeClass.name}: ${problem}` });
  }
  return violations;
}

/** Subnets the stack creates that route 0.0.0.0/0 to an internet gateway, or give instances public IPs. */
function createdPublicSubnets(json: StackJson): Set<string> {
  const publicTables = new Set(
    resources(json, "aws_route_table")
      .filter((table) =>
        asList(table.body.route).some((route) =>
          referencedAddresses(firstBlock(route)?.gateway_id).some((ref) => ref.startsWith("aws_internet_gateway.")),
        ),
      )
      .map((table) => table.address),
  );
  for (const route of resources(json, "aws_route")) {
    if (referencedAddresses(route.body.gateway_id).some((ref) => ref.startsWith("aws_internet_gateway.")))
      referencedAddresses(route.body.route_table_id).forEach((table) => publicTables.add(table));
  }
  const publicSubnets = new Set(
    resources(json, "aws_subnet")
      .filter((subnet) => subnet.body.map_public_ip_on_launch === true)
      .map((subnet) => subnet.address),
  );
  for (const association of resources(json, "aws_route_table_association")) {
    if (referencedAddresses(association.body.route_table_id).some((table) => publicTables.has(table)))
      referencedAddresses(association.body.subnet_id).forEach((subnet) => publicSubnets.add(subnet));
  }
  return publicSubnets;
}

/** Decides whether a subnet id (literal, or a reference to a subnet of this stack) is a known private subnet. */
function privateSubnetTest(input: RuleInput): (subnetId: string) => boolean {
  const configured = new Set(input.environment.vpc.privateSubnetIds ?? []);
  const created = new Set(resources(input.json, "aws_subnet").map((subnet) => subnet.address));
  const publicOnes = createdPublicSubnets(input.json);
  return (subnetId) => {
    if (configured.has(subnetId)) return true;
    const refs = referencedAddresses(subnetId);
    return refs.length === 1 && created.has(refs[0]) && !publicOnes.has(refs[0]);
  };
}

/** What is wrong with an EC2NodeClass's subnet selection, if anything. */
function nodeClassSubnetProblem(
  spec: JsonObject,
  input: RuleInput,
  isPrivate: (id: string) => boolean,
): string | undefined {
  if (spec.associatePublicIPAddress === true) return "associatePublicIPAddress is true";
  const terms = asList(spec.subnetSelectorTerms).filter(isObject);
  if (terms.length === 0) return "no subnetSelectorTerms";
  const createdSubnets = resources(input.json, "aws_subnet");
  const publicOnes = createdPublicSubnets(input.json);
  for (const term of terms) {
    if (typeof term.id === "string") {
      if (!isPrivate(term.id)) return `subnet ${term.id} is not one of the private subnets`;
      continue;
    }
    const tags = isObject(term.tags) ? term.tags : {};
    if (createdSubnets.length > 0) {
      const matches = (subnet: ResourceBlock) => {
        const subnetTags = isObject(subnet.body.tags) ? subnet.body.tags : {};
        return Object.entries(tags).every(
          ([key, value]) => key in subnetTags && (value === "*" || subnetTags[key] === value),
        );
      };
      const reached = createdSubnets.filter(matches).filter((subnet) => publicOnes.has(subnet.address));
      if (reached.length) return `subnetSelectorTerms select public subnet ${reached[0].address}`;
    } else if (!(DISCOVERY_TAG in tags)) {
      return `subnetSelectorTerms select by tags ${Object.keys(tags).join(", ") || "(none)"}; select private subnets by ${DISCOVERY_TAG} or by id`;
    }
  }
  return undefined;
}

/**
 * Pod IPs the smallest instance types of a vCPU count hold with the VPC CNI's prefix delegation: ENIs x (IPv4
 * addresses per ENI - 1) x 16 (EC2 "IP addresses per network interface per instance type"; EKS max-pods
 * calculator). 1 vCPU (m6g/c6g/r6g.medium, a1.medium): 2 ENIs x 4 addresses = 96; 2 vCPUs (t3/t4g.medium, the
 * smallest .large): 3 x 6 = 240; 4 vCPUs (.xlarge): 4 x 15 = 896.
 */
export const PREFIX_DELEGATION_POD_IPS: ReadonlyArray<readonly [vcpus: number, podIps: number]> = [
  [1, 96],
  [2, 240],
  [4, 896],
];

/** The fewest vCPUs an instance needs so its ENIs hold `maxPods` pod IPs with prefix delegation. */
export function minimumVcpusFor(maxPods: number): number {
  return (PREFIX_DELEGATION_POD_IPS.find(([, podIps]) => podIps >= maxPods) ?? [8, 0])[0];
}

/** The lowest vCPU count a NodePool's requirements admit (1 when they do not bound it). */
function lowestVcpus(requirements: unknown): number {
  let lowest = 1;
  for (const requirement of asList(requirements).filter(isObject)) {
    if (requirement.key !== "karpenter.k8s.aws/instance-cpu") continue;
    const values = asStrings(requirement.values).map(Number);
    if (requirement.operator === "Gt" && values.length === 1) lowest = Math.max(lowest, values[0] + 1);
    if (requirement.operator === "In" && values.length > 0) lowest = Math.max(lowest, Math.min(...values));
  }
  return lowest;
}

export const NODE_RULES: PolicyRule[] = [
  defineRule({
    id: "NODES_FIT_MAX_PODS",
    area: "nodes",
    title:
      "A NodePool whose EC2NodeClass sets kubelet maxPods picks only instance types whose ENIs hold that many pod IPs (prefix delegation: 96 on 1 vCPU)",
    scanners: {},
    fix: "require karpenter.k8s.aws/instance-cpu Gt (the fewest vCPUs that hold maxPods, minus one) in the NodePool (the platform does when it sets maxPods)",
    check: ({ json }) =>
      resources(json, "helm_release").flatMap((release) => {
        const objects = releaseObjects(release);
        const maxPods = new Map(
          objects
            .filter((object) => object.kind === "EC2NodeClass")
            .map((object) => [
              String(asObject(object.metadata)?.name),
              asObject(asObject(object.spec)?.kubelet)?.maxPods,
            ]),
        );
        return objects
          .filter((object) => object.kind === "NodePool")
          .flatMap((pool): Violation[] => {
            const spec = asObject(asObject(asObject(pool.spec)?.template)?.spec);
            const pods = maxPods.get(String(asObject(spec?.nodeClassRef)?.name));
            if (typeof pods !== "number") return [];
            const needed = minimumVcpusFor(pods);
            const admitted = lowestVcpus(spec?.requirements);
            return admitted >= needed
              ? []
              : [
                  {
                    resource: release,
                    problem: `NodePool ${String(asObject(pool.metadata)?.name)} may pick ${admitted}-vCPU instances, whose ENIs hold fewer than its maxPods ${pods} pod IPs: pods beyond them never get an address`,
                  },
                ];
          });
      }),
  }),
  defineRule({
    id: "NODES_IMDSV2",
    area: "nodes",
    title: "Nodes require IMDSv2 (session tokens)",
    scanners: { checkov: ["CKV_AWS_79"], trivy: ["AVD-AWS-0028"] },
    fix: "set metadataOptions.httpTokens: required on the EC2NodeClass (http_tokens = required on launch templates)",
    check: ({ json }) => [
      ...eachNodeClass(json, (spec) =>
        firstBlock(spec.metadataOptions)?.httpTokens === "required"
          ? undefined
          : "metadataOptions.httpTokens is not required",
      ),
      ...checkEach(json, "aws_launch_template", (template) =>
        firstBlock(template.body.metadata_options)?.http_tokens === "required"
          ? undefined
          : "metadata_options.http_tokens is not required",
      ),
    ],
  }),
  defineRule({
    id: "NODES_IMDS_HOP_LIMIT",
    area: "nodes",
    title: "Instance metadata hop limit is 1, so pods cannot reach the node's credentials",
    scanners: { checkov: ["CKV_AWS_341"] },
    fix: "set metadataOptions.httpPutResponseHopLimit: 1 on the EC2NodeClass (http_put_response_hop_limit = 1 on launch templates)",
    check: ({ json }) => [
      ...eachNodeClass(json, (spec) =>
        firstBlock(spec.metadataOptions)?.httpPutResponseHopLimit === 1
          ? undefined
          : "metadataOptions.httpPutResponseHopLimit is not 1",
      ),
      ...checkEach(json, "aws_launch_template", (template) =>
        firstBlock(template.body.metadata_options)?.http_put_response_hop_limit === 1
          ? undefined
          : "metadata_options.http_put_response_hop_limit is not 1",
      ),
    ],
  }),
  defineRule({
    id: "NODES_ENCRYPTED_VOLUMES",
    area: "nodes",
    title: "Node volumes are encrypted, with the mappings explicit",
    scanners: { checkov: ["CKV_AWS_8"], trivy: ["AVD-AWS-0008"] },
    fix: "give the EC2NodeClass blockDeviceMappings whose ebs.encrypted is true",
    check: ({ json }) => [
      ...eachNodeClass(json, (spec) => {
        const mappings = asList(spec.blockDeviceMappings).filter(isObject);
        if (mappings.length === 0) return "no blockDeviceMappings: the root volume's encryption is left to the AMI";
        const plain = mappings.filter((mapping) => firstBlock(mapping.ebs)?.encrypted !== true);
        return plain.length ? `volume ${String(plain[0].deviceName ?? "?")} is not encrypted` : undefined;
      }),
      ...checkEach(json, "aws_launch_template", (template) =>
        asList(template.body.block_device_mappings).some((mapping) => {
          const encrypted = firstBlock(firstBlock(mapping)?.ebs)?.encrypted;
          return encrypted !== true && encrypted !== "true";
        })
          ? "a block device mapping is not encrypted"
          : undefined,
      ),
    ],
  }),
  defineRule({
    id: "NODES_PRIVATE_SUBNETS",
    area: "nodes",
    title: "Nodes and Fargate pods run in private subnets only, without public IPs",
    scanners: { checkov: ["CKV_AWS_88"], trivy: ["AVD-AWS-0009"] },
    fix: "use the environment's private subnets (vpc.privateSubnetIds, or the created private subnets)",
    check: (input) => {
      const isPrivate = privateSubnetTest(input);
      return [
        ...eachNodeClass(input.json, (spec) => nodeClassSubnetProblem(spec, input, isPrivate)),
        ...checkEach(input.json, "aws_eks_fargate_profile", (profile) => {
          const ids = asStrings(profile.body.subnet_ids);
          const outside = ids.filter((id) => !isPrivate(id));
          if (ids.length === 0) return "no subnet_ids";
          return outside.length
            ? `subnet_ids ${outside.join(", ")} are not private subnets of the environment`
            : undefined;
        }),
      ];
    },
  }),
];
