import { coversInternet, parseCidrs, publicAddressCount } from "../cidr";
import {
  actionCovers,
  asObject,
  asStrings,
  firstBlock,
  parsePolicy,
  resources,
  type JsonObject,
  type ResourceBlock,
  type StackJson,
} from "../terraform-json";
import { releaseObjects } from "./nodes";
import { checkEach, defineRule, type PolicyRule, type Violation } from "./types";

/**
 * Safety defaults the config can switch off (`deletionProtection: false`, an older TLS policy, ACME over plain
 * HTTP, an echo server open to the internet, SSM read access to the whole account, S3 state without locking): the switch is an explicit config value,
 * and the synthesized result is a finding, so turning a default off also takes a reasoned waiver.
 */

/**
 * ELB policies that allow only TLS 1.2 and 1.3 with forward-secret ciphers: the TLS13-1-2 / TLS13-1-3 families
 * (2021-06, the FIPS 2023-04 and the post-quantum 2025-09 variants, and later ones named alike) and the FS-1-2
 * ones. Refused: TLS13-1-0/1-1, FS-1-1, FS-2018-06, ELBSecurityPolicy-2016-08 and the other pre-FS policies.
 */
export const MODERN_TLS_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|FS-1-2-)[\w-]+$/;

/** The annotation an Ingress can set its own listener policy with. */
const SSL_POLICY_ANNOTATION = "alb.ingress.kubernetes.io/ssl-policy";

/** Kubernetes objects the stack ships in manifests releases, with the release that carries each. */
function shippedObjects(json: StackJson): Array<{ release: ResourceBlock; object: JsonObject }> {
  return resources(json, "helm_release").flatMap((release) =>
    releaseObjects(release).map((object) => ({ release, object })),
  );
}

const tlsProblem = (policy: unknown) =>
  typeof policy === "string" && !MODERN_TLS_POLICY.test(policy)
    ? `TLS policy ${policy} allows TLS below 1.2 or ciphers without forward secrecy`
    : undefined;

/** The synthesized S3 backend, as a block findings and waivers can name (`terraform.backend.s3`). */
function s3Backend(json: StackJson): ResourceBlock | undefined {
  const body = asObject(asObject(asObject(json.terraform)?.backend)?.s3);
  return body
    ? { mode: "resource", type: "terraform", name: "backend.s3", address: "terraform.backend.s3", body }
    : undefined;
}

/** The echo server's Ingress and Service name (modules/addons/echo-server: the pack reads the JSON, not add-ons). */
const ECHO_NAME = "echo-server";
/** The annotation that adds conditions to the echo server's listener rule (keyed by its Service's name). */
const ECHO_CONDITIONS = `alb.ingress.kubernetes.io/conditions.${ECHO_NAME}`;

/** An Ingress's `conditions.<service>` annotation, as a list of conditions (nothing when absent or unreadable). */
function parseConditions(text: unknown): JsonObject[] {
  if (typeof text !== "string") return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((item): item is JsonObject => asObject(item) !== undefined) : [];
  } catch {
    return [];
  }
}

/** A Resource covering every parameter of the account (`parameter/*`, `parameter*`, `*`). */
const everyParameter = (resource: string) => resource === "*" || /:parameter\/?\*$/.test(resource);

