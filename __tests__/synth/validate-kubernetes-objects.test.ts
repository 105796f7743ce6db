import {
  defaultObjectExtractors,
  referenceFromData,
  validateStacks,
  type Finding,
  type ObjectExtractor,
} from "../../tools/validate";
import {
  CLUSTER_SECRET_STORE_CRD,
  NODE_POOL_CRD,
  nodePool,
  synthValidStack,
} from "../helpers/kubernetes-object-fixtures";

/**
 * Kubernetes objects wherever the stacks put them (a `kubernetes_manifest`, a raw-manifests chart's
 * `objects`, a `yaml_body`) are checked against fixture CRDs (__tests__/helpers/kubernetes-object-fixtures.ts):
 * fragments of Karpenter's NodePool and External Secrets' ClusterSecretStore, with the same OpenAPI constructs as
 * upstream.
 */

type Json = Record<string, any>;

const reference = referenceFromData({ crds: [NODE_POOL_CRD, CLUSTER_SECRET_STORE_CRD] });

function validate(json: Json, extractors?: ObjectExtractor[]): Finding[] {
  return validateStacks([{ name: "dev-operators", json }], reference, { checks: ["kubernetes-object"], extractors });
}

const lines = (findings: Finding[], severity = "error"): string[] =>
  findings.filter((f) => f.severity === severity).map((f) => `${f.address}: ${f.message}`);

function broken(edit: (json: Json) => void): string[] {
  const json = synthValidStack();
  edit(json);
  return lines(validate(json));
}

function editValues(json: Json, edit: (values: Json) => void): void {
  const release = json.resource.helm_release.external_secrets_stores;
  const values = JSON.parse(release.values[0]);
  edit(values);
  release.values[0] = JSON.stringify(values);
}

