import { blockSize, formatCidr, parseCidr } from "./cidr";

/** The created VPC's subnet layout, as plain math (config checks read it without cdktf). */

export interface SubnetLayout {
  readonly private: string[];
  readonly public: string[];
}

/** Terraform's `cidrsubnet(prefix, newbits, netnum)`, as plain math so the layout is known at synth time. */
export function cidrSubnet(cidr: string, newBits: number, netNum: number): string {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) throw new Error(`${cidr} ${parsed.problem}`);
  const prefix = parsed.cidr.prefix + newBits;
  if (prefix > 32 || netNum >= 2 ** newBits)
    throw new Error(`cannot carve subnet ${netNum} of /${prefix} out of ${cidr}`);
  return formatCidr({ network: parsed.cidr.network + netNum * blockSize(prefix), prefix });
}

/**
 * Deterministic subnets: the first half of the VPC is private (one equal block per AZ, where pods get their
 * IPs), public subnets are a quarter of that size in the second half (load balancers and NAT only). Adding an
 * AZ later keeps existing subnets only while the AZ count stays within the same power of two.
 */
export function subnetLayout(cidr: string, azCount: number): SubnetLayout {
  const privateBits = Math.ceil(Math.log2(azCount)) + 1;
  const publicBits = privateBits + 2;
  const publicStart = 2 ** (publicBits - 1);
  return {
    private: Array.from({ length: azCount }, (_, index) => cidrSubnet(cidr, privateBits, index)),
    public: Array.from({ length: azCount }, (_, index) => cidrSubnet(cidr, publicBits, publicStart + index)),
  };
}

/** Smallest subnet prefix the layout produces (AWS allows /16 to /28). */
export function smallestSubnetPrefix(cidr: string, azCount: number): number {
  return Number(cidr.split("/")[1]) + Math.ceil(Math.log2(azCount)) + 3;
}
