import type { RuleCase } from "./edit";

/** Cases for the Terraform version a stack's blocks need (modules/policy/terraform-version.ts). */
export const TERRAFORM_VERSION_CASES: RuleCase[] = [
  {
    rule: "TERRAFORM_VERSION_FOR_BLOCKS",
    what: "no required_version in a stack with ephemeral blocks",
    layer: "foundation",
    address: "terraform.required_version",
    breakIt: (j) => void delete j.terraform.required_version,
  },
  {
    rule: "TERRAFORM_VERSION_FOR_BLOCKS",
    what: "required_version >= 1.7 in a stack with S3-native locking",
    layer: "operators",
    address: "terraform.required_version",
    setup: (j) => void (j.terraform.backend = { s3: { bucket: "state", key: "k", use_lockfile: true } }),
    breakIt: (j) => {
      j.terraform.required_version = ">= 1.7";
      delete j.ephemeral;
    },
  },
  {
    rule: "TERRAFORM_VERSION_FOR_BLOCKS",
    what: "no required_version in a stack with removed blocks (exec auth: no ephemeral block)",
    layer: "foundation",
    address: "terraform.required_version",
    setup: (j) => void (j.removed = [{ from: "aws_eks_addon.old", lifecycle: { destroy: false } }]),
    breakIt: (j) => {
      delete j.ephemeral;
      delete j.terraform.required_version;
    },
  },
];
