import { partitionOf } from "./iam/policy";
import { logicalName } from "./naming";

/** Access levels, policies and principal addresses: plain data the config checks read without cdktf. */

/** The access levels a principal may be given (the config's `access[].level`). */
export const accessLevels = ["cluster-admin", "admin", "edit", "view"] as const;
export type AccessLevel = (typeof accessLevels)[number];

/** The EKS access policy each configured level maps to. */
export const ACCESS_POLICIES: Readonly<Record<AccessLevel, string>> = {
  "cluster-admin": "AmazonEKSClusterAdminPolicy",
  admin: "AmazonEKSAdminPolicy",
  edit: "AmazonEKSEditPolicy",
  view: "AmazonEKSViewPolicy",
};

export function accessPolicyArn(region: string, level: AccessLevel): string {
  return `arn:${partitionOf(region)}:eks::aws:cluster-access-policy/${ACCESS_POLICIES[level]}`;
}

/** Readable, order-independent address for a principal: `principal_<role or user name>`. */
export function principalId(arn: string): string {
  return logicalName(`principal_${arn.split("/").slice(1).join("_")}`);
}
