import { posix, resolve, sep } from "node:path";
import type { ConfigIssue } from "../errors";
import type { AddonPlanView } from "./addon-plan-view";
import { principalId } from "../access-names";
import { INTERRUPTION_EVENTS, karpenterEventRuleName } from "../karpenter-events";
import { roleName } from "../iam/role-name";
import { enabledLayers } from "../layers";
import { stackName } from "../naming";
import type { EnvironmentConfig } from "./schema";

/**
 * Names the platform derives from config values, checked for collisions before any construct exists: two
 * distinct inputs that end up as the same Terraform address, IAM name or state file fail late and obscurely
 * otherwise ("There is already a Construct with name ...", EntityAlreadyExists at apply, two stacks
 * overwriting one state). Paths are absolute (`environments[i]...`).
 */
export function nameIssues(
  environments: ReadonlyArray<EnvironmentConfig>,
  plans: ReadonlyArray<AddonPlanView>,
): ConfigIssue[] {
  return [
    ...environments.flatMap((environment, index) => principalAddressIssues(environment, index)),
    ...derivedNameIssues(environments, plans),
    ...statePathIssues(environments),
  ];
}

/** Access principals are addressed by their name without the type: `role/ops` and `user/ops` would share one. */
function principalAddressIssues(environment: EnvironmentConfig, index: number): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, { at: number; arn: string }>();
  environment.cluster.access.principals.forEach((principal, at) => {
    const id = principalId(principal.arn);
    const first = seen.get(id);
    if (!first) seen.set(id, { at, arn: principal.arn });
    else if (first.arn !== principal.arn) {
      issues.push({
        path: `environments[${index}].cluster.access.principals[${at}].arn`,
        message: `gets the same Terraform address as principals[${first.at}] (${first.arn}): aws_eks_access_entry.${id}`,
        value: principal.arn,
        fix: "access entries are addressed by the principal's name (without role/ or user/ and with punctuation as _): use principals whose names differ",
      });
    }
  });
  return issues;
}

/**
 * IAM names are `<cluster>-<purpose>` cut to 64 characters and global to the account, so clusters whose names
 * share a long prefix would get the same roles. `karpenter-node` is Karpenter's node role
 * (karpenterNodeRoleName, which cuts the same way); Karpenter's EventBridge rules keep as little as 20
 * characters of the cluster name.
 */
function derivedNames(environment: EnvironmentConfig, plan: AddonPlanView): DerivedName[] {
  const cluster = environment.cluster.name ?? environment.name;
  const purposes = environment.layers.foundation ? ["cluster", "fargate"] : [];
  const names: DerivedName[] = [];
  for (const addon of plan.addons) {
    if (!addon.enabled) continue;
    if (addon.identity !== "none" && addon.definition.identity) purposes.push(addon.name);
    if (addon.name !== "karpenter") continue;
    purposes.push("karpenter-node");
    // EventBridge rules are per account and region, and PutRule overwrites a rule of the same name silently.
    for (const event of INTERRUPTION_EVENTS)
      names.push({
        name: karpenterEventRuleName(cluster, event.id),
        scope: `${environment.account}/${environment.region}`,
        kept: 64 - event.id.length - 11,
        what: "EventBridge rule",
      });
  }
  return [
    ...purposes.map((purpose) => ({
      name: roleName(cluster, purpose),
      scope: environment.account,
      kept: 63 - purpose.length,
      what: "IAM name",
    })),
    ...names,
  ];
}

interface DerivedName {
  readonly name: string;
  /** Where the name must be unique: the account (IAM), or account and region. */
  readonly scope: string;
  /** How many characters of the cluster name it keeps. */
  readonly kept: number;
  readonly what: string;
}

