import { OTHER_ACCOUNT, PARTITION, type EnvironmentFacts } from "./environments";
import { ebsRows } from "./ebs-calls";
import { identitiesOf, identityNamed } from "./identities";
import { callRows, requestTags, resourceTags, type CallRow } from "./rows";
import type { Synthesized } from "./synthesized";

/**
 * The other controllers with an AWS identity: AWS Load Balancer Controller (chart 3.5.0), external-dns,
 * cert-manager's Route 53 DNS-01 solver (only where the environment has an ACME issuer), the EFS CSI driver, the
 * EBS CSI driver (ebs-calls.ts) and External Secrets (SSM Parameter Store). Calls they make, with what the call really sends, and calls they must not.
 */

const ALB = "kubernetes-sigs/aws-load-balancer-controller v3.5.0";
const ALB_POLICY = `${ALB} docs/install/iam_policy.json`;
const ALB_LB = `${ALB} pkg/deploy/elbv2/load_balancer_manager.go, tag elbv2.k8s.aws/cluster from pkg/deploy/tracking/provider.go; ${ALB_POLICY}`;
const ALB_TG = `${ALB} pkg/deploy/elbv2/target_group_manager.go; ${ALB_POLICY}`;
const ALB_SG = `${ALB} pkg/deploy/ec2/security_group_manager.go; ${ALB_POLICY}`;
const DNS =
  "kubernetes-sigs/external-dns provider/aws/aws.go (ListHostedZones, ListResourceRecordSets, ChangeResourceRecordSets); docs/tutorials/aws.md IAM policy";
const ACME =
  "cert-manager pkg/issuer/acme/dns/route53/route53.go; https://cert-manager.io/docs/configuration/acme/dns01/route53/ (IAM policy)";
const EFS =
  "kubernetes-sigs/aws-efs-csi-driver chart 3.3.0 / add-on v2.1.x: pkg/driver/controller.go (access points tagged efs.csi.aws.com/cluster=true); docs/iam-policy-example.json";
const ESO =
  "external-secrets v2.9.0 pkg/provider/aws/parameterstore/parameterstore.go (GetParameter WithDecryption, GetParametersByPath, DescribeParameters); docs/provider/aws-parameter-store.md";

