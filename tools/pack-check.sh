#!/usr/bin/env bash
# CI (.ci/run): the package as a team gets it. Packs the project (a strict build into dist/, then `npm pack`), writes
# the README's team app (section "Layout and library use": its package.json, tsconfig.json, cdktf.json and main.ts,
# exactly, with the package's dependency pointing at the tarball; tools/team-app.ts) into a temporary directory,
# installs it, and runs the app command of its cdktf.json (TypeScript 7's tsc, then node) for one environment
# (PLATFORM_ENVIRONMENTS=prod): the platform plus a team stack that uses the environment's cluster handle and adds
# an aliased AWS provider with awsProvider. Then it checks what a consumer relies on: one copy of cdktf (a nested one
# breaks with `scope.node._scopes is not iterable`), only the selected environment's stacks, and a team stack with
# the environment's backend, account-guarded providers and no depends_on into another stack.
#
# Offline-friendly: dependencies come from npm's cache (filled by `npm ci` of this checkout) and the registry
# only for what the cache lacks.
#   tools/pack-check.sh [--keep] [--no-build]
#     --keep      leave the temporary app for a look
#     --no-build  pack the dist/ there is instead of a clean strict build first (CI: its steps built dist/ from
#                 this fresh checkout and type-checked it already, and a clean build would delete dist/ under the
#                 steps that run beside this one)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
keep=false
build=true
for arg in "$@"; do
  case "$arg" in
    --keep) keep=true ;;
    --no-build) build=false ;;
    *) echo "pack-check: unknown argument $arg (usage: tools/pack-check.sh [--keep] [--no-build])" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d "${TMPDIR:-/tmp}/platform-pack-check.XXXXXX")"
if $keep; then echo "pack-check: keeping $work"; else trap 'rm -rf "$work"' EXIT; fi
started=$SECONDS
export CHECKPOINT_DISABLE=1 npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

if $build; then
  echo "-- build (strict) and npm pack"
  # The build is what `prepack` runs; run apart so its output stays out of npm's JSON.
  (cd "$root" && npm run --silent build)
else
  echo "-- npm pack of the dist/ built by this checkout's earlier steps"
  node "$root/scripts/app.js" --ensure-built
fi
(cd "$root" && npm pack --silent --json --ignore-scripts --pack-destination "$work" >"$work/pack.json")
tarball="$work/$(node -p 'require(process.argv[1])[0].filename' "$work/pack.json")"
echo "   $(basename "$tarball"): $(node -p 'const p = require(process.argv[1])[0]; `${p.entryCount} files, ${(p.size / 1e6).toFixed(1)} MB`' "$work/pack.json")"

app="$work/app"
mkdir -p "$app"
# The README's team app, as written there (tools/team-app.ts), depending on the tarball.
node "$root/dist/tools/team-app.js" "$root/README.md" "$app" "$tarball"

# Two environments; the app builds one (PLATFORM_ENVIRONMENTS=prod below). prod keeps state in S3 and assumes a role.
cat >"$app/platform.yaml" <<'EOF'
defaults:
  region: eu-west-1
  vpc:
    id: vpc-0a1b2c3d4e5f60718
    privateSubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
    publicSubnetIds: [subnet-0a1b2c3d4e5f60011, subnet-0a1b2c3d4e5f60012]
environments:
  - name: dev
    account: "111111111111"
    cluster: { access: { terraformRoleArn: "arn:aws:iam::111111111111:role/platform-terraform" } }
    dns: { domain: dev.example.com, hostedZoneId: Z0123456789ABCDEFGHIJ }
  - name: prod
    account: "222222222222"
    assumeRoleArn: arn:aws:iam::222222222222:role/deploy
    backend: { type: s3, bucket: acme-tf-state, keyPrefix: platform }
    dns: { domain: prod.example.com, hostedZoneId: Z0123456789ABCDEFGHIJ }
EOF

echo "-- npm install the tarball into a fresh cdktf app (the app's own dependencies hard-linked: tools/pack-check-seed.js)"
node "$root/tools/pack-check-seed.js" "$root" "$app"
(cd "$app" && npm install --prefer-offline --no-package-lock --ignore-scripts --loglevel=error >/dev/null)

