import { referenceFromData, validateStacks, type Finding, type SynthStack } from "../../tools/validate";
import { AWS_SCHEMA, HELM_SCHEMA, optional, synthValidStack } from "../helpers/provider-schema-fixtures";

/**
 * Provider schema checks on a stack synthesized by cdktf itself, against small fixture schemas in the
 * `terraform providers schema -json` shape (fragments of aws 6.x and helm 3.x, in
 * __tests__/helpers/provider-schema-fixtures.ts): the valid stack passes, and every way of breaking it is reported
 * with the resource address.
 */

type Json = Record<string, any>;

const reference = referenceFromData({ providerSchemas: [AWS_SCHEMA, HELM_SCHEMA] });

function validate(json: Json): Finding[] {
  const stacks: SynthStack[] = [{ name: "dev-foundation", json }];
  return validateStacks(stacks, reference, { checks: ["provider-schema"] });
}

const errors = (findings: Finding[]): string[] =>
  findings.filter((f) => f.severity === "error").map((f) => `${f.address}: ${f.message}`);

function broken(edit: (json: Json) => void): string[] {
  const json = synthValidStack();
  edit(json);
  return errors(validate(json));
}

describe("provider schemas", () => {
  test("the stack cdktf synthesizes is valid, meta-arguments and tokens included", () => {
    expect(validate(synthValidStack())).toEqual([]);
  });

  test("unknown resource and data source types", () => {
    expect(
      broken((j) => {
        j.resource.aws_iam_rol = { typo: { assume_role_policy: "{}" } };
        j.data = { aws_caller_identiy: { current: {} } };
      }),
    ).toEqual([
      'aws_iam_rol.typo: unknown resource type "aws_iam_rol" in registry.terraform.io/hashicorp/aws (did you mean "aws_iam_role"?)',
      'data.aws_caller_identiy.current: unknown data source type "aws_caller_identiy" in registry.terraform.io/hashicorp/aws (did you mean "aws_caller_identity"?)',
    ]);
  });

  test("unknown attributes and blocks, at any depth", () => {
    expect(
      broken((j) => {
        j.resource.aws_iam_role.cluster.maxSessionDuration = 3600;
        j.resource.aws_eks_cluster.cluster.vpc_config.subnets = ["x"];
        j.resource.aws_eks_cluster.cluster.kubernetes_network_config = { service_ipv4_cidr: "172.20.0.0/16" };
      }),
    ).toEqual([
      "aws_eks_cluster.cluster: kubernetes_network_config: unknown attribute or block",
      "aws_eks_cluster.cluster: vpc_config.subnets: unknown attribute or block",
      'aws_iam_role.cluster: maxSessionDuration: unknown attribute or block (did you mean "max_session_duration"?)',
    ]);
  });

  test("missing required attributes and blocks", () => {
    expect(
      broken((j) => {
        delete j.resource.aws_iam_role.cluster.assume_role_policy;
        delete j.resource.aws_eks_cluster.cluster.vpc_config;
        j.resource.helm_release.cert_manager.set = [{ value: "2" }];
      }),
    ).toEqual([
      "aws_eks_cluster.cluster: vpc_config: missing required block (at least 1)",
      "aws_iam_role.cluster: assume_role_policy: missing required attribute (string)",
      "helm_release.cert_manager: set[0].name: missing required attribute (string)",
    ]);
  });

  test("wrong nesting: too many single blocks, nested list as an object, nested single as a list, a block as a string", () => {
    expect(
      broken((j) => {
        j.resource.aws_eks_cluster.cluster.vpc_config = [{ subnet_ids: ["a"] }, { subnet_ids: ["b"] }];
        j.resource.aws_eks_cluster.cluster.access_config = "API";
        j.resource.helm_release.cert_manager.set = { name: "replicaCount", value: "2" };
        j.resource.helm_release.cert_manager.postrender = [{ binary_path: "/bin/kustomize" }];
      }),
    ).toEqual([
      'aws_eks_cluster.cluster: access_config: expected a block (an object), got string "API"',
      "aws_eks_cluster.cluster: vpc_config: at most 1 allowed, got 2",
      "helm_release.cert_manager: postrender: expected an object (nested attribute, nesting single), got an array",
      "helm_release.cert_manager: set: expected a list of objects (nested attribute, nesting list), got an object",
    ]);
  });

  test("computed-only attributes that were set, in resources and nested blocks", () => {
    expect(
      broken((j) => {
        j.resource.aws_iam_role.cluster.arn = "arn:aws:iam::111111111111:role/x";
        j.resource.aws_eks_cluster.cluster.vpc_config.vpc_id = "vpc-1";
        j.resource.helm_release.cert_manager.manifest = "---";
      }),
    ).toEqual([
      "aws_eks_cluster.cluster: vpc_config.vpc_id: computed-only attribute set; the provider sets it, configuration cannot",
      "aws_iam_role.cluster: arn: computed-only attribute set; the provider sets it, configuration cannot",
      "helm_release.cert_manager: manifest: computed-only attribute set; the provider sets it, configuration cannot",
    ]);
  });

  test("literal values of the wrong type; numeric and boolean strings convert as in Terraform", () => {
    expect(
      broken((j) => {
        j.resource.aws_iam_role.cluster.max_session_duration = "an hour";
        j.resource.aws_iam_role.cluster.force_detach_policies = "yes";
        j.resource.aws_iam_role.cluster.tags = ["platform"];
        j.resource.aws_security_group.efs.ingress[0].from_port = "nfs";
        delete j.resource.aws_security_group.efs.ingress[0].self;
        j.resource.helm_release.cert_manager.timeout = "600";
        j.resource.helm_release.cert_manager.wait = "true";
      }),
    ).toEqual([
      'aws_iam_role.cluster: force_detach_policies: expected bool, got string "yes"',
      'aws_iam_role.cluster: max_session_duration: expected number, got string "an hour"',
      "aws_iam_role.cluster: tags: expected map(string), got an array",
      'aws_security_group.efs: ingress[0].from_port: expected number, got string "nfs"',
      "aws_security_group.efs: ingress[0].self: attribute required by the object type is missing (set it to null if unused)",
    ]);
  });

  test("tokens are accepted wherever an expression could supply the value; templates only where a string fits", () => {
    expect(
      broken((j) => {
        j.resource.aws_iam_role.cluster.max_session_duration = "${var.session}";
        j.resource.aws_iam_role.cluster.tags = "${local.tags}";
        j.resource.aws_eks_cluster.cluster.vpc_config.subnet_ids = "${data.aws_subnets.private.ids}";
        j.resource.aws_eks_cluster.cluster.vpc_config.endpoint_public_access = "${var.public}";
        j.resource.aws_security_group.efs.ingress = "subnet-${var.x}";
      }),
    ).toEqual(['aws_security_group.efs: ingress: expected set(object), got a string template "subnet-${var.x}"']);
  });

  test("dynamic blocks are validated by their content", () => {
    expect(
      broken((j) => {
        const cluster = j.resource.aws_eks_cluster.cluster;
        cluster.dynamic = {
          access_config: { for_each: "${var.modes}", content: { authentication_mod: "${each.value}" } },
        };
      }),
    ).toEqual([
      'aws_eks_cluster.cluster: dynamic.access_config.content.authentication_mod: unknown attribute or block (did you mean "authentication_mode"?)',
    ]);
  });

  test("provider blocks: helm 3.x `kubernetes` is a nested attribute object, validated by its attributes", () => {
    expect(
      broken((j) => {
        j.provider.helm[0].kubernetes.exec.apiVersion = j.provider.helm[0].kubernetes.exec.api_version;
        delete j.provider.helm[0].kubernetes.exec.api_version;
        j.provider.aws[0].default_tags = [{ tags: { a: "b" } }, { tags: { c: "d" } }];
      }),
    ).toEqual([
      "provider.aws: default_tags: at most 1 allowed, got 2",
      'provider.helm: kubernetes.exec.apiVersion: unknown attribute or block (did you mean "api_version"?)',
      "provider.helm: kubernetes.exec.api_version: missing required attribute (string)",
    ]);
    expect(
      broken((j) => {
        j.provider.helm[0].kubernetes = [j.provider.helm[0].kubernetes];
      }),
    ).toEqual(["provider.helm: kubernetes: expected an object (nested attribute, nesting single), got an array"]);
  });

  test("backend: required settings", () => {
    expect(
      broken((j) => {
        delete j.terraform.backend.s3.bucket;
      }),
    ).toEqual(["terraform.backend.s3: bucket: missing required backend setting"]);
  });

  test("resources of providers without a schema, and provider blocks without a configuration schema, are skipped, not failed", () => {
    const json = synthValidStack();
    json.resource.kubectl_manifest = { crd: { yaml_body: "kind: X" } };
    const withoutProviderConfig = referenceFromData({
      providerSchemas: [
        {
          provider_schemas: {
            "registry.terraform.io/hashicorp/aws": {
              ...AWS_SCHEMA.provider_schemas["registry.terraform.io/hashicorp/aws"],
              provider: undefined,
            },
          },
        },
        HELM_SCHEMA,
      ],
    });
    const findings = validateStacks([{ name: "dev-foundation", json }], withoutProviderConfig, {
      checks: ["provider-schema"],
    });
    expect(errors(findings)).toEqual([]);
    expect(findings.map((f) => `${f.stack} ${f.address}: ${f.severity}`)).toEqual([
      "* provider: skipped",
      "dev-foundation provider.kubectl: skipped",
    ]);
  });

  test("a later schema document (`--provider-schema`) overrides type by type: a provider-configuration-only document keeps the resources", () => {
    const helmProviderOnly = {
      provider_schemas: {
        "registry.terraform.io/hashicorp/helm": {
          provider: { block: { attributes: { burst_limit: optional("number") } } },
        },
      },
    };
    const json = synthValidStack();
    const findings = validateStacks(
      [{ name: "dev-foundation", json }],
      referenceFromData({ providerSchemas: [AWS_SCHEMA, HELM_SCHEMA, helmProviderOnly] }),
      { checks: ["provider-schema"] },
    );
    expect(errors(findings)).toEqual(["provider.helm: kubernetes: unknown attribute or block"]);
  });
});
