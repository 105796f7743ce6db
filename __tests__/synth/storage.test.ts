import type {} from "cdktf/lib/testing/adapters/jest";
import { synthesizeLayer } from "../helpers/synth";
import { account, clusterKey, devSubnets, environments, upstreamEfsCsiStatements } from "../helpers/storage-config";

/**
 * The storage layer: EFS (key, file system, policies, mount targets, security group), the EFS CSI driver with
 * both deliveries and identities, and the StorageClass. Three environments (dev, prod, stage: see
 * helpers/storage-config.ts), synthesized once. The storage config's refusals: unit/storage-config.test.ts.
 */

type Json = Record<string, any>;

const resources = (stack: Json, type: string): Record<string, Json> => stack.resource?.[type] ?? {};
/** Policies are literal JSON; interpolations such as the IRSA issuer sit inside strings. */
const policyOf = (resource: Json) => JSON.parse(resource.policy ?? resource.assume_role_policy);
/** The EFS CSI driver's Terraform name (its role, policy, release or EKS add-on). */
const EFS_CSI = "aws_efs_csi_driver";
const remoteState = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-\w+-foundation\.outputs\./;

let synthesized: Record<string, string>;
let stacks: Record<string, Json>;

beforeAll(() => {
  ({ synthesized, stacks } = synthesizeLayer(environments, "storage"));
});

