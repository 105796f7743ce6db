/**
 * The interruption events Karpenter handles, as upstream's CloudFormation routes them, and the EventBridge rule
 * each gets. Used by Karpenter's infrastructure (modules/addons/karpenter) and by the config's check that two
 * clusters' derived names do not collide (modules/config/name-semantics.ts), which may not import add-ons.
 */
export const INTERRUPTION_EVENTS: ReadonlyArray<{
  readonly id: string;
  readonly source: string;
  readonly detailType: string;
}> = [
  { id: "spot-interruption", source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
  { id: "rebalance", source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
  { id: "instance-state-change", source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
  { id: "scheduled-change", source: "aws.health", detailType: "AWS Health Event" },
  {
    id: "capacity-reservation-interruption",
    source: "aws.ec2",
    detailType: "EC2 Capacity Reservation Instance Interruption Warning",
  },
];

/** EventBridge rule name of one interruption event: at most 64 characters, unique per account and region. */
export function karpenterEventRuleName(clusterName: string, eventId: string): string {
  return `${clusterName.slice(0, 64 - eventId.length - 11)}-karpenter-${eventId}`;
}
