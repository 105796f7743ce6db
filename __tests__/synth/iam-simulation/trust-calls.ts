import { asList, asString, isObject, resources } from "../../../modules/terraform-json";
import { OTHER_ACCOUNT, PARTITION, type EnvironmentFacts } from "./environments";
import { identitiesOf, type Identity } from "./identities";
import { requestTags, type CallRow } from "./rows";
import type { ContextValues, Outcome } from "./simulate";
import { clusterOidcIssuer, clusterOidcProviderArn } from "./substitution";
import { stackOf, type Synthesized } from "./synthesized";

/**
 * Table 2: who may assume each role. The right principal (with what it really sends) is allowed; another service
 * account, another cluster, another account, another service and an administrator of the same account are denied.
 * The mode (IRSA or EKS Pod Identity) is told by the binding, not by the trust under test: a role a Pod Identity
 * association (or an EKS add-on's `pod_identity_association`) names is Pod Identity, any other workload role IRSA.
 */

const IRSA =
  "Amazon EKS User Guide, IAM roles for service accounts: associate-service-account-role.html (trust: <issuer>:sub and :aud)";
const POD_IDENTITY =
  "Amazon EKS User Guide, EKS Pod Identity: pod-id-role.html (pods.eks.amazonaws.com, sts:AssumeRole + sts:TagSession, aws:SourceAccount / aws:SourceArn) and pod-id-abac.html (session tags)";
const SERVICE = "Amazon EKS User Guide: cluster-iam-role.html, create-node-role.html, pod-execution-role.html";

