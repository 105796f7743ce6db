import type { PolicyStatement } from "./policy";

/**
 * Route 53 permissions for the two controllers that write DNS, each limited to the environment's hosted zone.
 * Only the listing calls that Route 53 cannot scope to a zone are on `*`.
 */

export function hostedZoneArn(partition: string, hostedZoneId: string): string {
  return `arn:${partition}:route53:::hostedzone/${hostedZoneId}`;
}

/** external-dns (AWS provider): read and change records in the zone, find the zone, read its tags. */
export function externalDnsStatements(partition: string, hostedZoneId: string): PolicyStatement[] {
  return [
    {
      Sid: "ChangeRecordsInTheZone",
      Effect: "Allow",
      Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResources"],
      Resource: hostedZoneArn(partition, hostedZoneId),
    },
    { Sid: "FindHostedZones", Effect: "Allow", Action: "route53:ListHostedZones", Resource: "*" },
  ];
}

/**
 * cert-manager's Route 53 DNS-01 solver: only `_acme-challenge` TXT records in the zone, the change status,
 * and the zone lookup by name (cert-manager's documented least-privilege policy).
 */
export function certManagerDns01Statements(partition: string, hostedZoneId: string): PolicyStatement[] {
  return [
    { Sid: "ReadChangeStatus", Effect: "Allow", Action: "route53:GetChange", Resource: `arn:${partition}:route53:::change/*` },
    { Sid: "ListRecordsInTheZone", Effect: "Allow", Action: "route53:ListResourceRecordSets", Resource: hostedZoneArn(partition, hostedZoneId) },
    {
      Sid: "ChangeAcmeChallengeRecords",
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: hostedZoneArn(partition, hostedZoneId),
      Condition: {
        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
        "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"] },
      },
    },
    { Sid: "FindHostedZoneByName", Effect: "Allow", Action: "route53:ListHostedZonesByName", Resource: "*" },
  ];
}
