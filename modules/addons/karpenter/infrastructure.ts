import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { roleWithPolicies, type IamRoleWithPolicies } from "../../iam/addon-identity";
import { dnsSuffixOf, policyJson } from "../../iam/policy";
import { stableId } from "../../naming";
import { INTERRUPTION_EVENTS, karpenterEventRuleName } from "../../karpenter-events";
import { karpenterNodeRoleName, karpenterQueueName } from "./names";
export { karpenterNodeRoleArn, karpenterNodeRoleName, karpenterQueueArn, karpenterQueueName } from "./names";

/**
 * Karpenter's AWS side outside the controller's own role: the node role (and its access entry), the
 * interruption queue with its EventBridge rules, and the optional spot service-linked role. Names derive from
 * the cluster name, so the controller's policy and chart values can name them without a reference.
 */

export interface KarpenterInfrastructureProps {
  readonly clusterName: string;
  /** The cluster's name as a reference to the cluster resource, so the access entry waits for it. */
  readonly clusterNameRef: string;
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  readonly spotServiceLinkedRole: boolean;
}

export class KarpenterInfrastructure extends Construct {
  readonly nodeRole: IamRoleWithPolicies;
  readonly nodeAccessEntry: EksAccessEntry;
  readonly queue: SqsQueue;
  /** What the Karpenter release waits for: queue (+ policy and rules), node role, its access entry. */
  readonly prerequisites: ReadonlyArray<ITerraformDependable>;

  constructor(scope: Construct, id: string, props: KarpenterInfrastructureProps) {
    super(scope, id);
    const { clusterName, region } = props;

    this.nodeRole = roleWithPolicies(this, {
      name: "karpenter_node",
      iamName: karpenterNodeRoleName(clusterName),
      description: `Nodes Karpenter launches for EKS cluster ${clusterName}`,
      trust: [{ Effect: "Allow", Principal: { Service: `ec2.${dnsSuffixOf(region)}` }, Action: "sts:AssumeRole" }],
      managedPolicies: [
        "AmazonEKSWorkerNodePolicy",
        "AmazonEKS_CNI_Policy",
        "AmazonEC2ContainerRegistryPullOnly",
        "AmazonSSMManagedInstanceCore",
      ],
      region,
    });
    // Nodes join through an EC2_LINUX access entry (API authentication mode: no aws-auth ConfigMap).
    this.nodeAccessEntry = stableId(
      new EksAccessEntry(this, "node-access", {
        clusterName: props.clusterNameRef,
        principalArn: this.nodeRole.role.arn,
        type: "EC2_LINUX",
        dependsOn: [...this.nodeRole.attachments],
      }),
      "karpenter_node",
    );

    this.queue = stableId(
      new SqsQueue(this, "queue", {
        name: karpenterQueueName(clusterName),
        // Interruption notices are only useful for minutes; upstream keeps them 300 s.
        messageRetentionSeconds: 300,
        sqsManagedSseEnabled: true,
      }),
      "karpenter_interruption",
    );
    const queuePolicy = stableId(
      new SqsQueuePolicy(this, "queue-policy", {
        queueUrl: this.queue.url,
        policy: policyJson([
          {
            Sid: "EventBridgeDelivery",
            Effect: "Allow",
            Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
            Action: "sqs:SendMessage",
            Resource: this.queue.arn,
            // Only this account's interruption rules (literal ARNs: the rule names are known), not any account's
            // EventBridge rule that targets this queue (SERVICE_PRINCIPAL_SOURCE_SCOPED).
            Condition: {
              StringEquals: { "aws:SourceAccount": props.account },
              ArnEquals: {
                "aws:SourceArn": INTERRUPTION_EVENTS.map(
                  (event) =>
                    `arn:${props.partition}:events:${region}:${props.account}:rule/${karpenterEventRuleName(clusterName, event.id)}`,
                ),
              },
            },
          },
          {
            Sid: "DenyHTTP",
            Effect: "Deny",
            Principal: "*",
            Action: "sqs:*",
            Resource: this.queue.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ]),
      }),
      "karpenter_interruption",
    );

    const rules = INTERRUPTION_EVENTS.map((event) => {
      const ruleName = karpenterEventRuleName(clusterName, event.id);
      const rule = stableId(
        new CloudwatchEventRule(this, `rule-${event.id}`, {
          name: ruleName,
          description: `Karpenter (${clusterName}): ${event.detailType}`,
          eventPattern: JSON.stringify({ source: [event.source], "detail-type": [event.detailType] }),
        }),
        `karpenter_${event.id}`,
      );
      return stableId(
        new CloudwatchEventTarget(this, `target-${event.id}`, {
          rule: rule.name,
          targetId: "KarpenterInterruptionQueueTarget",
          arn: this.queue.arn,
        }),
        `karpenter_${event.id}`,
      );
    });

    if (props.spotServiceLinkedRole) {
      // Account-wide and created once per account: only for accounts that never launched spot capacity.
      stableId(new IamServiceLinkedRole(this, "spot-slr", { awsServiceName: "spot.amazonaws.com" }), "spot");
    }

    this.prerequisites = [this.queue, queuePolicy, ...rules, this.nodeAccessEntry];
  }
}

/**
 * Karpenter's CRDs as their own release (upstream's `karpenter-crd` chart, same version as the controller):
 * Helm installs a chart's `crds/` once and never upgrades them, so with the CRDs inside the controller chart a
 * version bump would run a new controller against old CRDs. The controller release skips its own copy.
 */
export function karpenterCrdRelease(
  scope: Construct,
  props: { readonly version: string; readonly dependsOn: ReadonlyArray<ITerraformDependable> },
): Release {
  return stableId(
    new Release(scope, "karpenter-crd", {
      name: "karpenter-crd",
      namespace: "karpenter",
      // The engine creates the namespace, with its Pod Security labels; this release waits for it.
      createNamespace: false,
      repository: "oci://public.ecr.aws/karpenter",
      chart: "karpenter-crd",
      version: props.version,
      wait: true,
      atomic: true,
      cleanupOnFail: true,
      timeout: 300,
      maxHistory: 10,
      dependsOn: [...props.dependsOn],
    }),
    "karpenter_crd",
  );
}