describe("EFS file system", () => {
  it("is encrypted with the storage stack's own customer key (rotation on) unless the cluster key is configured", () => {
    expect(synthesized.dev).toHaveResourceWithProperties(
      { tfResourceType: "aws_kms_key" },
      { enable_key_rotation: true, lifecycle: { prevent_destroy: true } },
    );
    expect(resources(stacks.dev, "aws_efs_file_system").efs).toMatchObject({
      encrypted: true,
      kms_key_id: "${aws_kms_key.efs.arn}",
    });
    expect(resources(stacks.prod, "aws_kms_key")).toEqual({});
    expect(resources(stacks.prod, "aws_efs_file_system").efs).toMatchObject({
      encrypted: true,
      kms_key_id: clusterKey,
    });
  });

  it("is protected against accidental destroy", () => {
    expect(resources(stacks.dev, "aws_efs_file_system").efs.lifecycle).toEqual({ prevent_destroy: true });
  });

  it.each([
    ["dev", "AFTER_30_DAYS", "elastic"],
    ["prod", "AFTER_7_DAYS", "bursting"],
  ])(
    "%s moves cold files to Infrequent Access after the configured time and back on access",
    (name, transitionToIa, throughputMode) => {
      const fileSystem = resources(stacks[name], "aws_efs_file_system").efs;
      expect(fileSystem.lifecycle_policy).toEqual([
        { transition_to_ia: transitionToIa },
        { transition_to_primary_storage_class: "AFTER_1_ACCESS" },
      ]);
      expect(fileSystem.throughput_mode).toBe(throughputMode);
    },
  );

  it.each([
    ["dev", "ENABLED"],
    ["prod", "DISABLED"],
  ])("%s has automatic backups %s as configured", (name, status) => {
    expect(resources(stacks[name], "aws_efs_backup_policy").efs).toMatchObject({
      file_system_id: "${aws_efs_file_system.efs.id}",
      backup_policy: { status },
    });
  });

  it("denies access without TLS and never grants root access", () => {
    const policy = policyOf(resources(stacks.dev, "aws_efs_file_system_policy").efs);
    const deny = policy.Statement.find((statement: Json) => statement.Effect === "Deny");
    expect(deny).toMatchObject({
      Principal: { AWS: "*" },
      Action: "*",
      Resource: "${aws_efs_file_system.efs.arn}",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    const allowed = policy.Statement.filter((statement: Json) => statement.Effect === "Allow").flatMap(
      (statement: Json) => statement.Action,
    );
    expect(allowed).toEqual(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]);
    expect(JSON.stringify(policy)).not.toContain("ClientRootAccess");
  });
});

describe("network access", () => {
  it("admits NFS (TCP 2049) only from the cluster security group, read from the foundation stack", () => {
    const rules = resources(stacks.dev, "aws_vpc_security_group_ingress_rule");
    expect(Object.keys(rules)).toEqual(["efs_nfs_from_cluster"]);
    const rule = rules.efs_nfs_from_cluster;
    expect(rule).toMatchObject({
      ip_protocol: "tcp",
      from_port: 2049,
      to_port: 2049,
      security_group_id: "${aws_security_group.efs.id}",
    });
    expect(rule.referenced_security_group_id).toMatch(remoteState);
    expect(rule.referenced_security_group_id).toContain("cluster_security_group_id");
    expect(rule.cidr_ipv4).toBeUndefined();
    expect(resources(stacks.dev, "aws_security_group").efs.ingress).toBeUndefined();
  });

  it("puts a mount target in every configured private subnet (plain ids, keyed by subnet)", () => {
    const mountTarget = resources(stacks.dev, "aws_efs_mount_target").efs;
    expect(mountTarget.for_each).toBe(`\${toset(${JSON.stringify(devSubnets).replace(/","/g, '", "')})}`);
    expect(mountTarget).toMatchObject({
      subnet_id: "${each.value}",
      security_groups: ["${aws_security_group.efs.id}"],
      file_system_id: "${aws_efs_file_system.efs.id}",
    });
    expect(resources(stacks.dev, "aws_security_group").efs.vpc_id).toBe("vpc-0a1b2c3d4e5f60718");
  });

  it("puts a mount target in every subnet foundation created (cross-stack references)", () => {
    const forEach: string = resources(stacks.prod, "aws_efs_mount_target").efs.for_each;
    const references = forEach.match(/data\.terraform_remote_state\.[\w-]+\.outputs\.[\w-]+/g) ?? [];
    expect(references).toHaveLength(3);
    expect(new Set(references).size).toBe(3);
    expect(resources(stacks.prod, "aws_security_group").efs.vpc_id).toMatch(remoteState);
  });

  it("reads foundation outputs through terraform_remote_state", () => {
    expect(Object.keys(stacks.dev.data.terraform_remote_state)).toEqual(["cross-stack-reference-input-dev-foundation"]);
  });
});

describe("EFS CSI driver", () => {
  it("is an EKS add-on with a Pod Identity association for the controller by default", () => {
    const addon = resources(stacks.dev, "aws_eks_addon").aws_efs_csi_driver;
    expect(addon).toMatchObject({
      addon_name: "aws-efs-csi-driver",
      addon_version: "v2.1.13-eksbuild.1",
      cluster_name: "dev",
    });
    expect(addon.pod_identity_association).toEqual([
      { role_arn: "${aws_iam_role.aws_efs_csi_driver.arn}", service_account: "efs-csi-controller-sa" },
    ]);
    expect(addon.depends_on).toContain("aws_iam_role_policy_attachment.aws_efs_csi_driver");
    const trust = policyOf(resources(stacks.dev, "aws_iam_role").aws_efs_csi_driver).Statement[0];
    expect(trust).toMatchObject({
      Principal: { Service: "pods.eks.amazonaws.com" },
      Condition: {
        StringEquals: { "aws:SourceAccount": account },
        ArnEquals: { "aws:SourceArn": `arn:aws:eks:eu-west-1:${account}:cluster/dev` },
      },
    });
  });

  it("can be a pinned Helm release with IRSA on the controller's service account", () => {
    // Other storage add-ons may be EKS add-ons; this driver is not one in prod.
    const eksAddons = Object.entries(resources(stacks.prod, "aws_eks_addon"));
    expect(eksAddons.filter(([name, addon]) => name === EFS_CSI || addon.addon_name === "aws-efs-csi-driver")).toEqual(
      [],
    );
    const release = resources(stacks.prod, "helm_release").aws_efs_csi_driver;
    expect(release).toMatchObject({
      chart: "aws-efs-csi-driver",
      repository: "https://kubernetes-sigs.github.io/aws-efs-csi-driver/",
      version: "3.3.0",
      namespace: "kube-system",
    });
    const values = JSON.parse(release.values[0]);
    expect(values.controller.serviceAccount).toEqual({
      create: true,
      name: "efs-csi-controller-sa",
      annotations: { "eks.amazonaws.com/role-arn": "${aws_iam_role.aws_efs_csi_driver.arn}" },
    });
    const trust = policyOf(resources(stacks.prod, "aws_iam_role").aws_efs_csi_driver).Statement[0];
    expect(trust.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(trust.Principal.Federated).toMatch(remoteState);
    const conditions = Object.entries(trust.Condition.StringEquals as Record<string, string>);
    expect(conditions.map(([key]) => key)).toEqual([
      expect.stringMatching(/^\$\{data\.terraform_remote_state\..+\}:sub$/),
      expect.stringMatching(/:aud$/),
    ]);
    expect(conditions.find(([key]) => key.endsWith(":sub"))?.[1]).toBe(
      "system:serviceaccount:kube-system:efs-csi-controller-sa",
    );
    expect(conditions.find(([key]) => key.endsWith(":aud"))?.[1]).toBe("sts.amazonaws.com");
  });

  it.each(["dev", "prod"])("%s: the controller's policy has upstream's actions and conditions", (name) => {
    const ours = policyOf(resources(stacks[name], "aws_iam_policy").aws_efs_csi_driver).Statement as Json[];
    expect(ours.map((statement) => ({ Action: [statement.Action].flat(), Condition: statement.Condition }))).toEqual(
      upstreamEfsCsiStatements,
    );
    expect(ours.every((statement) => statement.Effect === "Allow" && statement.Resource === "*")).toBe(true);
  });
});

describe("StorageClass", () => {
  it("provisions access points on the file system with the default parameters", () => {
    expect(synthesized.dev).toHaveResourceWithProperties(
      { tfResourceType: "kubernetes_storage_class_v1" },
      {
        metadata: { name: "efs-sc", annotations: { "storageclass.kubernetes.io/is-default-class": "false" } },
        storage_provisioner: "efs.csi.aws.com",
        reclaim_policy: "Delete",
        volume_binding_mode: "Immediate",
        parameters: {
          provisioningMode: "efs-ap",
          fileSystemId: "${aws_efs_file_system.efs.id}",
          directoryPerms: "700",
          gidRangeStart: "50000",
          gidRangeEnd: "7000000",
          basePath: "/dynamic_provisioning",
          ensureUniqueDirectory: "true",
        },
      },
    );
  });

  it("takes its name, parameters and default-class annotation from config", () => {
    const storageClass = resources(stacks.prod, "kubernetes_storage_class_v1").efs;
    expect(storageClass).toMatchObject({
      metadata: { name: "shared", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      reclaim_policy: "Retain",
      volume_binding_mode: "WaitForFirstConsumer",
      parameters: {
        directoryPerms: "750",
        gidRangeStart: "1000",
        gidRangeEnd: "2000",
        basePath: "/volumes",
        ensureUniqueDirectory: "false",
      },
    });
  });

  it.each([
    ["dev", "aws_eks_addon.aws_efs_csi_driver"],
    ["prod", "helm_release.aws_efs_csi_driver"],
  ])("%s: waits for the CSI driver (%s) and the mount targets", (name, driver) => {
    expect(resources(stacks[name], "kubernetes_storage_class_v1").efs.depends_on).toEqual([
      driver,
      "aws_efs_mount_target.efs",
    ]);
  });

  it("is not created when the CSI driver is disabled, while the file system stays", () => {
    // The layer's other add-ons (and their classes and roles) are not this test's business: nothing of EFS's may stay.
    const classes = Object.entries(resources(stacks.stage, "kubernetes_storage_class_v1"));
    expect(classes.filter(([name, sc]) => name === "efs" || sc.storage_provisioner === "efs.csi.aws.com")).toEqual([]);
    expect(Object.keys(resources(stacks.stage, "aws_iam_role")).filter((name) => name.startsWith(EFS_CSI))).toEqual([]);
    expect(Object.keys(resources(stacks.stage, "aws_iam_policy")).filter((name) => name.startsWith(EFS_CSI))).toEqual(
      [],
    );
    expect(resources(stacks.stage, "aws_efs_file_system").efs).toBeDefined();
  });
});
