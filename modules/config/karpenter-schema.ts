import { z } from "zod";
import { DEFAULT_KARPENTER_AMI_ALIAS } from "../versions";
import { fields } from "./fields";
import { sizeProblem } from "./quantity";
import { bounded, labelValue, qualifiedName } from "./text";
import { RESTRICTED_LABEL_FIX, restrictedNodeLabel } from "./karpenter-labels";

/** `karpenter`: the EC2NodeClass settings every node shares, and the node pools with their limits and disruption. */

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

export type NodePoolConfig = z.output<typeof nodePoolSchema>;
export type KarpenterConfig = z.output<typeof karpenterSchema>;
