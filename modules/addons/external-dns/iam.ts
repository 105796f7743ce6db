import { hostedZoneArn, type PolicyStatement } from "../../iam/policy";

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
