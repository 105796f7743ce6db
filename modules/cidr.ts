/**
 * IPv4 CIDR blocks as networks, not text. Every CIDR the config takes goes through `parseCidr` (the schema
 * refuses what is not canonical), and "open to the internet" is decided by the addresses a list covers, so
 * `1.2.3.4/0`, `00.0.0.0/0` or `0.0.0.0/1` + `128.0.0.0/1` are judged like `0.0.0.0/0`. The policy pack
 * (EKS_PUBLIC_ENDPOINT) uses the same functions on the synthesized JSON.
 */

export interface Cidr {
  /** The network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
}

export type CidrParse =
  | { readonly ok: true; readonly cidr: Cidr; readonly canonical: string }
  | { readonly ok: false; readonly problem: string; readonly canonical?: string };

const SHAPE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Addresses in a block of the given prefix length (2^(32 - prefix)). */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function formatCidr(cidr: Cidr): string {
  const { network, prefix } = cidr;
  return `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".")}/${prefix}`;
}

/**
 * Parses `a.b.c.d/n` strictly: decimal octets 0-255 and a prefix 0-32, without leading zeros (some parsers read
 * `010` as octal 8), and no host bits set (`10.0.0.1/16` is refused, not silently widened). A refusal names the
 * canonical form when there is one, for the error's fix.
 */
export function parseCidr(text: string): CidrParse {
  const match = SHAPE.exec(text);
  if (!match) return { ok: false, problem: "must be an IPv4 CIDR block such as 10.0.0.0/16" };
  const parts = match.slice(1).map(Number);
  const octets = parts.slice(0, 4);
  const prefix = parts[4];
  if (octets.some((octet) => octet > 255) || prefix > 32)
    return { ok: false, problem: "must be an IPv4 CIDR block such as 10.0.0.0/16 (octets 0-255, prefix 0-32)" };
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const network = address - (address % blockSize(prefix));
  const canonical = formatCidr({ network, prefix });
  if (match.slice(1).some((part) => part.length > 1 && part.startsWith("0"))) {
    return { ok: false, problem: "has leading zeros, which some tools read as octal", canonical };
  }
  if (network !== address) return { ok: false, problem: `has host bits set: the network is ${canonical}`, canonical };
  return { ok: true, cidr: { network, prefix }, canonical };
}

/** Merged, sorted [start, end) ranges covered by the blocks. */
function coveredRanges(cidrs: ReadonlyArray<Cidr>): Array<[number, number]> {
  const ranges = cidrs
    .map((cidr): [number, number] => [cidr.network, cidr.network + blockSize(cidr.prefix)])
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of ranges) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Address space that is not the public internet: this-network, RFC 1918, shared CGNAT, loopback, link-local, multicast and reserved. */
const NOT_PUBLIC: ReadonlyArray<Cidr> = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/3",
].map((text) => {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(`bad built-in CIDR ${text}`);
  return parsed.cidr;
});

/** Number of public internet addresses the blocks cover together (overlaps counted once). */
export function publicAddressCount(cidrs: ReadonlyArray<Cidr>): number {
  const excluded = coveredRanges(NOT_PUBLIC);
  let count = 0;
  for (const [start, end] of coveredRanges(cidrs)) {
    count += end - start;
    for (const [xStart, xEnd] of excluded) count -= Math.max(0, Math.min(end, xEnd) - Math.max(start, xStart));
  }
  return count;
}

/**
 * More public addresses than the largest single allocation (a /8) is no allowlist of offices, VPNs and CI
 * egress: the list is open to the internet, however it is split up (`0.0.0.0/1` + `128.0.0.0/1`).
 */
export const OPEN_TO_INTERNET_ADDRESSES = blockSize(8);

export function coversInternet(cidrs: ReadonlyArray<Cidr>): boolean {
  return publicAddressCount(cidrs) > OPEN_TO_INTERNET_ADDRESSES;
}

/** Parses every text; `undefined` when one is not a canonical CIDR (callers report that separately). */
export function parseCidrs(texts: ReadonlyArray<string>): Cidr[] | undefined {
  const cidrs: Cidr[] = [];
  for (const text of texts) {
    const parsed = parseCidr(text);
    if (!parsed.ok) return undefined;
    cidrs.push(parsed.cidr);
  }
  return cidrs;
}
