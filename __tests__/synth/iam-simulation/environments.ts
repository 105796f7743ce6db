import { asList, asObject, asString, asStrings, firstBlock, resources } from "../../../modules/terraform-json";
import { stackOf, type Synthesized } from "./synthesized";

/**
 * What the simulation needs to know about an environment, from two places that are not the IAM policies under
 * test: the synthesized stacks' non-IAM blocks (the AWS provider's account and region, the EKS cluster's name) and
 * the config itself (hosted zone, SSM prefixes, KMS keys, ACME issuer, the organization's boundary), as parsed
 * (a fixture variant's edit applied), with the documented defaults (docs/config-reference.md) where a key is absent. Expectations come from here; the policies are only
 * ever simulated, never read for what to expect.
 */

export const PARTITION = "aws";
/** Account of every "another account" request: the AWS documentation's example account, in no config. */
export const OTHER_ACCOUNT = "111122223333";

export interface EnvironmentFacts {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly cluster: string;
  readonly clusterArn: string;
  readonly domain: string;
  readonly hostedZoneId: string;
  /** operators.externalSecrets.ssmPathPrefixes; default `/<environment>/`. */
  readonly ssmPrefixes: ReadonlyArray<string>;
  /** operators.externalSecrets.kmsKeyArns; default none (any key, through SSM only). */
  readonly secretKmsKeys: ReadonlyArray<string>;
  /** network.acmeIssuer set: cert-manager solves DNS-01 in the hosted zone. */
  readonly acmeDns01: boolean;
  /** storage.ebs.storageClass.encryptionKey; default `platform` (the customer key), else `account-default`. */
  readonly ebsEncryptionKey: string;
  /** cluster.kmsKeyArn: the customer key every layer uses instead of creating its own; default none. */
  readonly clusterKmsKeyArn?: string;
  /** Stack name -> layer, for the environment's stacks (`dev-foundation` -> foundation). */
  readonly stacks: ReadonlyMap<string, string>;
  /** iam.permissionsBoundaryArn: the organization's permissions boundary on every role; default none. */
  readonly organizationBoundary?: string;
  /** A `cloud` backend with managed workspaces and dynamic AWS credentials (run roles); else undefined. */
  readonly terraformCloud?: TerraformCloudFacts;
}

export interface TerraformCloudFacts {
  /** backend.hostname; default app.terraform.io. */
  readonly hostname: string;
  readonly organization: string;
  /** backend.project; default HCP Terraform's "Default Project". */
  readonly project: string;
  /** Workspace of a stack: `<workspacePrefix><stack>` (`<workspacePrefix><env>-<layer>`). */
  readonly workspacePrefix: string;
}

function terraformCloudOf(backend: unknown): TerraformCloudFacts | undefined {
  if (lookup(backend, ["type"]) !== "cloud" || lookup(backend, ["manageWorkspaces"]) !== true) return undefined;
  if ((asString(lookup(backend, ["awsAuth"])) ?? "dynamic") !== "dynamic") return undefined;
  return {
    hostname: asString(lookup(backend, ["hostname"])) ?? "app.terraform.io",
    organization: required(asString(lookup(backend, ["organization"])), "the Terraform Cloud organization"),
    project: asString(lookup(backend, ["project"])) ?? "Default Project",
    workspacePrefix: asString(lookup(backend, ["workspacePrefix"])) ?? "",
  };
}

const LAYERS = ["foundation", "network", "storage", "operators"] as const;

function lookup(document: unknown, path: ReadonlyArray<string>): unknown {
  let value: unknown = document;
  for (const key of path) value = asObject(value)?.[key];
  return value;
}

/** An environment's key, or the same key under `defaults`. */
function setting(environment: unknown, defaults: unknown, path: ReadonlyArray<string>): unknown {
  return lookup(environment, path) ?? lookup(defaults, path);
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === "") throw new Error(`cannot tell ${what}`);
  return value;
}

/** Every environment of a synthesized config, in config order. */
export function environmentsOf(synth: Synthesized): EnvironmentFacts[] {
  const config = synth.data;
  const defaults = lookup(config, ["defaults"]);
  return asList(lookup(config, ["environments"])).map((entry) => {
    const name = required(asString(lookup(entry, ["name"])), `an environment's name in ${synth.config}`);
    const foundation = stackOf(synth, `${name}-foundation`);
    const provider = firstBlock(asList(lookup(foundation, ["provider", "aws"]))[0]);
    const account = required(asStrings(provider?.allowed_account_ids)[0], `the account of ${name}`);
    const region = required(asString(provider?.region), `the region of ${name}`);
    const cluster = required(
      asString(resources(foundation, "aws_eks_cluster")[0]?.body.name),
      `the EKS cluster name of ${name}`,
    );
    const stacks = new Map<string, string>();
    for (const layer of LAYERS) if (synth.stacks.has(`${name}-${layer}`)) stacks.set(`${name}-${layer}`, layer);
    const prefixes = asStrings(setting(entry, defaults, ["operators", "externalSecrets", "ssmPathPrefixes"]));
    return {
      name,
      account,
      region,
      cluster,
      clusterArn: `arn:${PARTITION}:eks:${region}:${account}:cluster/${cluster}`,
      domain: required(asString(setting(entry, defaults, ["dns", "domain"])), `dns.domain of ${name}`),
      hostedZoneId: required(asString(setting(entry, defaults, ["dns", "hostedZoneId"])), `the zone of ${name}`),
      ssmPrefixes: prefixes.length > 0 ? prefixes : [`/${name}/`],
      secretKmsKeys: asStrings(setting(entry, defaults, ["operators", "externalSecrets", "kmsKeyArns"])),
      acmeDns01: setting(entry, defaults, ["network", "acmeIssuer"]) !== undefined,
      ebsEncryptionKey:
        asString(setting(entry, defaults, ["storage", "ebs", "storageClass", "encryptionKey"])) ?? "platform",
      clusterKmsKeyArn: asString(setting(entry, defaults, ["cluster", "kmsKeyArn"])),
      stacks,
      organizationBoundary: asString(setting(entry, defaults, ["iam", "permissionsBoundaryArn"])),
      terraformCloud: terraformCloudOf(setting(entry, defaults, ["backend"])),
    };
  });
}

/** The environment a stack belongs to. */
export function environmentOfStack(environments: ReadonlyArray<EnvironmentFacts>, stack: string): EnvironmentFacts {
  const found = environments.find((env) => env.stacks.has(stack));
  if (!found) throw new Error(`stack ${stack} belongs to no environment`);
  return found;
}
