import { z } from "zod";
import { DEFAULT_KARPENTER_AMI_ALIAS } from "../versions";
import { fields } from "./cluster-schema";
import { echoSchema } from "./echo-schema";
import { LAYER_TABLE, type Layer } from "../layers";
import { sizeProblem } from "./quantity";
import { calendarDateProblem, waiverReasonProblem } from "./waiver-checks";
import { bounded, labelValue, qualifiedName, text, visible } from "./text";
import { RESTRICTED_LABEL_FIX, restrictedNodeLabel } from "./karpenter-labels";

// A size: parsed as the API server parses quantities (quantity.ts), and more than zero.
const quantity = z.union([
  z.number().positive(),
  bounded(64).superRefine((text, ctx) => {
    const problem = sizeProblem(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: text });
  }),
]);
const duration = bounded(32).regex(/^(Never|(\d+(s|m|h))+)$/, {
  message: "must be a duration such as 30s, 5m, 720h or Never",
});

const taint = z.strictObject({
  key: qualifiedName.describe(
    "Taint key: a Kubernetes qualified name (an optional DNS subdomain prefix and `/`, then 1-63 letters, digits, `-`, `_` and `.`).",
  ),
  value: labelValue
    .optional()
    .describe("Taint value, at most 63 characters like a label value; omitted, the taint has only a key."),
  effect: z
    .enum(["NoSchedule", "PreferNoSchedule", "NoExecute"])
    .describe("What the taint does to pods that do not tolerate it (Kubernetes taint effect)."),
});

export const nodePoolSchema = z.strictObject({
  name: fields.dnsLabel.describe(
    "Name of the Karpenter NodePool and of its own EC2NodeClass; nodes are tagged `Name: <cluster>-<name>`.",
  ),
  capacityTypes: z
    .array(z.enum(["on-demand", "spot", "reserved"]))
    .min(1)
    .default(["on-demand", "spot"])
    .describe(
      "Purchase options the pool may launch (`karpenter.sh/capacity-type`); the default lets Karpenter use spot as well as on-demand.",
    ),
  architectures: z
    .array(z.enum(["amd64", "arm64"]))
    .min(1)
    .default(["amd64", "arm64"])
    .describe(
      "CPU architectures of the nodes (`kubernetes.io/arch`); the default allows Graviton (arm64) as well as x86.",
    ),
  instanceCategories: z
    .array(bounded(16).regex(/^[a-z]+$/, { message: "must be lower-case letters, such as m" }))
    .min(1)
    .default(["c", "m", "r"])
    .describe(
      "EC2 instance categories allowed (`karpenter.k8s.aws/instance-category`); default compute (c), general-purpose (m) and memory-optimized (r).",
    ),
  instanceFamilies: z
    .array(bounded(32).regex(/^[a-z0-9-]+$/, { message: "must be lower-case letters, digits and '-', such as m7g" }))
    .min(1)
    .optional()
    .describe(
      "Limit the pool to these instance families, e.g. m7g (`karpenter.k8s.aws/instance-family`); omitted, any family of the categories.",
    ),
  minInstanceGeneration: z
    .number()
    .int()
    .min(1)
    .default(5)
    .describe(
      "Oldest instance generation allowed, e.g. 5 allows m5 and newer (Karpenter's `instance-generation Gt <this - 1>`).",
    ),
  limits: z
    .strictObject({
      cpu: quantity
        .optional()
        .describe(
          "Most CPU the pool's nodes may have in total, in cores or a Kubernetes quantity; omitted, no CPU limit.",
        ),
      memory: quantity
        .optional()
        .describe(
          "Most memory the pool's nodes may have in total, as a Kubernetes quantity such as 1000Gi; omitted, no memory limit.",
        ),
    })
    .default({ cpu: 1000, memory: "1000Gi" })
    .describe(
      "NodePool limits: Karpenter launches no more nodes once the pool's nodes reach them, a guard against runaway scaling.",
    ),
  disruption: z
    .strictObject({
      consolidationPolicy: z
        .enum(["WhenEmptyOrUnderutilized", "WhenEmpty"])
        .default("WhenEmptyOrUnderutilized")
        .describe(
          "Which nodes Karpenter consolidates: empty or underutilized ones (removed or replaced by cheaper nodes), or only empty ones.",
        ),
      consolidateAfter: duration
        .default("1m")
        .describe(
          "How long Karpenter waits after a pod is added to or removed from a node before consolidating it; `Never` turns consolidation off.",
        ),
      budget: bounded(16)
        .regex(/^(\d+%|\d+)$/, { message: 'must be a share such as "10%" or a number of nodes such as "2"' })
        .refine((budget) => !budget.endsWith("%") || Number(budget.slice(0, -1)) <= 100, {
          message: "is a percentage over 100",
        })
        .default("10%")
        .describe(
          'Share (at most 100%) or number of the pool\'s nodes that may be disrupted at once, e.g. "10%" or "2".',
        ),
    })
    .prefault({})
    .describe("How Karpenter may remove and replace the pool's nodes."),
  expireAfter: duration
    .default("720h")
    .describe(
      "Node lifetime: Karpenter replaces a node this long after it launched (720h is 30 days); `Never` turns expiry off.",
    ),
  taints: z.array(taint).default([]).describe("Taints on the pool's nodes: only pods that tolerate them run there."),
  labels: z
    .record(
      qualifiedName.superRefine((key, ctx) => {
        const problem = restrictedNodeLabel(key);
        if (problem)
          ctx.addIssue({ code: "custom", message: problem, input: key, params: { fix: RESTRICTED_LABEL_FIX } });
      }),
      labelValue,
    )
    .default({})
    .describe(
      "Kubernetes labels on the pool's nodes, for pods' `nodeSelector` or affinity: keys are qualified names, values at most 63 letters, digits, `-`, `_` and `.` (or empty). Keys in the `karpenter.sh` and `karpenter.k8s.aws` domains (but their well-known labels) and `kubernetes.io/hostname` are refused, as Karpenter's NodePool refuses them.",
    ),
  weight: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe(
      "Priority among pools whose requirements a pod fits: Karpenter tries the highest weight first; omitted, no weight.",
    ),
});