describe("Kubernetes objects", () => {
  test("the valid stack passes; the role ARN token inside the store is accepted", () => {
    const findings = validate(synthValidStack());
    expect(findings).toEqual([]);
    expect(JSON.stringify(synthValidStack())).toContain("${aws_iam_role.external_secrets.arn}");
  });

  test("a custom resource in kubernetes_manifest.manifest is validated against its CRD", () => {
    expect(
      broken((j) => {
        const spec = j.resource.kubernetes_manifest.node_pool.manifest.spec;
        spec.disruption.consolidationPolicy = "Sometimes";
        spec.disruption.consolidateAfter = "soon";
        spec.template.spec.requirements[0].operator = "Equals";
        delete spec.template.spec.nodeClassRef.group;
        spec.template.spec.nodeclassRef = {};
        spec.limits.cpu = 1.5;
        spec.weight = 1000;
      }),
    ).toEqual([
      'kubernetes_manifest.node_pool: manifest: spec.disruption.consolidateAfter: "soon" does not match pattern ^(([0-9]+(s|m|h))+|Never)$ (CRD inline[0])',
      'kubernetes_manifest.node_pool: manifest: spec.disruption.consolidationPolicy: must be one of "WhenEmpty", "WhenEmptyOrUnderutilized", got "Sometimes" (CRD inline[0])',
      "kubernetes_manifest.node_pool: manifest: spec.limits.cpu: must be an integer or a string, got number 1.5 (CRD inline[0])",
      "kubernetes_manifest.node_pool: manifest: spec.template.spec.nodeClassRef.group: missing required field (CRD inline[0])",
      'kubernetes_manifest.node_pool: manifest: spec.template.spec.nodeclassRef: unknown field (did you mean "nodeClassRef"?) (CRD inline[0])',
      'kubernetes_manifest.node_pool: manifest: spec.template.spec.requirements[0].operator: must be one of "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", got "Equals" (CRD inline[0])',
      "kubernetes_manifest.node_pool: manifest: spec.weight: must be <= 100, got 1000 (CRD inline[0])",
    ]);
  });

  test("a custom resource in a raw-manifests chart's values is validated, version and kind included", () => {
    expect(
      broken((j) =>
        editValues(j, (values) => {
          values.objects[0].spec.provider.aws.service = "KMS";
          values.objects[0].spec.provider.gcp = {};
          values.objects.push({ ...values.objects[0], apiVersion: "external-secrets.io/v1beta1" });
          values.objects.push({ ...values.objects[0], kind: "SecretStore" });
        }),
      ),
    ).toEqual([
      'helm_release.external_secrets_stores: values.objects[0]: spec.provider.aws.service: must be one of "SecretsManager", "ParameterStore", got "KMS" (CRD inline[1])',
      "helm_release.external_secrets_stores: values.objects[0]: spec.provider.gcp: unknown field (CRD inline[1])",
      "helm_release.external_secrets_stores: values.objects[0]: spec.provider: at most 1 field(s) allowed, got 2 (CRD inline[1])",
      "helm_release.external_secrets_stores: values.objects[2]: apiVersion: ClusterSecretStore external-secrets.io/v1beta1 is not served by its CRD (inline[1] serves v1)",
      "helm_release.external_secrets_stores: values.objects[3]: kind: the reference CRDs for group external-secrets.io define ClusterSecretStore, not SecretStore",
    ]);
  });

  test("the `manifests` key, objects given as YAML strings, and later values documents overriding earlier ones", () => {
    expect(
      broken((j) => {
        const release = j.resource.helm_release.external_secrets_stores;
        release.values.push(
          JSON.stringify({ objects: null }),
          `manifests:\n  - |\n    apiVersion: karpenter.sh/v1\n    kind: NodePool\n    metadata:\n      name: gpu\n    spec:\n      template: {}\n`,
        );
      }),
    ).toEqual([
      "helm_release.external_secrets_stores: values.manifests[0]: spec.template.spec: missing required field (CRD inline[0])",
    ]);
  });

  test("yaml_body strings: built-in kinds are checked for apiVersion, kind and metadata", () => {
    expect(
      broken((j) => {
        j.resource.kubectl_manifest.pdb.yaml_body = j.resource.kubectl_manifest.pdb.yaml_body
          .replace("policy/v1", "policy/v1beta1")
          .replace("name: coredns", "name: CoreDNS");
        j.resource.kubectl_manifest.broken = { yaml_body: "kind: [unclosed" };
        j.resource.kubectl_manifest.cm = {
          yaml_body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    replicas: 2\n",
        };
      }),
    ).toEqual([
      "kubectl_manifest.broken: yaml_body: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 16",
      "kubectl_manifest.cm: yaml_body: metadata.labels.replicas: must be a string, got number 2",
      "kubectl_manifest.cm: yaml_body: metadata.name: missing",
      "kubectl_manifest.pdb: yaml_body: apiVersion: PodDisruptionBudget policy/v1beta1 is not served by Kubernetes (use policy/v1)",
      "kubectl_manifest.pdb: yaml_body: metadata.name: \"CoreDNS\" is not a valid name (lowercase letters, digits, '-' and '.', at most 253 characters)",
    ]);
  });

  test("tokens stand in for any value; computed carriers and kinds without a CRD are skipped, not failed", () => {
    const json = synthValidStack();
    const spec = json.resource.kubernetes_manifest.node_pool.manifest.spec;
    spec.weight = "${var.weight}";
    spec.template.spec.requirements = "${local.requirements}";
    json.resource.kubernetes_manifest.computed = { manifest: '${yamldecode(file("x.yaml"))}' };
    json.resource.kubernetes_manifest.cert = {
      manifest: {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: "letsencrypt" },
        spec: {},
      },
    };
    const findings = validate(json);
    expect(lines(findings)).toEqual([]);
    expect(lines(findings, "skipped")).toEqual([
      "kubernetes_manifest.cert: manifest: no CRD for ClusterIssuer cert-manager.io/v1 in the reference; spec not checked",
      "kubernetes_manifest.computed: manifest: computed at apply time; objects not checked",
    ]);
  });

  test("cluster-scoped kinds with a namespace are a warning", () => {
    const json = synthValidStack();
    json.resource.kubernetes_manifest.node_pool.manifest.metadata.namespace = "karpenter";
    expect(lines(validate(json), "warning")).toEqual([
      "kubernetes_manifest.node_pool: manifest: metadata.namespace: NodePool is cluster-scoped; the namespace is ignored",
    ]);
  });

  test("extraction is pluggable: a custom extractor adds a carrier", () => {
    const json = synthValidStack();
    json.resource.helm_release.karpenter = {
      name: "karpenter",
      chart: "karpenter",
      values: [JSON.stringify({ extraObjects: [{ ...nodePool(), spec: {} }] })],
    };
    const extraObjects: ObjectExtractor = {
      name: "extraObjects",
      extract: (resource) => {
        if (resource.type !== "helm_release") return undefined;
        const values = JSON.parse(String((resource.body.values as string[])[0]));
        return Array.isArray(values.extraObjects)
          ? {
              objects: values.extraObjects.map((object: unknown, i: number) => ({
                location: `values.extraObjects[${i}]`,
                object,
              })),
            }
          : undefined;
      },
    };
    expect(lines(validate(json))).toEqual([]);
    expect(lines(validate(json, [...defaultObjectExtractors, extraObjects]))).toEqual([
      "helm_release.karpenter: values.extraObjects[0]: spec.template: missing required field (CRD inline[0])",
    ]);
  });
});