/** Workload roles by name suffix: the service account the controller runs as, at the pinned chart/add-on. */
// prettier-ignore
export const WORKLOADS: Readonly<Record<string, { namespace: string; serviceAccount: string; source: string }>> = {
  karpenter: { namespace: "karpenter", serviceAccount: "karpenter", source: "aws/karpenter-provider-aws v1.14.1 charts/karpenter values.yaml serviceAccount" },
  "aws-load-balancer-controller": { namespace: "kube-system", serviceAccount: "aws-load-balancer-controller", source: "aws/eks-charts aws-load-balancer-controller 3.5.0 values.yaml serviceAccount" },
  "external-dns": { namespace: "external-dns", serviceAccount: "external-dns", source: "kubernetes-sigs/external-dns chart values.yaml serviceAccount; EKS community add-on external-dns" },
  "cert-manager": { namespace: "cert-manager", serviceAccount: "cert-manager", source: "cert-manager chart values.yaml serviceAccount; EKS community add-on cert-manager" },
  "aws-efs-csi-driver": { namespace: "kube-system", serviceAccount: "efs-csi-controller-sa", source: "kubernetes-sigs/aws-efs-csi-driver chart 3.3.0 values.yaml controller.serviceAccount" },
  "aws-ebs-csi-driver": { namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa", source: "kubernetes-sigs/aws-ebs-csi-driver chart 2.64.0 values.yaml controller.serviceAccount" },
  "external-secrets": { namespace: "external-secrets", serviceAccount: "external-secrets", source: "external-secrets chart 2.9.0 values.yaml serviceAccount" },
  "vpc-cni": { namespace: "kube-system", serviceAccount: "aws-node", source: "Amazon VPC CNI (EKS add-on vpc-cni): the aws-node service account" },
};

/** Service roles by name suffix: the service that assumes them. */
export const SERVICE_ROLES: Readonly<Record<string, string>> = {
  cluster: "eks.amazonaws.com",
  "karpenter-node": "ec2.amazonaws.com",
  fargate: "eks-fargate-pods.amazonaws.com",
};

const ADMIN = [
  {
    name: "AdministratorAccess-like",
    policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  },
];

interface TrustSpec {
  readonly call: string;
  readonly principal: string;
  readonly action: string;
  readonly context?: ContextValues;
  readonly caller?: typeof ADMIN;
  readonly unvalidated?: string;
  readonly expected: Outcome;
  readonly source: string;
}

export function trustRows(env: EnvironmentFacts, target: Identity, specs: ReadonlyArray<TrustSpec>): CallRow[] {
  return specs.map((spec) => ({
    id: `${env.name} ${target.name}: trust: ${spec.call}`,
    expected: spec.expected,
    source: spec.source,
    steps: [
      {
        principal: spec.principal,
        action: spec.action,
        resource: target.arn,
        resourceAccount: target.account,
        context: spec.context,
        identityPolicies: spec.caller ?? [],
        resourcePolicy: target.trust,
        unvalidated: spec.unvalidated,
      },
    ],
  }));
}

export interface Binding {
  readonly namespace?: string;
  readonly serviceAccount: string;
}

/** The Pod Identity associations (resources, or add-ons' blocks) of the role's own stack. */
export function podIdentityBindings(synth: Synthesized, who: Identity): Binding[] {
  const stack = stackOf(synth, who.stack);
  const ref = `\${${who.address}.arn}`;
  const direct = resources(stack, "aws_eks_pod_identity_association")
    .filter((block) => block.body.role_arn === ref)
    .map((block) => ({
      namespace: asString(block.body.namespace),
      serviceAccount: asString(block.body.service_account) ?? "",
    }));
  const addons = resources(stack, "aws_eks_addon").flatMap((block) =>
    asList(block.body.pod_identity_association)
      .filter(isObject)
      .filter((association) => association.role_arn === ref)
      .map((association) => ({ serviceAccount: asString(association.service_account) ?? "" })),
  );
  return [...direct, ...addons];
}

function workloadRows(synth: Synthesized, env: EnvironmentFacts, who: Identity, suffix: string): CallRow[] {
  const { namespace, serviceAccount, source } = WORKLOADS[suffix];
  const issuer = clusterOidcIssuer(env.region);
  const provider = clusterOidcProviderArn(env.account, env.region);
  if (podIdentityBindings(synth, who).length === 0) {
    const web = (sub: string, aud = "sts.amazonaws.com", iss = issuer) => ({
      [`${iss}:sub`]: sub,
      [`${iss}:aud`]: aud,
    });
    const sa = (ns: string, name: string) => `system:serviceaccount:${ns}:${name}`;
    const otherIssuer = clusterOidcIssuer(env.region).replace(/id\/\w+$/, "id/0THERC1USTER0000000000000000000");
    // prettier-ignore
    const specs: TrustSpec[] = [
      { call: `IRSA: ${namespace}/${serviceAccount} of this cluster`, principal: provider, action: "sts:AssumeRoleWithWebIdentity", context: web(sa(namespace, serviceAccount)), expected: "allowed", source: `${IRSA}; ${source}` },
      { call: `IRSA: another service account (${namespace}/default)`, principal: provider, action: "sts:AssumeRoleWithWebIdentity", context: web(sa(namespace, "default")), expected: "denied", source: IRSA },
      { call: `IRSA: ${serviceAccount} in another namespace (default)`, principal: provider, action: "sts:AssumeRoleWithWebIdentity", context: web(sa("default", serviceAccount)), expected: "denied", source: IRSA },
      { call: "IRSA: a token for another audience", principal: provider, action: "sts:AssumeRoleWithWebIdentity", context: web(sa(namespace, serviceAccount), "https://kubernetes.default.svc"), expected: "denied", source: IRSA },
      { call: "IRSA: the same service account of another cluster", principal: provider.replace(issuer, otherIssuer), action: "sts:AssumeRoleWithWebIdentity", context: web(sa(namespace, serviceAccount), "sts.amazonaws.com", otherIssuer), expected: "denied", source: IRSA },
      { call: "IRSA: this cluster's issuer registered in another account", principal: clusterOidcProviderArn(OTHER_ACCOUNT, env.region), action: "sts:AssumeRoleWithWebIdentity", context: web(sa(namespace, serviceAccount)), expected: "denied", source: IRSA },
    ];
    return trustRows(env, who, [...specs, adminOfTheAccount(env)]);
  }
  // prettier-ignore
  const podTags = (clusterArn: string, cluster: string) => ({
    ...requestTags({ "eks-cluster-arn": clusterArn, "eks-cluster-name": cluster, "kubernetes-namespace": namespace, "kubernetes-service-account": serviceAccount, "kubernetes-pod-name": `${serviceAccount}-5d9c7b6f4-x2x7q`, "kubernetes-pod-uid": "0f7a5b2e-3c1d-4e8f-9a6b-1c2d3e4f5a6b" }),
  });
  const from = (account: string, cluster: string) => {
    const arn = `arn:${PARTITION}:eks:${env.region}:${account}:cluster/${cluster}`;
    return { "aws:SourceAccount": account, "aws:SourceArn": arn, ...podTags(arn, cluster) };
  };
  // prettier-ignore
  const specs = (["sts:AssumeRole", "sts:TagSession"] as const).flatMap((action): TrustSpec[] => [
    { call: `Pod Identity: ${action} by EKS for this cluster`, principal: "pods.eks.amazonaws.com", action, context: from(env.account, env.cluster), expected: "allowed", source: `${POD_IDENTITY}; ${source}` },
    { call: `Pod Identity: ${action} for another cluster of the account`, principal: "pods.eks.amazonaws.com", action, context: from(env.account, "other"), expected: "denied", source: POD_IDENTITY },
    { call: `Pod Identity: ${action} for a cluster of another account`, principal: "pods.eks.amazonaws.com", action, context: from(OTHER_ACCOUNT, env.cluster), expected: "denied", source: POD_IDENTITY },
  ]);
  // prettier-ignore
  return trustRows(env, who, [
    ...specs,
    { call: "Pod Identity: another service (ec2.amazonaws.com) with this cluster as source", principal: "ec2.amazonaws.com", action: "sts:AssumeRole", context: from(env.account, env.cluster), expected: "denied", source: POD_IDENTITY },
    adminOfTheAccount(env),
  ]);
}

function adminOfTheAccount(env: EnvironmentFacts): TrustSpec {
  return {
    call: "sts:AssumeRole by an administrator role of the same account",
    principal: `arn:${PARTITION}:sts::${env.account}:assumed-role/admin/someone`,
    action: "sts:AssumeRole",
    caller: ADMIN,
    expected: "denied",
    source:
      "IAM User Guide, roles: a role's trust policy must name the caller (or delegate to its account) even within the account",
  };
}

function serviceRows(env: EnvironmentFacts, who: Identity, service: string): CallRow[] {
  const source = {
    "aws:SourceAccount": env.account,
    "aws:SourceArn": `arn:${PARTITION}:eks:${env.region}:${env.account}:fargateprofile/${env.cluster}/karpenter/0ec7a6b2-1c3d-4e5f-8a9b-0c1d2e3f4a5b`,
  };
  const otherSource = { ...source, "aws:SourceArn": source["aws:SourceArn"].replace(`/${env.cluster}/`, "/other/") };
  const fargate = service === "eks-fargate-pods.amazonaws.com";
  const other = service === "ec2.amazonaws.com" ? "lambda.amazonaws.com" : "ec2.amazonaws.com";
  // prettier-ignore
  return trustRows(env, who, [
    { call: `${service} assumes it`, principal: service, action: "sts:AssumeRole", context: fargate ? source : undefined, expected: "allowed", source: SERVICE },
    ...(fargate ? [{ call: `${service} for a Fargate profile of another cluster`, principal: service, action: "sts:AssumeRole", context: otherSource, expected: "denied" as const, source: SERVICE }] : []),
    { call: `another service (${other})`, principal: other, action: "sts:AssumeRole", expected: "denied", source: SERVICE },
    adminOfTheAccount(env),
  ]);
}

/** Every environment role's trust rows; a role neither table names fails (so a new role gets an expectation). */
export function environmentTrustRows(synth: Synthesized, env: EnvironmentFacts): CallRow[] {
  return identitiesOf(synth)
    .filter((who) => env.stacks.has(who.stack))
    .flatMap((who) => {
      const suffix = who.name.startsWith(`${env.cluster}-`) ? who.name.slice(env.cluster.length + 1) : "";
      if (WORKLOADS[suffix]) return workloadRows(synth, env, who, suffix);
      if (SERVICE_ROLES[suffix]) return serviceRows(env, who, SERVICE_ROLES[suffix]);
      throw new Error(
        `${who.stack} ${who.name}: no expected principal for this role (trust-calls.ts WORKLOADS / SERVICE_ROLES)`,
      );
    });
}

const TFC =
  "HashiCorp, HCP Terraform dynamic provider credentials for AWS (workspaces/dynamic-provider-credentials/aws-configuration): sub organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>, aud aws.workload.identity";

/**
 * The run roles of an environment with Terraform Cloud dynamic credentials: two per workspace, trusted by it only,
 * the plan role for its plans, the apply role for its applies (a plan never gets the write role).
 */
export function runRoleTrustRows(synth: Synthesized, env: EnvironmentFacts): CallRow[] {
  const tfc = env.terraformCloud;
  if (!tfc) return [];
  const runRoles = identitiesOf(synth).filter((who) => who.stack === "terraform-cloud");
  return [...env.stacks].flatMap(([stack, layer]) =>
    (["plan", "apply"] as const).flatMap((phase) => {
      const name = `tfc-${env.cluster}-${layer}${phase === "plan" ? "-plan" : ""}`;
      const who = runRoles.find((role) => role.name === name);
      if (!who)
        throw new Error(
          `terraform-cloud: no run role ${name} (roles: ${runRoles.map((role) => role.name).join(", ")})`,
        );
      const other = phase === "plan" ? "apply" : "plan";
      const provider = `arn:${PARTITION}:iam::${env.account}:oidc-provider/${tfc.hostname}`;
      const sub = (workspace: string, runPhase: string, org = tfc.organization, project = tfc.project) =>
        `organization:${org}:project:${project}:workspace:${workspace}:run_phase:${runPhase}`;
      const token = (subject: string, aud = "aws.workload.identity") => ({
        [`${tfc.hostname}:sub`]: subject,
        [`${tfc.hostname}:aud`]: aud,
      });
      const workspace = `${tfc.workspacePrefix}${stack}`;
      const sibling = `${tfc.workspacePrefix}${[...env.stacks.keys()].find((candidate) => candidate !== stack)}`;
      const web = (call: string, context: ContextValues, expected: Outcome, principal = provider): TrustSpec => ({
        call,
        principal,
        action: "sts:AssumeRoleWithWebIdentity",
        context,
        expected,
        source: TFC,
      });
      // prettier-ignore
      return trustRows(env, who, [
        web(`Terraform Cloud: ${phase === "plan" ? "a plan" : "an apply"} of ${workspace}`, token(sub(workspace, phase)), "allowed"),
        web(`Terraform Cloud: ${other === "plan" ? "a plan (speculative, pull request)" : "an apply"} of ${workspace}, the other phase`, token(sub(workspace, other)), "denied"),
        web(`Terraform Cloud: any run phase of ${workspace} (run_phase:*)`, token(sub(workspace, "*")), "denied"),
        web(`Terraform Cloud: a run of another workspace (${sibling})`, token(sub(sibling, phase)), "denied"),
        web(`Terraform Cloud: ${workspace} of another organization`, token(sub(workspace, phase, `${tfc.organization}-other`)), "denied"),
        web(`Terraform Cloud: ${workspace} in another project`, token(sub(workspace, phase, tfc.organization, `${tfc.project}-other`)), "denied"),
        web("Terraform Cloud: a token for another audience", token(sub(workspace, phase), "sts.amazonaws.com"), "denied"),
        web("Terraform Cloud: the host's OIDC provider of another account", token(sub(workspace, phase)), "denied", `arn:${PARTITION}:iam::${OTHER_ACCOUNT}:oidc-provider/${tfc.hostname}`),
        adminOfTheAccount(env),
      ]);
    }),
  );
}