export const karpenterSchema = z
  .strictObject({
    amiAlias: bounded(64)
      .regex(/^(al2023|bottlerocket)@v[\d.]+$/, {
        message: `must be a pinned AMI alias such as ${DEFAULT_KARPENTER_AMI_ALIAS} (never @latest)`,
      })
      .optional()
      .describe(
        "EC2NodeClass AMI alias, pinned: `al2023@vYYYYMMDD` or `bottlerocket@vX.Y.Z`. Default: the alias pinned for the cluster's Kubernetes version (modules/versions.ts). An al2023 release without an AMI for that version is refused. `@latest` is refused: a new AMI arrives through a reviewed change.",
      ),
    maxPods: z
      .number()
      .int()
      .min(8)
      .max(737)
      .optional()
      .describe(
        "kubelet maxPods on every node. Default: 110 when the VPC CNI uses prefix delegation (its default here), else Karpenter's ENI-based count.",
      ),
    // EBS gp3 volumes are 1 GiB to 16 TiB.
    rootVolumeSize: z
      .string()
      .regex(/^\d+Gi$/, { message: "must be a size in Gi such as 50Gi" })
      .refine((size) => Number(size.slice(0, -2)) >= 1 && Number(size.slice(0, -2)) <= 16384, {
        message: "must be 1Gi to 16384Gi (EBS gp3 sizes)",
      })
      .default("50Gi")
      .describe(
        "Size of each node's encrypted gp3 root volume, 1Gi to 16384Gi (on Bottlerocket the data volume; the OS volume is 4Gi).",
      ),
    nodePools: z
      .array(nodePoolSchema)
      .min(1)
      .optional()
      .describe(
        "Karpenter node pools, each with its own EC2NodeClass; a general-purpose `default` pool is created when none is given.",
      ),
  })
  .prefault({});

