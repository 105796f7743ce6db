import { fixtureStacks } from "../helpers/fixtures";
import { synthesizeLayer } from "../helpers/synth";
import type { StackJson } from "../helpers/config";
import { PINS, type KubernetesVersion, type VersionPin } from "../../modules/versions";

/**
 * The EBS CSI driver (aws-ebs-csi-driver) in the storage layer, read from the shared syntheses of the example
 * configs: config/example.yaml's dev (EKS add-on, Pod Identity, the layer's own key, Retain), all-options'
 * staging (Helm, the account's default key, xfs, not default: EFS is) and prod (EKS add-on, the layer's own key,
 * Retain, default). The configured `cluster.kmsKeyArn` case is in no example: one storage layer of its own.
 */

type Json = Record<string, any>;

const EBS = "aws_ebs_csi_driver";
const DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
const example = fixtureStacks("example");
const allOptions = fixtureStacks("all-options");
const stacks: Record<string, StackJson> = {
  dev: example.get("dev-storage")!,
  staging: allOptions.get("staging-storage")!,
  prod: allOptions.get("prod-storage")!,
};
const cluster: Record<string, string> = { dev: "dev", staging: "staging", prod: "prod-main" };

const resources = (stack: StackJson, type: string): Record<string, Json> => stack.resource?.[type] ?? {};
const policyOf = (stack: StackJson): Json[] => JSON.parse(resources(stack, "aws_iam_policy")[EBS].policy).Statement;
const kmsStatements = (statements: Json[]) =>
  statements.filter((statement) => [statement.Action].flat().some((action: string) => action.startsWith("kms:")));
const pinFor = (pins: ReadonlyArray<VersionPin>, version: KubernetesVersion) =>
  pins.find((pin) => pin.kubernetes.includes(version))!.version;

describe("delivery and identity", () => {
  it.each([
    ["dev", "1.35"],
    ["prod", "1.35"],
  ] as const)("%s: an EKS add-on at its pin, the controller bound by Pod Identity", (name, kubernetes) => {
    const addon = resources(stacks[name], "aws_eks_addon")[EBS];
    expect(addon).toMatchObject({
      addon_name: "aws-ebs-csi-driver",
      addon_version: pinFor(PINS["aws-ebs-csi-driver"].eksAddon, kubernetes),
      cluster_name: cluster[name],
      pod_identity_association: [{ role_arn: `\${aws_iam_role.${EBS}.arn}`, service_account: "ebs-csi-controller-sa" }],
    });
    expect(addon.depends_on).toContain(`aws_iam_role_policy_attachment.${EBS}`);
    expect(resources(stacks[name], "helm_release")[EBS]).toBeUndefined();
  });

  it("staging: the pinned Helm chart with the region set, the user's replicas, and a Pod Identity association first", () => {
    const release = resources(stacks.staging, "helm_release")[EBS];
    expect(release).toMatchObject({
      chart: "aws-ebs-csi-driver",
      repository: "https://kubernetes-sigs.github.io/aws-ebs-csi-driver",
      version: pinFor(PINS["aws-ebs-csi-driver"].helm, "1.34"),
      namespace: "kube-system",
    });
    expect(JSON.parse(release.values[0]).controller).toEqual({
      region: "eu-central-1",
      replicaCount: 3,
      serviceAccount: { create: true, name: "ebs-csi-controller-sa" },
    });
    expect(resources(stacks.staging, "aws_eks_pod_identity_association")[EBS]).toMatchObject({
      cluster_name: "staging",
      namespace: "kube-system",
      service_account: "ebs-csi-controller-sa",
      role_arn: `\${aws_iam_role.${EBS}.arn}`,
    });
    expect(release.depends_on).toContain(`aws_eks_pod_identity_association.${EBS}`);
    expect(resources(stacks.staging, "aws_eks_addon")[EBS]).toBeUndefined();
  });

  it.each(Object.keys(stacks))("%s: the role trusts Pod Identity for this cluster only", (name) => {
    const trust = JSON.parse(resources(stacks[name], "aws_iam_role")[EBS].assume_role_policy).Statement[0];
    expect(trust).toMatchObject({
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: { ArnEquals: { "aws:SourceArn": expect.stringMatching(new RegExp(`:cluster/${cluster[name]}$`)) } },
    });
  });
});

