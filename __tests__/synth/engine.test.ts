import { Testing, TerraformStack } from "cdktf";
import { renderAddons } from "../../modules/engine/render";
import { resolveAddons } from "../../modules/engine/resolve";
import { addonsOfLayer } from "../../modules/engine/install-order";
import type { AddonOverride } from "../../modules/config/schema";
import { FAKE_CATALOG, OIDC_ISSUER, environmentWith, fakeContext } from "../helpers/engine-fixtures";

/**
 * The add-on engine with fake add-ons: what each delivery and identity mode renders, including both migration
 * directions. The resolution rules (versions, dependencies, errors, the inventory) are engine-resolution.test.ts.
 */

/** Synthesized Terraform JSON. */
type Json = Record<string, any>;

const scenarios: Record<string, Record<string, AddonOverride>> = {
  eksPodIdentity: {},
  eksIrsa: { demo: { identity: "irsa" } },
  helmPodIdentity: { demo: { delivery: "helm", values: { tuning: { burst: 50 } } } },
  helmIrsa: { demo: { delivery: "helm", identity: "irsa" } },
  helmToEks: { demo: { delivery: "eks-addon", migrateFrom: "helm" } },
  eksToHelm: { demo: { delivery: "helm", migrateFrom: "eks-addon" } },
  fargate: {},
  manifestsIrsa: { "manifests-demo": { identity: "irsa" } },
};
const synthesized: Record<string, Json> = {};

beforeAll(() => {
  const app = Testing.app();
  for (const [name, addons] of Object.entries(scenarios)) {
    const environment = environmentWith(addons);
    const plan = resolveAddons(environment, FAKE_CATALOG);
    expect(plan.issues).toEqual([]);
    const stack = new TerraformStack(app, name);
    renderAddons(stack, fakeContext(environment), addonsOfLayer(plan, "foundation"));
    synthesized[name] = JSON.parse(Testing.synth(stack));
  }
});

const resources = (scenario: string, type: string): Record<string, Json> =>
  synthesized[scenario].resource?.[type] ?? {};
const trustOf = (scenario: string, role: string): Json =>
  JSON.parse(resources(scenario, "aws_iam_role")[role].assume_role_policy);
const helmValues = (scenario: string): Json => JSON.parse(resources(scenario, "helm_release").demo.values[0]);

describe("eks-addon delivery", () => {
  it("pins addon_version and passes values as configuration_values", () => {
    expect(resources("eksPodIdentity", "aws_eks_addon").demo).toMatchObject({
      cluster_name: "demo-cluster",
      addon_name: "demo-addon",
      addon_version: "v2.0.0-eksbuild.1",
      configuration_values: JSON.stringify({ replicas: 2 }),
      resolve_conflicts_on_create: "OVERWRITE",
      preserve: false,
    });
    expect(resources("eksPodIdentity", "helm_release")).not.toHaveProperty("demo");
  });

  it("binds Pod Identity through pod_identity_association on the add-on", () => {
    const addon = resources("eksPodIdentity", "aws_eks_addon").demo;
    expect(addon.pod_identity_association).toEqual([
      { role_arn: "${aws_iam_role.demo.arn}", service_account: "demo-controller" },
    ]);
    expect(addon.service_account_role_arn).toBeUndefined();
  });

  it("binds IRSA through service_account_role_arn", () => {
    const addon = resources("eksIrsa", "aws_eks_addon").demo;
    expect(addon.service_account_role_arn).toBe("${aws_iam_role.demo.arn}");
    expect(addon.pod_identity_association).toBeUndefined();
  });
});