export const dnsSchema = z.strictObject({
  domain: bounded(253)
    .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
      message: "must be a DNS domain such as dev.example.com",
    })
    .describe(
      "The environment's domain: the shared ALB's certificate covers it and `*.<domain>`, external-dns only manages names under it, the echo server is `echo.<domain>`.",
    ),
  hostedZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]{4,31}$/, { message: "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" })
    .describe(
      "Route 53 hosted zone of `domain`: holds the certificate validation record, and is the only zone external-dns (and ACME DNS-01) may change.",
    ),
});

export const networkSchema = z
  .strictObject({
    ingress: z
      .strictObject({
        scheme: z
          .enum(["internet-facing", "internal"])
          .default("internet-facing")
          .describe("`internet-facing` puts the shared ALB in the public subnets, `internal` in the private subnets."),
        sslPolicy: bounded(128)
          .regex(/^ELBSecurityPolicy-[A-Za-z0-9-]+$/, {
            message:
              "must be an ELB security policy such as ELBSecurityPolicy-TLS13-1-2-2021-06: ELBSecurityPolicy- and letters, digits and '-'",
          })
          .default("ELBSecurityPolicy-TLS13-1-2-2021-06")
          .describe("ELB security policy of the HTTPS listener; the default allows only TLS 1.2 and 1.3."),
        inboundCidrs: z
          .array(fields.cidr)
          .min(1)
          .optional()
          .describe(
            "CIDRs allowed to reach the ALB; default 0.0.0.0/0 (an internal ALB is reachable only from networks routed to the VPC).",
          ),
        groupName: z
          .string()
          .regex(/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/, {
            message: "must be an ingress group name: lower-case letters, digits, '-' and '.', at most 63 characters",
          })
          .default("shared")
          .describe("The IngressGroup every Ingress of the default `alb` class joins: one shared ALB per environment."),
        ipAddressType: z
          .enum(["ipv4", "dualstack"])
          .default("ipv4")
          .describe("Addresses of the ALB: `ipv4` only, or `dualstack` for IPv4 and IPv6."),
      })
      .prefault({})
      .describe(
        "The shared ALB: IngressClassParams enforce these settings on every Ingress of the `alb` class; HTTP redirects to HTTPS.",
      ),
    policyEnforcement: z
      .boolean()
      .default(true)
      .describe(
        "Kubernetes NetworkPolicy enforcement by the VPC CNI's network policy agent (`enableNetworkPolicy` of the foundation's vpc-cni add-on), on EC2 nodes; pods on Fargate are not covered. Off is a finding of NETWORK_POLICY_ENFORCED that takes a waiver.",
      ),
    echo: echoSchema.describe(
      "Who the echo server (`addons.echo-server`) answers at `echo.<domain>`: a source-ip condition on its rule of the shared ALB.",
    ),
    dnsPolicy: z
      .enum(["upsert-only", "sync"])
      .default("upsert-only")
      .describe("external-dns policy: `upsert-only` never deletes records; `sync` also deletes the ones it owns."),
    acmeIssuer: z
      .strictObject({
        email: z
          .email()
          .max(254, { message: "must be at most 254 characters", abort: true })
          .describe("Email address of the ACME account the issuer registers."),
        server: z
          .url()
          .max(2048, { message: "must be at most 2048 characters", abort: true })
          .default("https://acme-v02.api.letsencrypt.org/directory")
          .describe("ACME directory URL; the default is Let's Encrypt production."),
      })
      .optional()
      .describe(
        "An ACME ClusterIssuer (`acme`) solving DNS-01 through Route 53 in the configured hosted zone; needs cert-manager. Omitted, none.",
      ),
  })
  .prefault({});