# Plus a typed inline config: a misspelt key must be a type error (an unused @ts-expect-error fails the compile).
cat >>"$app/main.ts" <<'EOF'
import { defineConfig } from "cdktf-eks-platform";
// @ts-expect-error `acount` is not a config field: inline configs are type-checked
export const typo = defineConfig({ environments: [{ name: "dev", acount: "111111111111" }] });
EOF

echo "-- the app command of its cdktf.json, with PLATFORM_ENVIRONMENTS=prod (its TypeScript compiles, node synthesizes)"
command="$(node -p 'require(process.argv[1]).app' "$app/cdktf.json")"
(cd "$app" && PLATFORM_ENVIRONMENTS=prod sh -c "$command")

echo "-- check the output"
(cd "$app" && node node_modules/cdktf-eks-platform/dist/bin/platform.js help | grep -q "validate") || { echo "pack-check: the platform command has no validate"; exit 1; }
node - "$app" <<'EOF'
const { readFileSync } = require("node:fs");
const { join, dirname } = require("node:path");
const app = process.argv[2];
const problems = [];
const check = (ok, message) => ok || problems.push(message);

// One cdktf: the package resolves the app's copy, not a nested one.
const own = require.resolve("cdktf", { paths: [app] });
const platformDir = dirname(require.resolve("cdktf-eks-platform/package.json", { paths: [app] }));
check(require.resolve("cdktf", { paths: [platformDir] }) === own, "the package resolves its own nested cdktf, not the app's");

const out = join(app, "cdktf.out");
const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
const names = Object.keys(manifest.stacks).sort();
const expected = ["prod-foundation", "prod-network", "prod-operators", "prod-storage", "prod-team-payments"];
check(JSON.stringify(names) === JSON.stringify(expected), `stacks ${names.join(", ")}; expected ${expected.join(", ")}`);
const stack = (name) => JSON.parse(readFileSync(join(out, manifest.stacks[name].synthesizedStackPath), "utf8"));

const team = stack("prod-team-payments");
const s3 = team.terraform.backend?.s3 ?? {};
check(s3.bucket === "acme-tf-state" && s3.key === "platform/prod/team-payments.tfstate", `team backend ${JSON.stringify(team.terraform.backend)}`);
check(s3.assume_role?.role_arn === "arn:aws:iam::222222222222:role/deploy", "team backend does not assume the environment's role");
const aws = team.provider.aws[0];
check(JSON.stringify(aws.allowed_account_ids) === '["222222222222"]', `team provider allowed_account_ids ${JSON.stringify(aws.allowed_account_ids)}`);
check(aws.assume_role?.[0]?.role_arn === "arn:aws:iam::222222222222:role/deploy", "team provider does not assume the environment's role");
check(aws.default_tags?.[0]?.tags?.stack === "prod-team-payments", "team provider has no default tags");
const aliased = team.provider.aws.find((config) => config.alias === "us_east_1") ?? {};
check(aliased.region === "us-east-1" && JSON.stringify(aliased.allowed_account_ids) === '["222222222222"]', `team's awsProvider ${JSON.stringify(aliased)}`);
check(aliased.default_tags?.[0]?.tags?.stack === "prod-team-payments", "team's awsProvider has no default tags");
check(/terraform_remote_state/.test(team.provider.kubernetes?.[0]?.host ?? ""), "team Kubernetes provider does not read the cluster from the foundation");
check([...manifest.stacks["prod-team-payments"].dependencies].sort().join() === "prod-foundation,prod-network", "team stack is not applied after foundation and network");

// No depends_on anywhere may name another stack's output (Terraform refuses it at plan time).
for (const name of names) {
  const text = JSON.stringify(stack(name));
  for (const match of text.matchAll(/"depends_on":\[([^\]]*)\]/g)) check(!match[1].includes("terraform_remote_state"), `${name}: depends_on ${match[1]}`);
}
if (problems.length > 0) {
  console.error(`pack-check FAILED:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`   ${names.length} stacks: ${names.join(", ")}; team stack: s3 ${s3.key}, role ${aws.assume_role[0].role_arn}, no cross-stack depends_on`);
EOF
echo "pack-check passed in $((SECONDS - started)) s"
