import { TerraformStack, Testing } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";

/**
 * For the Kubernetes object checks (validate-kubernetes-objects.test.ts): fixture CRDs, fragments of Karpenter's
 * NodePool and External Secrets' ClusterSecretStore with the same OpenAPI constructs as upstream; objects of those
 * kinds; and a stack synthesized by cdktf with objects in each carrier the checks read.
 */

type Json = Record<string, any>;

export const NODE_POOL_CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "nodepools.karpenter.sh" },
  spec: {
    group: "karpenter.sh",
    names: { kind: "NodePool", plural: "nodepools" },
    scope: "Cluster",
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              apiVersion: { type: "string" },
              kind: { type: "string" },
              metadata: { type: "object" },
              spec: {
                type: "object",
                required: ["template"],
                properties: {
                  disruption: {
                    type: "object",
                    properties: {
                      consolidationPolicy: { type: "string", enum: ["WhenEmpty", "WhenEmptyOrUnderutilized"] },
                      consolidateAfter: { type: "string", pattern: "^(([0-9]+(s|m|h))+|Never)$" },
                    },
                  },
                  limits: {
                    type: "object",
                    additionalProperties: {
                      anyOf: [{ type: "integer" }, { type: "string" }],
                      "x-kubernetes-int-or-string": true,
                    },
                  },
                  weight: { type: "integer", format: "int32", minimum: 1, maximum: 100 },
                  template: {
                    type: "object",
                    required: ["spec"],
                    properties: {
                      metadata: {
                        type: "object",
                        properties: { labels: { type: "object", additionalProperties: { type: "string" } } },
                      },
                      spec: {
                        type: "object",
                        required: ["nodeClassRef", "requirements"],
                        properties: {
                          nodeClassRef: {
                            type: "object",
                            required: ["group", "kind", "name"],
                            properties: {
                              group: { type: "string" },
                              kind: { type: "string" },
                              name: { type: "string" },
                            },
                          },
                          requirements: {
                            type: "array",
                            maxItems: 100,
                            items: {
                              type: "object",
                              required: ["key", "operator"],
                              properties: {
                                key: { type: "string", maxLength: 316 },
                                operator: {
                                  type: "string",
                                  enum: ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"],
                                },
                                values: {
                                  type: "array",
                                  items: { type: "string" },
                                  "x-kubernetes-list-type": "atomic",
                                },
                              },
                            },
                          },
                        },
                      },
                    },
                  },
                },
                "x-kubernetes-validations": [
                  { rule: "self.template.spec.requirements.size() > 0", message: "not checked offline" },
                ],
              },
              status: { type: "object", properties: { resources: { type: "object" } } },
            },
          },
        },
      },
    ],
  },
};

export const CLUSTER_SECRET_STORE_CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  spec: {
    group: "external-secrets.io",
    names: { kind: "ClusterSecretStore", plural: "clustersecretstores" },
    scope: "Cluster",
    versions: ["v1", "v1beta1"].map((name) => ({
      name,
      served: name === "v1",
      storage: name === "v1",
      schema: {
        openAPIV3Schema: {
          type: "object",
          properties: {
            spec: {
              type: "object",
              required: ["provider"],
              properties: {
                provider: {
                  type: "object",
                  maxProperties: 1,
                  minProperties: 1,
                  properties: {
                    aws: {
                      type: "object",
                      required: ["service"],
                      properties: {
                        service: { type: "string", enum: ["SecretsManager", "ParameterStore"] },
                        region: { type: "string" },
                        role: { type: "string" },
                      },
                    },
                  },
                },
                refreshInterval: { type: "integer", nullable: true },
              },
            },
          },
        },
      },
    })),
  },
};

/** A valid NodePool. */
export function nodePool(): Json {
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: "default", labels: { team: "platform" } },
    spec: {
      template: {
        metadata: { labels: { pool: "default" } },
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
          requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand", "spot"] }],
        },
      },
      disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m" },
      limits: { cpu: 1000, memory: "1000Gi" },
    },
  };
}

/** A valid ClusterSecretStore for AWS Parameter Store that Pods reach as `role`. */
function secretStore(role: string): Json {
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ClusterSecretStore",
    metadata: { name: "aws-parameter-store" },
    spec: { provider: { aws: { service: "ParameterStore", region: "eu-west-1", role } }, refreshInterval: null },
  };
}

/**
 * A stack with objects in all three carriers (`kubernetes_manifest`, a raw-manifests chart's `objects`, a kubectl
 * `yaml_body`); tokens (the role ARN) inside objects included.
 */
export function synthValidStack(): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "dev-operators");
  const role = new IamRole(stack, "role", { assumeRolePolicy: "{}" });
  role.overrideLogicalId("external_secrets");
  new Manifest(stack, "node-pool", { manifest: nodePool() }).overrideLogicalId("node_pool");
  new Release(stack, "stores", {
    name: "stores",
    chart: "./charts/platform-manifests",
    values: [
      JSON.stringify({
        objects: [
          secretStore(role.arn),
          {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "settings", namespace: "platform" },
            data: { a: "b" },
          },
        ],
      }),
    ],
  }).overrideLogicalId("external_secrets_stores");
  const json = JSON.parse(Testing.synth(stack));
  // A kubectl_manifest-like resource: a provider this project does not use, so built by hand.
  json.resource.kubectl_manifest = {
    pdb: {
      yaml_body:
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: coredns\n  namespace: kube-system\nspec:\n  minAvailable: 1\n",
    },
  };
  return json;
}