/** IAM policies grant on keys, not aliases: an alias ARN in `Resource` never matches `kms:Decrypt`. */
const kmsKeyOnlyArn = fields.kmsKeyArn.refine((arn) => /:key\/[\w-]+$/.test(arn), {
  message: "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>): IAM cannot grant on an alias",
});

export const operatorsSchema = z
  .strictObject({
    externalSecrets: z
      .strictObject({
        ssmPathPrefixes: z
          .array(
            bounded(1011).regex(/^\/([\w.\-/]*\/)?$/, {
              message: "must be an SSM path prefix starting and ending with '/'",
            }),
          )
          .min(1)
          .optional()
          .describe(
            "SSM parameter path prefixes the operator may read, nested paths included; default `/<environment name>/`.",
          ),
        kmsKeyArns: z
          .array(kmsKeyOnlyArn)
          .default([])
          .describe(
            "KMS key ARNs (not aliases) the operator may decrypt SecureString parameters with; empty (the default): any key, but only through SSM (`kms:ViaService`), which covers the account's aws/ssm key.",
          ),
        storeName: fields.dnsLabel
          .default("aws-parameter-store")
          .describe(
            "Name of the ClusterSecretStore for SSM Parameter Store, for an ExternalSecret's `secretStoreRef`.",
          ),
      })
      .prefault({})
      .describe("External Secrets Operator: what its IAM identity may read, and the ClusterSecretStore it serves."),
  })
  .prefault({});

export const waiverSchema = z.strictObject({
  rule: bounded(64)
    .regex(/^[A-Z0-9_]+$/, { message: "must be a policy rule id such as EKS_PUBLIC_ENDPOINT" })
    .describe("Policy rule id, e.g. EKS_PUBLIC_ENDPOINT (docs/policy.md)."),
  resource: text(512)
    .optional()
    .describe("The Terraform address (`<type>.<name>`) this waiver covers; omit to waive the rule on every resource."),
  reason: visible(bounded(2000), true)
    .superRefine((reason, ctx) => {
      const problem = waiverReasonProblem(reason);
      if (problem)
        ctx.addIssue({
          code: "custom",
          message: problem,
          input: reason,
          params: { fix: "say why the exception is accepted and until when, e.g. a ticket and its plan" },
        });
    })
    .describe(
      "Why the exception is accepted, 10-2000 visible characters and more than filler (todo, n/a, temporary, repeated characters are refused); `npm run report` shows it with the waiver.",
    ),
  expires: z
    .string()
    .superRefine((date, ctx) => {
      const problem = calendarDateProblem(date);
      if (problem)
        ctx.addIssue({
          code: "custom",
          message: problem,
          input: date,
          params: { fix: "give a real day as YYYY-MM-DD, e.g. 2026-02-28" },
        });
    })
    .optional()
    .describe(
      "Optional end date (YYYY-MM-DD, a real calendar day); an expired waiver no longer applies. Omitted, it never expires.",
    ),
});

export const layersSchema = z
  .strictObject(
    Object.fromEntries(
      LAYER_TABLE.map((layer) => [layer.name, z.boolean().default(true).describe(layerSwitchDescription(layer))]),
    ) as Record<Layer, z.ZodDefault<z.ZodBoolean>>,
  )
  .prefault({});

function layerSwitchDescription(layer: (typeof LAYER_TABLE)[number]): string {
  const readers = LAYER_TABLE.filter((other) => (other.reads as ReadonlyArray<string>).includes(layer.name)).map(
    (other) => other.name,
  );
  return `The \`<env>-${layer.name}\` stack: ${layer.description}.${readers.length > 0 ? ` The ${readers.join(", ")} layers read it.` : ""}`;
}

export type NodePoolConfig = z.output<typeof nodePoolSchema>;
export type KarpenterConfig = z.output<typeof karpenterSchema>;
export type NetworkConfig = z.output<typeof networkSchema>;
export type OperatorsConfig = z.output<typeof operatorsSchema>;
export type WaiverConfig = z.output<typeof waiverSchema>;
export type LayerSwitches = z.output<typeof layersSchema>;
