/**
 * Which keys of a provider's configuration bodies are attributes, nested attributes or nested blocks: the one fact
 * HCL syntax depends on. A nested *block* is written `name { ... }`; an attribute, nested attributes of the plugin
 * framework included, is written `name = value` (`kubernetes = { ... }`, `set = [{ ... }]`). Terraform refuses
 * the other form either way (hashicorp/terraform-provider-helm#1637: helm 3.x refuses `kubernetes { ... }`).
 *
 * cdktf's HCL renderer cannot tell: its provider bindings mark plugin-framework nested attributes as blocks
 * (`isBlock: true`), so the HCL repair (./attribute-syntax.ts) writes the nested attributes listed here as
 * attributes, and the HCL check (tools/validate/hcl-nesting.ts) compares every key of the output with these
 * tables (provider configuration) and with the reference provider schemas (resources, data sources).
 *
 * Only nesting facts, for the provider versions the project pins (the ones its @cdktf/provider-* packages wrap;
 * a test compares), each from the provider's source at its release tag. `terraform providers schema -json` has
 * the same facts (`block_types` vs. `attributes[].nested_type`); given to `npm run validate -- --provider-schema`,
 * it takes precedence in the check.
 */

export type AttributeNestingMode = "single" | "list" | "set" | "map";
export type BlockNestingMode = "single" | "group" | "list" | "set" | "map";

/** The keys of one body (a provider block, a resource, a nested block or a nested attribute's object). */
export interface Nesting {
  /** Plain attributes, whatever their type (object, map and list types included): `name = value`. */
  readonly attributes?: ReadonlyArray<string>;
  /** Every key not listed below is a plain attribute (the aws provider's `endpoints`: one per service). */
  readonly otherAttributes?: boolean;
  /** Nested attributes (plugin framework): `name = { ... }` (single, map) or `name = [{ ... }]` (list, set). */
  readonly nestedAttributes?: Readonly<Record<string, NestedAttributeNesting>>;
  /** Nested blocks: `name { ... }`, once or repeated. */
  readonly blocks?: Readonly<Record<string, NestedBlockNesting>>;
  /**
   * Attributes of a list or set of objects type (SDKv2 "attributes as blocks", e.g. aws_route_table `route`): an
   * attribute, which Terraform also accepts written as blocks (hashicorp/terraform internal/lang/blocktoattr).
   * Nested attributes never are. By name: the nesting of one element.
   */
  readonly attributesAsBlocks?: Readonly<Record<string, Nesting>>;
}

export interface NestedAttributeNesting {
  readonly nesting: AttributeNestingMode;
  readonly attributes: Nesting;
}

export interface NestedBlockNesting {
  readonly nesting: BlockNestingMode;
  readonly block: Nesting;
}

/** A provider's configuration schema (`provider "<name>" { ... }`), where it comes from. */
export interface ProviderConfigNesting {
  readonly version: string;
  /** `owner/repo@tag:path` of the schema definition. */
  readonly source: string;
  readonly nesting: Nesting;
}

const KUBERNETES_EXEC = ["api_version", "command", "env", "args"];

/**
 * helm 3.1.1 (plugin framework): `kubernetes`, `registries` and `experiments` are nested attributes, and so is
 * `kubernetes.exec` (helm 2.x had blocks for all of them).
 */
/** The cluster connection both providers take: helm 3.x inside its `kubernetes` attribute, kubernetes at the top. */
const CLUSTER_CONNECTION = [
  "host",
  "username",
  "password",
  "insecure",
  "tls_server_name",
  "client_certificate",
  "client_key",
  "cluster_ca_certificate",
  "config_paths",
  "config_path",
  "config_context",
  "config_context_auth_info",
  "config_context_cluster",
  "token",
  "proxy_url",
];

const HELM: ProviderConfigNesting = {
  version: "3.1.1",
  source: "hashicorp/terraform-provider-helm@v3.1.1:helm/provider.go (HelmProvider.Schema)",
  nesting: {
    attributes: [
      "debug",
      "plugins_path",
      "registry_config_path",
      "repository_config_path",
      "repository_cache",
      "helm_driver",
      "burst_limit",
      "qps",
    ],
    nestedAttributes: {
      kubernetes: {
        nesting: "single",
        attributes: {
          attributes: CLUSTER_CONNECTION,
          nestedAttributes: { exec: { nesting: "single", attributes: { attributes: KUBERNETES_EXEC } } },
        },
      },
      registries: { nesting: "list", attributes: { attributes: ["url", "username", "password"] } },
      experiments: { nesting: "single", attributes: { attributes: ["manifest"] } },
    },
  },
};