describe("helm delivery", () => {
  it("pins the chart version and installs into the add-on's namespace", () => {
    expect(resources("helmPodIdentity", "helm_release").demo).toMatchObject({
      name: "demo",
      namespace: "demo-system",
      create_namespace: false,
      repository: "https://charts.example.com",
      chart: "demo-chart",
      version: "2.0.1",
      atomic: true,
      wait: true,
      depends_on: expect.arrayContaining(["kubernetes_namespace_v1.demo_system"]),
    });
    expect(resources("helmPodIdentity", "aws_eks_addon")).not.toHaveProperty("demo");
  });

  it("creates the namespace first, with the Pod Security labels of what the add-on declares", () => {
    expect(resources("helmPodIdentity", "kubernetes_namespace_v1").demo_system.metadata).toEqual({
      name: "demo-system",
      labels: {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
      },
      annotations: { "cdktf-eks-platform/pod-security": "demo=restricted" },
    });
  });

  it("merges values engine < add-on defaults < environment overrides", () => {
    expect(helmValues("helmPodIdentity")).toEqual({
      controller: { serviceAccount: { create: true, name: "demo-controller" } },
      replicas: 2,
      clusterName: "demo-cluster",
      tuning: { qps: 5, burst: 50 },
    });
  });

  it("binds Pod Identity with an aws_eks_pod_identity_association created before the release", () => {
    expect(resources("helmPodIdentity", "aws_eks_pod_identity_association").demo).toEqual(
      expect.objectContaining({
        cluster_name: "demo-cluster",
        namespace: "demo-system",
        service_account: "demo-controller",
        role_arn: "${aws_iam_role.demo.arn}",
      }),
    );
    expect(resources("helmPodIdentity", "helm_release").demo.depends_on).toContain(
      "aws_eks_pod_identity_association.demo",
    );
  });

  it("binds IRSA with the role annotation on the chart's service account", () => {
    expect(helmValues("helmIrsa").controller.serviceAccount).toEqual({
      create: true,
      name: "demo-controller",
      annotations: { "eks.amazonaws.com/role-arn": "${aws_iam_role.demo.arn}" },
    });
    expect(resources("helmIrsa", "aws_eks_pod_identity_association")).not.toHaveProperty("demo");
  });
});

