import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { NamedPolicy } from "./identities";
import type { PolicyDocument } from "./substitution";

/**
 * One request through @cloud-copilot/iam-simulate (AGPL-3.0: imported from tests only, never from shipped code;
 * agpl-boundary.test.ts checks that). No SCPs, no RCPs beyond the implicit RCPFullAWSAccess, no session policy:
 * the platform configures none. A role's permissions boundary (`permissions_boundary`, set on every platform role
 * when Terraform Cloud runs build the platform) is simulated as iam-simulate's permission boundary policy.
 *
 * Strict by default: iam-simulate validates the policies, the action, the resource ARN against the action's
 * resource types and every context key against the action; a request it refuses, a wildcard resource, or a
 * context key it would ignore (a key the call does not send, dropped silently) fails the row.
 *
 * Web identity claims: iam-data knows the claim keys of a few named OIDC providers only, so it would drop an EKS
 * issuer's `<issuer>:sub` / `:aud` and Terraform Cloud's `app.terraform.io:sub`. For sts:AssumeRoleWithWebIdentity
 * every claim key (`<host>[/<path>]:<claim>`) is therefore renamed, identically in the request and in every
 * policy's Condition, to `aws:RequestTag/x-oidc-claim/<key>`, a key the validation accepts for the action: the same
 * operators compare the same values, so the evaluation is unchanged, and the request stays strict.
 *
 * A row may name why it bypasses request validation (`unvalidated`): the policies are validated first, then the
 * request is evaluated as given by runUnsafeSimulation (which, in 0.1.173, cannot take a resource policy). Used
 * only for resource ARNs iam-data's patterns do not accept: the account-less ARN of public SSM parameters
 * (`arn:aws:ssm:<region>::parameter/aws/service/...`), and an EKS cluster as arc-zonal-shift's managed resource.
 */

export type Outcome = "allowed" | "denied";

export type ContextValues = Readonly<Record<string, string | ReadonlyArray<string>>>;

export interface SimulatedRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
  readonly context?: ContextValues;
  readonly identityPolicies: ReadonlyArray<NamedPolicy>;
  /** The principal's permissions boundary, when its role has one. */
  readonly permissionsBoundary?: NamedPolicy;
  readonly resourcePolicy?: PolicyDocument;
  /** Why the request bypasses iam-simulate's request validation (see above); absent: strict. */
  readonly unvalidated?: string;
}

export interface SimulationResult {
  readonly outcome: Outcome;
  /** iam-simulate's own word: Allowed, ImplicitlyDenied, ExplicitlyDenied. */
  readonly result: string;
}

function describe(request: SimulatedRequest): string {
  return `${request.principal} ${request.action} ${request.resource}`;
}

const WEB_IDENTITY = "sts:assumerolewithwebidentity";
const CLAIM_KEY = /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[^:]*)?:[\w./-]+$/i;
const CLAIM_ALIAS = "aws:RequestTag/x-oidc-claim/";

/** A policy with its web identity claim keys renamed (see above); anything else as it is. */
function aliasClaims(policy: PolicyDocument): PolicyDocument {
  const rename = (value: unknown, inCondition: boolean): unknown => {
    if (Array.isArray(value)) return value.map((item) => rename(item, inCondition));
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        inCondition && CLAIM_KEY.test(key) ? `${CLAIM_ALIAS}${key}` : key,
        rename(child, inCondition || key === "Condition"),
      ]),
    );
  };
  return rename(policy, false) as PolicyDocument;
}

function simulationOf(request: SimulatedRequest): Simulation {
  const claims = request.action.toLowerCase() === WEB_IDENTITY;
  const contextVariables: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(request.context ?? {}))
    contextVariables[claims && CLAIM_KEY.test(key) ? `${CLAIM_ALIAS}${key}` : key] =
      typeof value === "string" ? value : [...value];
  const policy = (document: PolicyDocument) => (claims ? aliasClaims(document) : document);
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables,
    },
    identityPolicies: request.identityPolicies.map((named) => ({ name: named.name, policy: policy(named.policy) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy && policy(request.resourcePolicy),
    permissionBoundaryPolicies: request.permissionsBoundary && [
      { name: request.permissionsBoundary.name, policy: policy(request.permissionsBoundary.policy) },
    ],
  };
}

function outcomeOf(result: string): SimulationResult {
  return { outcome: result === "Allowed" ? "allowed" : "denied", result };
}

export async function simulate(request: SimulatedRequest): Promise<SimulationResult> {
  const simulation = simulationOf(request);
  const validated = await runSimulation(simulation, {});
  if (request.unvalidated === undefined) {
    if (validated.resultType === "error")
      throw new Error(`${describe(request)}: iam-simulate refused it: ${JSON.stringify(validated.errors)}`);
    if (validated.resultType !== "single")
      throw new Error(`${describe(request)}: a wildcard resource; simulate a concrete resource instead`);
    const ignored = validated.result.ignoredContextKeys ?? [];
    if (ignored.length > 0)
      throw new Error(
        `${describe(request)}: iam-simulate would drop the context keys ${ignored.join(", ")} (not keys of this call)`,
      );
    return outcomeOf(validated.overallResult);
  }
  if (request.resourcePolicy)
    throw new Error(`${describe(request)}: runUnsafeSimulation (0.1.173) fails on a resource policy; validate the row`);
  if (validated.resultType === "error") {
    const { message, ...policyErrors } = validated.errors;
    const found = Object.values(policyErrors).filter(
      (errors) => errors !== undefined && Object.keys(errors).length > 0,
    );
    if (found.length > 0)
      throw new Error(`${describe(request)}: invalid policies (${message}): ${JSON.stringify(policyErrors)}`);
  } else if (validated.resultType === "single" && (validated.result.ignoredContextKeys ?? []).length === 0) {
    throw new Error(`${describe(request)}: marked unvalidated ("${request.unvalidated}") but validates: drop the mark`);
  }
  return outcomeOf(runUnsafeSimulation(simulation, {}));
}
