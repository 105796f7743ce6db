/** Plain naming (no cdktf): what config checks and tools read. */

/** IAM role names are global to the account: cluster name + purpose, at most 64 characters. */
export function roleName(clusterName: string, purpose: string): string {
  return `${clusterName.slice(0, 63 - purpose.length)}-${purpose}`;
}