describe("identity", () => {
  it("Pod Identity trust: pods.eks.amazonaws.com may AssumeRole and TagSession, for this account and cluster", () => {
    expect(trustOf("helmPodIdentity", "demo").Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: { "aws:SourceAccount": "111111111111" },
          ArnEquals: { "aws:SourceArn": "arn:aws:eks:eu-west-1:111111111111:cluster/demo-cluster" },
        },
      },
    ]);
  });

  it.each(["eksIrsa", "helmIrsa"])(
    "IRSA trust (%s): StringEquals on :sub for exactly one service account and :aud",
    (scenario) => {
      expect(trustOf(scenario, "demo").Statement).toEqual([
        {
          Effect: "Allow",
          Principal: { Federated: `arn:aws:iam::111111111111:oidc-provider/${OIDC_ISSUER}` },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${OIDC_ISSUER}:sub`]: "system:serviceaccount:demo-system:demo-controller",
              [`${OIDC_ISSUER}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ]);
    },
  );

  it("Fargate add-ons default to IRSA, with managed policies attached", () => {
    expect(trustOf("fargate", "fargate_demo").Statement[0].Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(helmValuesOf("fargate", "fargate_demo").serviceAccount.annotations).toEqual({
      "eks.amazonaws.com/role-arn": "${aws_iam_role.fargate_demo.arn}",
    });
    expect(resources("fargate", "aws_iam_role_policy_attachment").fargate_demo_amazoneksclusterpolicy).toMatchObject({
      policy_arn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    });
  });

  it("the add-on's statements become a literal-JSON policy attached to its role", () => {
    expect(JSON.parse(resources("eksPodIdentity", "aws_iam_policy").demo.policy).Statement).toEqual([
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::demo-bucket/*" },
    ]);
    expect(resources("eksPodIdentity", "aws_iam_role_policy_attachment").demo).toMatchObject({
      policy_arn: "${aws_iam_policy.demo.arn}",
    });
    expect(resources("eksPodIdentity", "aws_eks_addon").demo.depends_on).toContain(
      "aws_iam_role_policy_attachment.demo",
    );
  });

  it("add-ons without an identity get no role", () => {
    expect(Object.keys(resources("eksPodIdentity", "aws_iam_role")).sort()).toEqual([
      "demo",
      "fargate_demo",
      "manifests_demo",
    ]);
  });
});

describe("manifests delivery", () => {
  const serviceAccount = (scenario: string) => resources(scenario, "kubernetes_service_account_v1").manifests_demo;

  it("gets its service account name and pinned version from the engine", () => {
    expect(serviceAccount("eksPodIdentity").metadata).toMatchObject({
      name: "manifests-demo",
      labels: { "app.kubernetes.io/version": "0.4.2" },
    });
  });

  it("with Pod Identity: an association its objects wait for, and no IRSA annotation", () => {
    expect(resources("eksPodIdentity", "aws_eks_pod_identity_association").manifests_demo).toMatchObject({
      namespace: "manifests-demo",
      service_account: "manifests-demo",
      role_arn: "${aws_iam_role.manifests_demo.arn}",
    });
    expect(serviceAccount("eksPodIdentity").depends_on).toEqual(
      expect.arrayContaining([
        "aws_eks_pod_identity_association.manifests_demo",
        "aws_iam_role_policy_attachment.manifests_demo_amazonssmreadonlyaccess",
      ]),
    );
    expect(serviceAccount("eksPodIdentity").metadata.annotations).toBeUndefined();
  });

  it("with IRSA: the role annotation on its service account, and no association", () => {
    expect(serviceAccount("manifestsIrsa").metadata.annotations).toEqual({
      "eks.amazonaws.com/role-arn": "${aws_iam_role.manifests_demo.arn}",
    });
    expect(resources("manifestsIrsa", "aws_eks_pod_identity_association")).not.toHaveProperty("manifests_demo");
  });
});

function helmValuesOf(scenario: string, release: string): Json {
  return JSON.parse(resources(scenario, "helm_release")[release].values[0]);
}

describe("migrations", () => {
  it("helm -> eks-addon: Terraform forgets the release without uninstalling, EKS adopts the objects", () => {
    expect(synthesized.helmToEks.removed).toEqual([{ from: "helm_release.demo", lifecycle: { destroy: false } }]);
    expect(resources("helmToEks", "aws_eks_addon").demo).toMatchObject({
      addon_version: "v2.0.0-eksbuild.1",
      resolve_conflicts_on_create: "OVERWRITE",
    });
    expect(resources("helmToEks", "helm_release")).not.toHaveProperty("demo");
  });

  it("helm -> eks-addon with Pod Identity keeps the Helm delivery's association at its address (no 'already exists')", () => {
    const helmAssociation = resources("helmPodIdentity", "aws_eks_pod_identity_association").demo;
    const kept = resources("helmToEks", "aws_eks_pod_identity_association").demo;
    expect(kept).toEqual(helmAssociation);
    expect(resources("helmToEks", "aws_eks_addon").demo.pod_identity_association).toBeUndefined();
    expect(resources("helmToEks", "aws_eks_addon").demo.depends_on).toContain("aws_eks_pod_identity_association.demo");
  });

  it("eks-addon -> helm, phase 1 of 2: the EKS add-on stays, marked preserve, and no release yet", () => {
    expect(resources("eksToHelm", "aws_eks_addon").demo).toMatchObject({
      addon_name: "demo-addon",
      addon_version: "v2.0.0-eksbuild.1",
      preserve: true,
    });
    expect(resources("eksToHelm", "helm_release")).not.toHaveProperty("demo");
    expect(synthesized.eksToHelm.removed).toBeUndefined();
  });

  it("without a migration there is no removed block", () => {
    expect(synthesized.eksPodIdentity.removed).toBeUndefined();
  });
});
