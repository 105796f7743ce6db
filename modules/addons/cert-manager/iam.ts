import { hostedZoneArn, type PolicyStatement } from "../../iam/policy";

/**
 * cert-manager's Route 53 DNS-01 solver: only `_acme-challenge` TXT records in the zone, the change status,
 * and the zone lookup by name (cert-manager's documented least-privilege policy).
 */
export function certManagerDns01Statements(partition: string, hostedZoneId: string): PolicyStatement[] {
  return [
    {
      Sid: "ReadChangeStatus",
      Effect: "Allow",
      Action: "route53:GetChange",
      Resource: `arn:${partition}:route53:::change/*`,
    },
    {
      Sid: "ListRecordsInTheZone",
      Effect: "Allow",
      Action: "route53:ListResourceRecordSets",
      Resource: hostedZoneArn(partition, hostedZoneId),
    },
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
