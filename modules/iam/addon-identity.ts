import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { logicalName, stableId } from "../naming";
import { managedPolicyArn, packStatements, policyJson, type PolicyStatement } from "./policy";
export { roleName } from "./role-name";

/**
 * What a trust reads of where the role is used (an add-on's context has it). Declared here, not imported from the
 * engine, which imports this file: iam stays below the engine.
 */
export interface TrustContext {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly cluster: { readonly name: string; readonly oidcProviderArn: string; readonly oidcIssuer: string };
}

/** Trust for IRSA: exactly one service account (`:sub`) and the STS audience (`:aud`), both StringEquals. */
export function irsaTrust(ctx: TrustContext, namespace: string, serviceAccount: string): PolicyStatement[] {
  return [
    {
      Effect: "Allow",
      Principal: { Federated: ctx.cluster.oidcProviderArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${ctx.cluster.oidcIssuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
          [`${ctx.cluster.oidcIssuer}:aud`]: "sts.amazonaws.com",
        },
      },
    },
  ];
}

/** Trust for EKS Pod Identity, limited to this account and this cluster (confused-deputy guard). */
export function podIdentityTrust(ctx: TrustContext): PolicyStatement[] {
  return [
    {
      Effect: "Allow",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: {
        StringEquals: { "aws:SourceAccount": ctx.account },
        ArnEquals: {
          "aws:SourceArn": `arn:${ctx.partition}:eks:${ctx.region}:${ctx.account}:cluster/${ctx.cluster.name}`,
        },
      },
    },
  ];
}

export interface IamRoleWithPolicies {
  readonly role: IamRole;
  readonly attachments: ReadonlyArray<IamRolePolicyAttachment>;
}

/**
 * A role with literal-JSON policies (packed under the managed-policy size limit) and managed policy attachments.
 * Addresses are `aws_iam_role.<name>`, `aws_iam_policy.<name>[_N]`, stable across refactors.
 */
export function roleWithPolicies(
  scope: Construct,
  options: {
    readonly name: string;
    readonly iamName: string;
    readonly trust: PolicyStatement[];
    readonly statements?: PolicyStatement[];
    readonly managedPolicies?: ReadonlyArray<string>;
    readonly region: string;
    readonly description: string;
  },
): IamRoleWithPolicies {
  const base = logicalName(options.name);
  const role = new IamRole(scope, `${options.name}-role`, {
    name: options.iamName,
    description: options.description,
    assumeRolePolicy: policyJson(options.trust),
  });
  role.overrideLogicalId(base);
  const attachments: IamRolePolicyAttachment[] = [];
  packStatements(options.statements ?? []).forEach((statements, index) => {
    const suffix = index === 0 ? "" : `_${index + 1}`;
    const policy = new IamPolicy(scope, `${options.name}-policy${suffix}`, {
      name: `${options.iamName}${suffix}`,
      description: `${options.description}${suffix ? ` (part ${index + 1})` : ""}`,
      policy: policyJson(statements),
    });
    policy.overrideLogicalId(`${base}${suffix}`);
    attachments.push(
      stableId(
        new IamRolePolicyAttachment(scope, `${options.name}-attach${suffix}`, {
          role: role.name,
          policyArn: policy.arn,
        }),
        `${base}${suffix}`,
      ),
    );
  });
  for (const managed of options.managedPolicies ?? []) {
    const id = `${base}_${logicalName(managed)}`;
    attachments.push(
      stableId(
        new IamRolePolicyAttachment(scope, `${options.name}-${managed}`, {
          role: role.name,
          policyArn: managedPolicyArn(options.region, managed),
        }),
        id,
      ),
    );
  }
  return { role, attachments };
}
