import { referencedAddresses } from "../../modules/terraform-json";
import { fixtureStacks, type FixtureConfig } from "../helpers/fixtures";

/**
 * Issue 25 fix 7: a KMS key's description says what it protects, and nothing it does not: an operator deciding
 * whether a key can be disabled or deleted reads it. Judged from the synthesized stacks: what a key protects is
 * whatever references it (the cluster's secrets encryption, a log group, a file system, a queue ...).
 */

const PROTECTS: Record<string, RegExp> = {
  aws_eks_cluster: /secrets/i,
  aws_cloudwatch_log_group: /logs/i,
  aws_efs_file_system: /\bEFS\b/,
  aws_sqs_queue: /queue/i,
  aws_ebs_volume: /\bEBS\b|volumes/i,
};

/** Resources that make others outside Terraform with the key they name: the EBS CSI driver's class (`kmsKeyId`). */
const MAKES: Record<string, string> = { kubernetes_storage_class_v1: "aws_ebs_volume" };

describe.each<FixtureConfig>(["example", "all-options"])("KMS key descriptions in %s", (config) => {
  const stacks = [...fixtureStacks(config)];
  const keys = stacks.flatMap(([stack, json]) =>
    Object.entries((json.resource?.aws_kms_key ?? {}) as Record<string, { description?: string }>).map(
      ([name, key]) => ({ stack, json, address: `aws_kms_key.${name}`, description: key.description ?? "" }),
    ),
  );

  it("has keys to judge", () => expect(keys.length).toBeGreaterThan(0));

  it.each(keys.map((key) => [`${key.stack} ${key.address}`, key] as const))("%s", (_name, key) => {
    const users = new Set<string>();
    for (const [type, byName] of Object.entries((key.json.resource ?? {}) as Record<string, Record<string, unknown>>))
      for (const body of Object.values(byName))
        if (referencedAddresses(body).some((address) => address === key.address)) users.add(MAKES[type] ?? type);
    const protectedTypes = [...users].filter((type) => type in PROTECTS);
    expect(protectedTypes.length).toBeGreaterThan(0);
    for (const type of protectedTypes)
      expect({ type, description: key.description }).toEqual({
        type,
        description: expect.stringMatching(PROTECTS[type]),
      });
    for (const [type, words] of Object.entries(PROTECTS))
      if (!users.has(type))
        expect({ type, description: key.description }).not.toEqual({ type, description: expect.stringMatching(words) });
  });
});