/** kubernetes 2.38.0 (SDKv2): `exec` and `experiments` are blocks (TypeList, MaxItems 1). */
const KUBERNETES: ProviderConfigNesting = {
  version: "2.38.0",
  source: "hashicorp/terraform-provider-kubernetes@v2.38.0:kubernetes/provider.go (Provider().Schema)",
  nesting: {
    attributes: [...CLUSTER_CONNECTION, "ignore_annotations", "ignore_labels"],
    blocks: {
      exec: { nesting: "list", block: { attributes: KUBERNETES_EXEC } },
      experiments: { nesting: "list", block: { attributes: ["manifest_resource"] } },
    },
  },
};

const ASSUME_ROLE = ["duration", "external_id", "policy", "policy_arns", "role_arn", "session_name"];

/**
 * aws 6.25.0 (SDKv2 schema, mirrored by its framework half): every nested key is a block (`assume_role` may repeat
 * since 6.0: role chaining). The block set agrees with @cdktf/provider-aws 21.22.1's bindings of 6.25.0.
 */
const AWS: ProviderConfigNesting = {
  version: "6.25.0",
  source: "hashicorp/terraform-provider-aws@v6.25.0:internal/provider/sdkv2/provider.go (NewProvider Schema)",
  nesting: {
    attributes: [
      "access_key",
      "allowed_account_ids",
      "custom_ca_bundle",
      "ec2_metadata_service_endpoint",
      "ec2_metadata_service_endpoint_mode",
      "forbidden_account_ids",
      "http_proxy",
      "https_proxy",
      "insecure",
      "max_retries",
      "no_proxy",
      "profile",
      "region",
      "retry_mode",
      "s3_us_east_1_regional_endpoint",
      "s3_use_path_style",
      "secret_key",
      "shared_config_files",
      "shared_credentials_files",
      "skip_credentials_validation",
      "skip_metadata_api_check",
      "skip_region_validation",
      "skip_requesting_account_id",
      "sts_region",
      "tag_policy_compliance",
      "token",
      "token_bucket_rate_limiter_capacity",
      "use_dualstack_endpoint",
      "use_fips_endpoint",
    ],
    blocks: {
      assume_role: {
        nesting: "list",
        block: { attributes: [...ASSUME_ROLE, "source_identity", "tags", "transitive_tag_keys"] },
      },
      assume_role_with_web_identity: {
        nesting: "list",
        block: { attributes: [...ASSUME_ROLE, "web_identity_token", "web_identity_token_file"] },
      },
      default_tags: { nesting: "list", block: { attributes: ["tags"] } },
      endpoints: { nesting: "set", block: { otherAttributes: true } },
      ignore_tags: { nesting: "list", block: { attributes: ["keys", "key_prefixes"] } },
    },
  },
};

/** Provider configuration nesting by provider type name. */
export const PROVIDER_CONFIG_NESTING: Readonly<Record<string, ProviderConfigNesting>> = {
  aws: AWS,
  helm: HELM,
  kubernetes: KUBERNETES,
};

const SET_ITEM: Nesting = { attributes: ["name", "value", "type"] };
const TIMEOUTS: NestedAttributeNesting = { nesting: "single", attributes: { otherAttributes: true } };

/**
 * The nested attributes of resources and data sources that cdktf's bindings mark as blocks: helm 3.1.1's (the only
 * plugin-framework nested attributes among the pinned providers' resources; aws 6.25.0 and kubernetes 2.38.0 have
 * none). `timeouts` is one too (terraform-plugin-framework-timeouts `timeouts.Attributes`).
 * Sources: hashicorp/terraform-provider-helm@v3.1.1:helm/resource_helm_release.go, helm/data_helm_template.go.
 */
export const NESTED_ATTRIBUTES: {
  readonly resource: Readonly<Record<string, Nesting>>;
  readonly data: Readonly<Record<string, Nesting>>;
} = {
  resource: {
    helm_release: {
      nestedAttributes: {
        set: { nesting: "list", attributes: SET_ITEM },
        set_wo: { nesting: "list", attributes: SET_ITEM },
        set_list: { nesting: "list", attributes: { attributes: ["name", "value"] } },
        set_sensitive: { nesting: "list", attributes: SET_ITEM },
        postrender: { nesting: "single", attributes: { attributes: ["binary_path", "args"] } },
        metadata: { nesting: "single", attributes: { otherAttributes: true } },
        timeouts: TIMEOUTS,
      },
    },
  },
  data: {
    helm_template: {
      nestedAttributes: {
        set: { nesting: "set", attributes: SET_ITEM },
        set_wo: { nesting: "list", attributes: SET_ITEM },
        set_list: { nesting: "list", attributes: { attributes: ["name", "value"] } },
        set_sensitive: { nesting: "set", attributes: SET_ITEM },
        postrender: { nesting: "single", attributes: { attributes: ["binary_path", "args"] } },
        timeouts: TIMEOUTS,
      },
    },
  },
};