function albRows(synth: Synthesized, env: EnvironmentFacts): CallRow[] {
  const { cluster, region, account } = env;
  const who = identityNamed(synth, `${cluster}-aws-load-balancer-controller`);
  const elb = (id: string) => `arn:${PARTITION}:elasticloadbalancing:${region}:${account}:${id}`;
  const lb = elb("loadbalancer/app/k8s-shared-0123456789/0123456789abcdef");
  const tg = elb("targetgroup/k8s-apps-echo-0123456789/0123456789abcdef");
  const sg = `arn:${PARTITION}:ec2:${region}:${account}:security-group/sg-0123456789abcdef0`;
  const mine = { "elbv2.k8s.aws/cluster": cluster, "ingress.k8s.aws/stack": "shared" };
  // prettier-ignore
  return callRows(env, who, [
    { call: "elasticloadbalancing:CreateLoadBalancer with its cluster tag", action: "elasticloadbalancing:CreateLoadBalancer", resource: lb, context: requestTags(mine), expected: "allowed", source: ALB_LB },
    { call: "elasticloadbalancing:AddTags on create of its load balancer", action: "elasticloadbalancing:AddTags", resource: lb, context: { ...requestTags(mine), "elasticloadbalancing:CreateAction": "CreateLoadBalancer" }, expected: "allowed", source: ALB_LB },
    { call: "elasticloadbalancing:CreateTargetGroup with its cluster tag", action: "elasticloadbalancing:CreateTargetGroup", resource: tg, context: requestTags(mine), expected: "allowed", source: ALB_TG },
    { call: "elasticloadbalancing:CreateListener on its load balancer", action: "elasticloadbalancing:CreateListener", resource: lb, expected: "allowed", source: ALB_LB },
    { call: "elasticloadbalancing:ModifyLoadBalancerAttributes of its load balancer", action: "elasticloadbalancing:ModifyLoadBalancerAttributes", resource: lb, context: resourceTags(mine), expected: "allowed", source: ALB_LB },
    { call: "elasticloadbalancing:RegisterTargets in its target group", action: "elasticloadbalancing:RegisterTargets", resource: tg, expected: "allowed", source: ALB_TG },
    { call: "elasticloadbalancing:DeleteLoadBalancer of its load balancer", action: "elasticloadbalancing:DeleteLoadBalancer", resource: lb, context: resourceTags(mine), expected: "allowed", source: ALB_LB },
    { call: "elasticloadbalancing:DescribeLoadBalancers", action: "elasticloadbalancing:DescribeLoadBalancers", resource: "*", expected: "allowed", source: ALB_LB },
    { call: "ec2:CreateSecurityGroup", action: "ec2:CreateSecurityGroup", resource: sg, context: requestTags(mine), expected: "allowed", source: ALB_SG },
    { call: "ec2:CreateTags on create of its security group", action: "ec2:CreateTags", resource: sg, context: { ...requestTags(mine), "ec2:CreateAction": "CreateSecurityGroup" }, expected: "allowed", source: ALB_SG },
    { call: "ec2:AuthorizeSecurityGroupIngress", action: "ec2:AuthorizeSecurityGroupIngress", resource: sg, context: resourceTags(mine), expected: "allowed", source: ALB_SG },
    { call: "ec2:DeleteSecurityGroup of its security group", action: "ec2:DeleteSecurityGroup", resource: sg, context: resourceTags(mine), expected: "allowed", source: ALB_SG },
    { call: "ec2:DescribeSubnets", action: "ec2:DescribeSubnets", resource: "*", expected: "allowed", source: ALB_POLICY },
    { call: "iam:CreateServiceLinkedRole for Elastic Load Balancing", action: "iam:CreateServiceLinkedRole", resource: `arn:${PARTITION}:iam::${account}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`, context: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" }, expected: "allowed", source: ALB_POLICY },
    { call: "acm:DescribeCertificate", action: "acm:DescribeCertificate", resource: `arn:${PARTITION}:acm:${region}:${account}:certificate/01234567-89ab-4def-8123-456789abcdef`, expected: "allowed", source: ALB_POLICY },
    // Must not.
    { call: "elasticloadbalancing:CreateLoadBalancer without the cluster tag", action: "elasticloadbalancing:CreateLoadBalancer", resource: lb, expected: "denied", source: ALB_POLICY },
    { call: "elasticloadbalancing:DeleteLoadBalancer of an untagged load balancer", action: "elasticloadbalancing:DeleteLoadBalancer", resource: lb, expected: "denied", source: ALB_POLICY },
    { call: "elasticloadbalancing:ModifyTargetGroup of an untagged target group", action: "elasticloadbalancing:ModifyTargetGroup", resource: tg, expected: "denied", source: ALB_POLICY },
    { call: "ec2:DeleteSecurityGroup of an untagged security group", action: "ec2:DeleteSecurityGroup", resource: sg, expected: "denied", source: ALB_POLICY },
    { call: "ec2:CreateTags on an untagged security group", action: "ec2:CreateTags", resource: sg, context: requestTags({ team: "x" }), expected: "denied", source: ALB_POLICY },
    { call: "iam:CreateServiceLinkedRole for another service", action: "iam:CreateServiceLinkedRole", resource: `arn:${PARTITION}:iam::${account}:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot`, context: { "iam:AWSServiceName": "spot.amazonaws.com" }, expected: "denied", source: ALB_POLICY },
    { call: "ec2:TerminateInstances", action: "ec2:TerminateInstances", resource: `arn:${PARTITION}:ec2:${region}:${account}:instance/i-0123456789abcdef0`, expected: "denied", source: ALB_POLICY },
  ]);
}

function route53(id: string): string {
  return `arn:${PARTITION}:route53:::${id}`;
}

const OTHER_ZONE = "Z0OTHERZONE123456789";

function externalDnsRows(synth: Synthesized, env: EnvironmentFacts): CallRow[] {
  const who = identityNamed(synth, `${env.cluster}-external-dns`);
  const zone = route53(`hostedzone/${env.hostedZoneId}`);
  // prettier-ignore
  const change = { "route53:ChangeResourceRecordSetsActions": ["UPSERT"], "route53:ChangeResourceRecordSetsRecordTypes": ["A", "TXT"], "route53:ChangeResourceRecordSetsNormalizedRecordNames": [`echo.${env.domain}`, `a-echo.${env.domain}`] };
  // prettier-ignore
  return callRows(env, who, [
    { call: "route53:ListHostedZones", action: "route53:ListHostedZones", resource: "*", expected: "allowed", source: DNS },
    { call: "route53:ListResourceRecordSets of its zone", action: "route53:ListResourceRecordSets", resource: zone, expected: "allowed", source: DNS },
    { call: "route53:ChangeResourceRecordSets in its zone", action: "route53:ChangeResourceRecordSets", resource: zone, context: change, expected: "allowed", source: DNS },
    { call: "route53:ChangeResourceRecordSets in another zone", action: "route53:ChangeResourceRecordSets", resource: route53(`hostedzone/${OTHER_ZONE}`), context: change, expected: "denied", source: DNS },
    { call: "route53:DeleteHostedZone of its zone", action: "route53:DeleteHostedZone", resource: zone, expected: "denied", source: DNS },
  ]);
}

function certManagerRows(synth: Synthesized, env: EnvironmentFacts): CallRow[] {
  // Without an ACME DNS-01 issuer cert-manager has no AWS role at all (identity-when-needed.test.ts): nothing to
  // simulate, and nothing it could call.
  if (!env.acmeDns01) return [];
  const who = identityNamed(synth, `${env.cluster}-cert-manager`);
  const zone = route53(`hostedzone/${env.hostedZoneId}`);
  // prettier-ignore
  const txt = (names: string[], types = ["TXT"]) => ({ "route53:ChangeResourceRecordSetsActions": ["UPSERT"], "route53:ChangeResourceRecordSetsRecordTypes": types, "route53:ChangeResourceRecordSetsNormalizedRecordNames": names });
  const challenge = txt([`_acme-challenge.${env.domain}`]);
  // prettier-ignore
  return callRows(env, who, [
    { call: "route53:GetChange", action: "route53:GetChange", resource: route53("change/C0123456789ABCDEFGHIJ"), expected: "allowed", source: ACME },
    { call: "route53:ListHostedZonesByName", action: "route53:ListHostedZonesByName", resource: "*", expected: "allowed", source: ACME },
    { call: "route53:ListResourceRecordSets of its zone", action: "route53:ListResourceRecordSets", resource: zone, expected: "allowed", source: ACME },
    { call: "route53:ChangeResourceRecordSets UPSERT of the _acme-challenge TXT record", action: "route53:ChangeResourceRecordSets", resource: zone, context: challenge, expected: "allowed", source: ACME },
    { call: "route53:ChangeResourceRecordSets DELETE of the _acme-challenge TXT record (cleanup)", action: "route53:ChangeResourceRecordSets", resource: zone, context: { ...txt([`_acme-challenge.${env.domain}`]), "route53:ChangeResourceRecordSetsActions": ["DELETE"] }, expected: "allowed", source: ACME },
    { call: "route53:ChangeResourceRecordSets of an A record", action: "route53:ChangeResourceRecordSets", resource: zone, context: txt([`echo.${env.domain}`], ["A"]), expected: "denied", source: ACME },
    { call: "route53:ChangeResourceRecordSets of a TXT record outside _acme-challenge", action: "route53:ChangeResourceRecordSets", resource: zone, context: txt([env.domain]), expected: "denied", source: ACME },
    { call: "route53:ChangeResourceRecordSets in another zone", action: "route53:ChangeResourceRecordSets", resource: route53(`hostedzone/${OTHER_ZONE}`), context: challenge, expected: "denied", source: ACME },
  ]);
}

function efsRows(synth: Synthesized, env: EnvironmentFacts): CallRow[] {
  const { cluster, region, account } = env;
  const who = identityNamed(synth, `${cluster}-aws-efs-csi-driver`);
  const efs = (id: string) => `arn:${PARTITION}:elasticfilesystem:${region}:${account}:${id}`;
  const fs = efs("file-system/fs-0123456789abcdef0");
  const ap = efs("access-point/fsap-0123456789abcdef0");
  const mine = { "efs.csi.aws.com/cluster": "true" };
  // prettier-ignore
  return callRows(env, who, [
    { call: "elasticfilesystem:DescribeFileSystems", action: "elasticfilesystem:DescribeFileSystems", resource: fs, expected: "allowed", source: EFS },
    { call: "elasticfilesystem:DescribeAccessPoints", action: "elasticfilesystem:DescribeAccessPoints", resource: fs, expected: "allowed", source: EFS },
    { call: "elasticfilesystem:DescribeMountTargets", action: "elasticfilesystem:DescribeMountTargets", resource: fs, expected: "allowed", source: EFS },
    { call: "ec2:DescribeAvailabilityZones", action: "ec2:DescribeAvailabilityZones", resource: "*", expected: "allowed", source: EFS },
    { call: "elasticfilesystem:CreateAccessPoint tagged efs.csi.aws.com/cluster=true", action: "elasticfilesystem:CreateAccessPoint", resource: fs, context: requestTags(mine), expected: "allowed", source: EFS },
    { call: "elasticfilesystem:TagResource of its access point", action: "elasticfilesystem:TagResource", resource: ap, context: { ...resourceTags(mine), ...requestTags({ "kubernetes.io/pvc/name": "data" }) }, expected: "allowed", source: EFS },
    { call: "elasticfilesystem:DeleteAccessPoint of its access point", action: "elasticfilesystem:DeleteAccessPoint", resource: ap, context: resourceTags(mine), expected: "allowed", source: EFS },
    { call: "elasticfilesystem:CreateAccessPoint untagged", action: "elasticfilesystem:CreateAccessPoint", resource: fs, expected: "denied", source: EFS },
    { call: "elasticfilesystem:DeleteAccessPoint of an untagged access point", action: "elasticfilesystem:DeleteAccessPoint", resource: ap, expected: "denied", source: EFS },
    { call: "elasticfilesystem:DeleteFileSystem", action: "elasticfilesystem:DeleteFileSystem", resource: fs, expected: "denied", source: EFS },
  ]);
}

function externalSecretsRows(synth: Synthesized, env: EnvironmentFacts): CallRow[] {
  const { cluster, region, account, name } = env;
  const who = identityNamed(synth, `${cluster}-external-secrets`);
  const parameter = (path: string, inAccount = account) =>
    `arn:${PARTITION}:ssm:${region}:${inAccount}:parameter${path}`;
  const key = (id: string) => `arn:${PARTITION}:kms:${region}:${account}:key/${id}`;
  const viaSsm = { "kms:ViaService": `ssm.${region}.amazonaws.com` };
  // Keys the platform does not create (aws/ssm, the configured ones): assumed to carry KMS's default key policy,
  // which delegates to the account's IAM policies. KMS never allows a call its key policy does not.
  const defaultKeyPolicy = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: `arn:${PARTITION}:iam::${account}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  };
  const outside = ["/", "/prod/", "/staging/", "/dev/", "/shared/"].find(
    (prefix) => !env.ssmPrefixes.some((mine) => prefix.startsWith(mine) || mine.startsWith(prefix)),
  );
  if (!outside) throw new Error(`${name}: every candidate prefix overlaps ${env.ssmPrefixes.join(", ")}`);
  // prettier-ignore
  const keyRows =
    env.secretKmsKeys.length > 0
      ? [
          ...env.secretKmsKeys.map((arn) => ({ call: `kms:Decrypt with the configured key ${arn.split("/").pop()}`, action: "kms:Decrypt", resource: arn, context: viaSsm, resourcePolicy: defaultKeyPolicy, expected: "allowed" as const, source: ESO })),
          { call: "kms:Decrypt with another key", action: "kms:Decrypt", resource: key("00000000-0000-4000-8000-000000000000"), context: viaSsm, resourcePolicy: defaultKeyPolicy, expected: "denied" as const, source: ESO },
        ]
      : [
          { call: "kms:Decrypt of a SecureString through SSM", action: "kms:Decrypt", resource: key("00000000-0000-4000-8000-000000000000"), context: viaSsm, resourcePolicy: defaultKeyPolicy, expected: "allowed" as const, source: ESO },
          { call: "kms:Decrypt called directly (not through SSM)", action: "kms:Decrypt", resource: key("00000000-0000-4000-8000-000000000000"), resourcePolicy: defaultKeyPolicy, expected: "denied" as const, source: ESO },
        ];
  // prettier-ignore
  return callRows(env, who, [
    ...env.ssmPrefixes.flatMap((prefix) => [
      { call: `ssm:GetParameter under ${prefix}`, action: "ssm:GetParameter", resource: parameter(`${prefix}app/database-url`), expected: "allowed" as const, source: ESO },
      { call: `ssm:GetParametersByPath under ${prefix}`, action: "ssm:GetParametersByPath", resource: parameter(`${prefix}app`), expected: "allowed" as const, source: ESO },
    ]),
    { call: "ssm:DescribeParameters", action: "ssm:DescribeParameters", resource: "*", expected: "allowed", source: ESO },
    ...keyRows,
    { call: `ssm:GetParameter under another prefix (${outside})`, action: "ssm:GetParameter", resource: parameter(`${outside}app/database-url`), expected: "denied", source: ESO },
    { call: "ssm:GetParameter under its prefix in another account", action: "ssm:GetParameter", resource: parameter(`${env.ssmPrefixes[0]}app/database-url`, OTHER_ACCOUNT), resourceAccount: OTHER_ACCOUNT, expected: "denied", source: ESO },
    { call: "ssm:PutParameter under its prefix", action: "ssm:PutParameter", resource: parameter(`${env.ssmPrefixes[0]}app/database-url`), expected: "denied", source: ESO },
    { call: "secretsmanager:GetSecretValue", action: "secretsmanager:GetSecretValue", resource: `arn:${PARTITION}:secretsmanager:${region}:${account}:secret:${name}/app-AbCdEf`, expected: "denied", source: ESO },
  ]);
}

/** Every controller row of one environment. */
export function controllerRows(synth: Synthesized, env: EnvironmentFacts): CallRow[] {
  return [albRows, externalDnsRows, certManagerRows, efsRows, ebsRows, externalSecretsRows].flatMap((rows) =>
    rows(synth, env),
  );
}

/** Roles whose permissions are AWS managed policies only, not modelled: their trust is simulated, not their calls. */
export function managedOnlyRoles(synth: Synthesized): string[] {
  return identitiesOf(synth)
    .filter((who) => who.policies.length === 0 && who.managedPolicies.length > 0)
    .map((who) => `${who.name} (${who.managedPolicies.join(", ")})`);
}
