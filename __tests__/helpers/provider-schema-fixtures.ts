import { S3Backend, TerraformIterator, TerraformStack, Testing } from "cdktf";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";

/**
 * For the provider schema checks (validate-provider-schema.test.ts): small fixture schemas in the
 * `terraform providers schema -json` shape (fragments of aws 6.x and helm 3.x), and a stack synthesized by cdktf
 * itself that they describe, which the tests break one way at a time.
 */

type Json = Record<string, any>;

export const optional = (type: unknown, extra: Json = {}): Json => ({
  type,
  optional: true,
  description_kind: "plain",
  ...extra,
});
const required = (type: unknown): Json => ({ type, required: true, description_kind: "plain" });
const computed = (type: unknown): Json => ({ type, computed: true, description_kind: "plain" });

export const AWS_SCHEMA = {
  format_version: "1.0",
  provider_schemas: {
    "registry.terraform.io/hashicorp/aws": {
      provider: {
        block: {
          attributes: { region: optional("string") },
          block_types: {
            default_tags: {
              nesting_mode: "list",
              max_items: 1,
              block: { attributes: { tags: optional(["map", "string"]) } },
            },
          },
        },
      },
      resource_schemas: {
        aws_iam_role: {
          block: {
            attributes: {
              arn: computed("string"),
              assume_role_policy: required("string"),
              name: optional("string", { computed: true }),
              max_session_duration: optional("number"),
              force_detach_policies: optional("bool"),
              tags: optional(["map", "string"]),
              id: optional("string", { computed: true }),
            },
          },
        },
        aws_security_group: {
          block: {
            attributes: {
              name: optional("string", { computed: true }),
              ingress: optional(
                [
                  "set",
                  [
                    "object",
                    {
                      cidr_blocks: ["list", "string"],
                      from_port: "number",
                      protocol: "string",
                      self: "bool",
                      to_port: "number",
                      description: "string",
                      ipv6_cidr_blocks: ["list", "string"],
                      prefix_list_ids: ["list", "string"],
                      security_groups: ["set", "string"],
                    },
                  ],
                ],
                { computed: true },
              ),
            },
          },
        },
        aws_eks_cluster: {
          block: {
            attributes: {
              name: required("string"),
              role_arn: required("string"),
              version: optional("string", { computed: true }),
            },
            block_types: {
              vpc_config: {
                nesting_mode: "list",
                min_items: 1,
                max_items: 1,
                block: {
                  attributes: {
                    subnet_ids: required(["set", "string"]),
                    endpoint_public_access: optional("bool"),
                    vpc_id: computed("string"),
                  },
                },
              },
              access_config: {
                nesting_mode: "list",
                max_items: 1,
                block: { attributes: { authentication_mode: optional("string") } },
              },
            },
          },
        },
      },
      data_source_schemas: { aws_caller_identity: { block: { attributes: { account_id: computed("string") } } } },
    },
  },
};

export const HELM_SCHEMA = {
  format_version: "1.0",
  provider_schemas: {
    "registry.terraform.io/hashicorp/helm": {
      // helm 3.x (plugin framework): `kubernetes` is a nested attribute (an object), not a block.
      provider: {
        block: {
          attributes: {
            kubernetes: {
              optional: true,
              nested_type: {
                nesting_mode: "single",
                attributes: {
                  host: optional("string"),
                  cluster_ca_certificate: optional("string"),
                  exec: {
                    optional: true,
                    nested_type: {
                      nesting_mode: "single",
                      attributes: {
                        api_version: required("string"),
                        command: required("string"),
                        args: optional(["list", "string"]),
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      resource_schemas: {
        helm_release: {
          block: {
            attributes: {
              name: required("string"),
              chart: required("string"),
              namespace: optional("string", { computed: true }),
              values: optional(["list", "string"]),
              wait: optional("bool", { computed: true }),
              timeout: optional("number", { computed: true }),
              manifest: computed("string"),
              set: {
                optional: true,
                nested_type: {
                  nesting_mode: "list",
                  attributes: {
                    name: required("string"),
                    value: optional("string"),
                    type: optional("string", { computed: true }),
                  },
                },
              },
              postrender: {
                optional: true,
                nested_type: {
                  nesting_mode: "single",
                  attributes: { binary_path: required("string"), args: optional(["list", "string"]) },
                },
              },
            },
          },
        },
      },
      data_source_schemas: {},
    },
  },
};

/**
 * The valid stack: an S3 backend, the aws and helm providers, an IAM role, a security group, a cluster and a
 * helm_release per item of a list, with meta-arguments and tokens.
 */
export function synthValidStack(): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "dev-foundation");
  new S3Backend(stack, { bucket: "state", key: "dev/foundation.tfstate", region: "eu-west-1" });
  new AwsProvider(stack, "aws", { region: "eu-west-1", defaultTags: [{ tags: { team: "platform" } }] });
  new HelmProvider(stack, "helm", {
    kubernetes: {
      host: "https://k8s",
      exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token"] },
    },
  });
  const role = new IamRole(stack, "role", {
    name: "dev-cluster",
    assumeRolePolicy: "{}",
    maxSessionDuration: 3600,
    tags: { team: "platform" },
  });
  role.overrideLogicalId("cluster");
  new SecurityGroup(stack, "sg", {
    name: "efs",
    ingress: [{ fromPort: 2049, toPort: 2049, protocol: "tcp", cidrBlocks: ["10.0.0.0/16"] }],
  }).overrideLogicalId("efs");
  new EksCluster(stack, "cluster", {
    name: "dev",
    roleArn: role.arn,
    vpcConfig: { subnetIds: ["subnet-1", "subnet-2"] },
    dependsOn: [role],
  }).overrideLogicalId("cluster");
  const each = TerraformIterator.fromList(["a", "b"]);
  new Release(stack, "release", {
    forEach: each,
    name: "cert-manager",
    chart: "cert-manager",
    namespace: "cert-manager",
    wait: true,
    timeout: 600,
    values: [JSON.stringify({ crds: { enabled: true } })],
    set: [{ name: "replicaCount", value: "2" }],
    postrender: { binaryPath: "/bin/kustomize" },
  }).overrideLogicalId("cert_manager");
  return JSON.parse(Testing.synth(stack));
}