describe("the controller's EC2 permissions (upstream's tag-scoped policy)", () => {
  const statements = policyOf(stacks.dev).filter((statement) => !kmsStatements([statement]).length);
  const actionsOf = (statement: Json): string[] => [statement.Action].flat();
  const tagged = (statement: Json, key: string) =>
    Object.values(statement.Condition ?? {}).some((test: any) => key in test);

  it("creates volumes and snapshots only with the driver's tag", () => {
    const creates = statements.filter(
      (statement) =>
        actionsOf(statement).some((action) => /^ec2:(CreateVolume|CreateSnapshot|CopyVolumes)$/.test(action)) &&
        !tagged(statement, "ec2:ResourceTag/ebs.csi.aws.com/cluster") &&
        !tagged(statement, "ec2:ResourceTag/kubernetes.io/created-for/pvc/name"),
    );
    expect(creates.length).toBeGreaterThan(0);
    for (const statement of creates)
      expect(statement.Condition).toEqual({ StringEquals: { "aws:RequestTag/ebs.csi.aws.com/cluster": "true" } });
  });

  it("modifies, deletes and detaches only volumes and snapshots it tagged (or the in-tree plugin's)", () => {
    const writes = statements.filter((statement) =>
      actionsOf(statement).some((action) => /^ec2:(Delete|Modify|EnableFast|Lock)/.test(action)),
    );
    expect(writes.length).toBeGreaterThan(0);
    for (const statement of writes)
      expect(
        tagged(statement, "ec2:ResourceTag/ebs.csi.aws.com/cluster") ||
          tagged(statement, "ec2:ResourceTag/kubernetes.io/created-for/pvc/name"),
      ).toBe(true);
    const untagged = statements.filter((statement) => !statement.Condition).flatMap(actionsOf);
    expect(untagged.filter((action) => !/^ec2:Describe/.test(action)).sort()).toEqual([
      "ec2:AttachVolume",
      "ec2:DetachVolume",
    ]);
    const instanceOnly = statements.find(
      (statement) => actionsOf(statement).includes("ec2:AttachVolume") && !statement.Condition,
    );
    expect(instanceOnly?.Resource).toBe("arn:aws:ec2:eu-west-1:*:instance/*");
  });

  it("holds in the cluster's region only", () => {
    const arns = statements.flatMap((statement) => [statement.Resource].flat()).filter((arn) => arn !== "*");
    expect(arns.length).toBeGreaterThan(0);
    for (const arn of arns) expect(arn).toMatch(/^arn:aws:ec2:eu-west-1:\*:(volume|snapshot|instance)\//);
  });
});

describe("the volumes' key", () => {
  it.each(["dev", "prod"])("%s: the layer's own key (rotation on, prevent_destroy) and its alias", (name) => {
    expect(resources(stacks[name], "aws_kms_key").ebs).toMatchObject({
      enable_key_rotation: true,
      lifecycle: { prevent_destroy: true },
      description: expect.stringContaining("EBS volumes"),
    });
    expect(resources(stacks[name], "aws_kms_alias").ebs).toMatchObject({
      name: `alias/ebs/${cluster[name]}`,
      target_key_id: "${aws_kms_key.ebs.key_id}",
    });
  });

  it.each(["dev", "prod"])("%s: grants (for AWS resources only) and key use on that key only, by its alias", (name) => {
    const onKey = {
      Resource: `arn:aws:kms:${name === "dev" ? "eu-west-1" : "us-east-1"}:${name === "dev" ? "111111111111" : "333333333333"}:key/*`,
    };
    const alias = { "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/ebs/${cluster[name]}` } };
    expect(kmsStatements(policyOf(stacks[name]))).toEqual([
      {
        Sid: "VolumeKeyGrantsForAwsResources",
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:ListGrants"],
        ...onKey,
        Condition: { ...alias, Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
      {
        Sid: "VolumeKeyUse",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        ...onKey,
        Condition: alias,
      },
    ]);
  });

  it("staging: the account's default key, so no key of its own and no KMS permissions", () => {
    expect(resources(stacks.staging, "aws_kms_key").ebs).toBeUndefined();
    expect(kmsStatements(policyOf(stacks.staging))).toEqual([]);
  });

  it("a configured cluster.kmsKeyArn: that key, named exactly, and no key of the layer's own", () => {
    const key = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const environment = {
      name: "keyed",
      account: "111111111111",
      region: "eu-west-1",
      vpc: {
        id: "vpc-0a1b2c3d4e5f60718",
        privateSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        publicSubnetIds: [],
      },
      dns: { domain: "keyed.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" },
      cluster: { kmsKeyArn: key, access: { terraformRoleArn: "arn:aws:iam::111111111111:role/platform-terraform" } },
    };
    const stack = synthesizeLayer([environment], "storage").stacks.keyed;
    expect(resources(stack, "aws_kms_key")).toEqual({});
    const statements = kmsStatements(policyOf(stack));
    expect(statements.map((statement) => [statement.Resource, statement.Condition])).toEqual([
      [key, { Bool: { "kms:GrantIsForAWSResource": "true" } }],
      [key, undefined],
    ]);
    expect(resources(stack, "kubernetes_storage_class_v1").ebs.parameters.kmsKeyId).toBe(key);
  });
});

describe("the StorageClass", () => {
  it.each([
    ["dev", "gp3", "ext4", "Retain", "true", "${aws_kms_key.ebs.arn}", "aws_eks_addon"],
    ["staging", "gp3-xfs", "xfs", "Delete", "false", undefined, "helm_release"],
    ["prod", "gp3", "ext4", "Retain", "true", "${aws_kms_key.ebs.arn}", "aws_eks_addon"],
  ])(
    "%s: encrypted gp3 (%s, %s, %s, default %s), bound at scheduling, expandable",
    (name, className, fsType, reclaim, isDefault, kmsKeyId, driver) => {
      const storageClass = resources(stacks[name], "kubernetes_storage_class_v1").ebs;
      expect(storageClass).toMatchObject({
        metadata: { name: className, annotations: { [DEFAULT_CLASS]: isDefault } },
        storage_provisioner: "ebs.csi.aws.com",
        reclaim_policy: reclaim,
        volume_binding_mode: "WaitForFirstConsumer",
        allow_volume_expansion: true,
        depends_on: [`${driver}.${EBS}`],
      });
      expect(storageClass.parameters).toEqual({
        type: "gp3",
        encrypted: "true",
        "csi.storage.k8s.io/fstype": fsType,
        ...(kmsKeyId ? { kmsKeyId } : {}),
      });
    },
  );

  it.each([
    ["example", example],
    ["all-options", allOptions],
  ])("%s: no environment has two default classes", (_, all) => {
    const defaults = new Map<string, string[]>();
    for (const [stackName, stack] of all)
      for (const storageClass of Object.values(resources(stack, "kubernetes_storage_class_v1")))
        if (storageClass.metadata?.annotations?.[DEFAULT_CLASS] === "true") {
          const environment = stackName.split("-")[0];
          defaults.set(environment, [...(defaults.get(environment) ?? []), storageClass.metadata.name]);
        }
    expect(defaults.size).toBeGreaterThan(0);
    for (const [environment, names] of defaults) expect([environment, names.length]).toEqual([environment, 1]);
  });
});