function derivedNameIssues(
  environments: ReadonlyArray<EnvironmentConfig>,
  plans: ReadonlyArray<AddonPlanView>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const owners = new Map<string, number>();
  environments.forEach((environment, index) => {
    const cluster = environment.cluster.name ?? environment.name;
    const reported = new Set<number>();
    for (const { name, scope, kept, what } of derivedNames(environment, plans[index])) {
      const key = `${scope}/${name}`;
      const owner = owners.get(key);
      if (owner === undefined) {
        owners.set(key, index);
        continue;
      }
      const other = environments[owner];
      // The same cluster name in one account is reported by semanticIssues already.
      if ((other.cluster.name ?? other.name) === cluster && owner !== index) continue;
      if (reported.has(owner)) continue;
      reported.add(owner);
      issues.push({
        path: `environments[${index}].cluster.name`,
        message:
          owner === index
            ? `derives the ${what} ${name} twice: names are <cluster>-<purpose> cut to 64 characters`
            : `derives the ${what} ${name}, which environments[${owner}] (cluster ${other.cluster.name ?? other.name}) derives too: names are <cluster>-<purpose> cut to 64 characters, and unique per account${what === "IAM name" ? "" : " and region"}`,
        value: cluster,
        fix: `shorten the cluster name, or make it differ within its first ${kept} characters (what the ${what} keeps of it)`,
      });
    }
  });
  return issues;
}

/**
 * Where a state path lands inside the output directory (named as `cdktf.out/...`), when anywhere but the top level
 * of the stack's own directory: the one place a synth carries state over. Relative paths resolve from
 * `<outdir>/stacks/<stack>`; absolute ones are compared with the outdir of this run (CDKTF_OUTDIR, else
 * cdktf.out in the working directory).
 */
function insideOutdir(written: string, stack: string): string | undefined {
  const own = posix.join("stacks", stack);
  let relativePath: string;
  if (posix.isAbsolute(written)) {
    const outdir = resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out")
      .split(sep)
      .join("/");
    relativePath = posix.relative(outdir, posix.normalize(written));
  } else relativePath = posix.join(own, written);
  if (relativePath === "" || relativePath === ".." || relativePath.startsWith("../") || posix.isAbsolute(relativePath))
    return undefined;
  return posix.dirname(relativePath) === own ? undefined : `cdktf.out/${relativePath}`;
}

/**
 * Local state files, resolved as Terraform resolves `path` (from `<outdir>/stacks/<stack>`, outdir in the project
 * root): each stack needs its own, and none may climb out of the project with `..` (where nothing keeps it
 * with the project or out of another's).
 */
function statePathIssues(environments: ReadonlyArray<EnvironmentConfig>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const owners = new Map<string, string>();
  environments.forEach((environment, index) => {
    const backend = environment.backend;
    if (backend.type !== "local") return;
    const template = backend.path ?? "../../../terraform.{stack}.tfstate";
    const path = `environments[${index}].backend.path`;
    let outside = false;
    let shared = false;
    let reportedInside = false;
    for (const layer of enabledLayers(environment.layers)) {
      const stack = stackName(environment.name, layer);
      const written = template.replace("{stack}", stack);
      const resolved = posix.isAbsolute(written)
        ? posix.normalize(written)
        : posix.join("cdktf.out", "stacks", stack, written);
      if (!outside && !posix.isAbsolute(written) && (resolved === ".." || resolved.startsWith("../"))) {
        outside = true;
        issues.push({
          path,
          message: `leaves the project: from cdktf.out/stacks/${stack} it is ${resolved}`,
          value: backend.path,
          fix: "keep state files in the project, e.g. ../../../state/terraform.{stack}.tfstate, or use an s3 or cloud backend",
        });
      }
      if (!outside) {
        const inside = insideOutdir(written, stack);
        if (inside && !reportedInside) {
          reportedInside = true;
          issues.push({
            path,
            message: `puts ${stack}'s state at ${inside}, inside the output directory, which every synth replaces as a whole (only a stack's own top-level state file, cdktf.out/stacks/${stack}/<file>, is carried over)`,
            value: backend.path,
            fix: "keep state outside cdktf.out, e.g. ../../../state/terraform.{stack}.tfstate (or the default), or use an s3 or cloud backend",
          });
        }
      }
      const owner = owners.get(resolved);
      if (owner && !shared) {
        shared = true;
        issues.push({
          path,
          message: `makes ${stack} share its state file ${resolved} with ${owner}`,
          value: backend.path,
          fix: "put {stack} in the path, so each stack gets its own state file",
        });
      } else if (!owner) owners.set(resolved, stack);
    }
  });
  return issues;
}