export const DEFAULTS_RULES: PolicyRule[] = [
  defineRule({
    id: "EKS_DELETION_PROTECTION",
    area: "eks",
    title: "The cluster has deletion protection on",
    scanners: {},
    fix: "keep cluster.deletionProtection: true (to delete the cluster, see the README: Deleting stateful resources)",
    check: ({ json }) =>
      checkEach(json, "aws_eks_cluster", (cluster) =>
        cluster.body.deletion_protection === true
          ? undefined
          : "deletion protection is off: a destroy or replacement deletes the cluster",
      ),
  }),
  defineRule({
    id: "ALB_TLS_POLICY",
    area: "network",
    title:
      "Load balancer listeners use a TLS 1.2+ forward-secrecy policy (`ELBSecurityPolicy-TLS13-1-2-*`, `-TLS13-1-3-*`, `-FS-1-2-*`)",
    scanners: { checkov: ["CKV_AWS_103"], trivy: ["AVD-AWS-0047"] },
    fix: "set network.ingress.sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 (the default) or a newer TLS13 policy",
    check: ({ json }) => {
      const violations: Violation[] = [];
      for (const { release, object } of shippedObjects(json)) {
        const problem =
          object.kind === "IngressClassParams" ? tlsProblem(firstBlock(object.spec)?.sslPolicy) : undefined;
        if (problem) violations.push({ resource: release, problem: `IngressClassParams: ${problem}` });
      }
      for (const ingress of resources(json).filter((block) => block.type.startsWith("kubernetes_ingress"))) {
        const annotations = asObject(firstBlock(ingress.body.metadata)?.annotations);
        const problem = tlsProblem(annotations?.[SSL_POLICY_ANNOTATION]);
        if (problem) violations.push({ resource: ingress, problem });
      }
      violations.push(...checkEach(json, "aws_lb_listener", (listener) => tlsProblem(listener.body.ssl_policy)));
      return violations;
    },
  }),
  defineRule({
    id: "ACME_HTTPS",
    area: "network",
    title: "ACME issuers talk to their directory over HTTPS",
    scanners: {},
    fix: "set network.acmeIssuer.server to an https:// directory URL (the default is Let's Encrypt production)",
    check: ({ json }) =>
      shippedObjects(json)
        .filter(({ object }) => object.kind === "ClusterIssuer" || object.kind === "Issuer")
        .flatMap(({ release, object }): Violation[] => {
          const server = asObject(firstBlock(object.spec)?.acme)?.server;
          return typeof server === "string" && !server.startsWith("https://")
            ? [
                {
                  resource: release,
                  problem: `ACME server ${server} is not HTTPS: the account key and every certificate order travel in plain text`,
                },
              ]
            : [];
        }),
  }),
  defineRule({
    id: "ECHO_SERVER_RESTRICTED",
    area: "network",
    title:
      "The echo server answers listed sources only: its ALB rule has a source-ip condition that does not cover the internet (0.0.0.0/0, or more than a /8 of public addresses)",
    scanners: {},
    fix: "keep network.echo.allowedCidrs to the addresses you test from (default: the private ranges), or turn the echo server off once the first deploy is proven (addons.echo-server.enabled: false)",
    check: ({ json }) =>
      checkEach(json, "kubernetes_ingress_v1", (ingress) => {
        const metadata = firstBlock(ingress.body.metadata);
        if (metadata?.name !== ECHO_NAME) return undefined;
        const conditions = parseConditions(asObject(metadata.annotations)?.[ECHO_CONDITIONS]);
        const sources = conditions
          .filter((condition) => condition.field === "source-ip")
          .flatMap((condition) => asStrings(asObject(condition.sourceIpConfig)?.values));
        if (sources.length === 0)
          return `its listener rule has no source-ip condition (${ECHO_CONDITIONS}): every client that reaches the ALB reaches the echo server`;
        const parsed = parseCidrs(sources);
        if (!parsed)
          return `its source-ip condition has ${sources.join(", ")}, which is not a list of canonical IPv4 CIDR blocks`;
        return coversInternet(parsed)
          ? `the echo server answers the internet: its source-ip condition ${sources.join(", ")} covers ${publicAddressCount(parsed).toLocaleString("en-US")} public addresses`
          : undefined;
      }),
  }),
  defineRule({
    id: "SSM_READ_SCOPED",
    area: "iam",
    title: "No policy allows reading every SSM parameter of the account (`ssm:GetParameter*` on `parameter/*` or `*`)",
    scanners: {},
    fix: "list the path prefixes the workload reads in operators.externalSecrets.ssmPathPrefixes (default /<environment>/), not /",
    check: ({ json }) =>
      ["aws_iam_policy", "aws_iam_role_policy"].flatMap((type) =>
        checkEach(json, type, (policy) => {
          const broad = (parsePolicy(policy.body.policy) ?? []).filter(
            (statement) =>
              statement.Effect === "Allow" &&
              statement.Action.some(
                (action) => actionCovers(action, "ssm:GetParameter") || actionCovers(action, "ssm:GetParametersByPath"),
              ) &&
              statement.Resource.some(everyParameter),
          );
          return broad.length > 0
            ? `allows reading every SSM parameter of the account (${broad.flatMap((statement) => statement.Resource.filter(everyParameter)).join(", ")})`
            : undefined;
        }),
      ),
  }),
  defineRule({
    id: "STATE_LOCKING",
    area: "state",
    title: "S3 state is locked while Terraform writes it (use_lockfile, or a DynamoDB lock table)",
    scanners: {},
    fix: "keep backend.useLockfile: true (the default; Terraform >= 1.10)",
    check: ({ json }) => {
      const backend = s3Backend(json);
      if (!backend) return [];
      const locked =
        backend.body.use_lockfile === true ||
        (typeof backend.body.dynamodb_table === "string" && backend.body.dynamodb_table !== "");
      return locked
        ? []
        : [
            {
              resource: backend,
              problem: "the S3 state has no lock: two concurrent runs can overwrite each other's state",
            },
          ];
    },
  }),
];
