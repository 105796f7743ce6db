import { environmentsOf } from "./environments";
import { identitiesOf } from "./identities";
import { judge, staleDefects } from "./known-defects";
import { assertUniqueIds, byPrincipal, mismatches } from "./rows";
import { ALL_OPTIONS_CONFIG, EXAMPLE_CONFIG, synthesized } from "./synthesized";
import { environmentTrustRows, podIdentityBindings, runRoleTrustRows, WORKLOADS } from "./trust-calls";

/**
 * Table 2: every role's trust policy, simulated as a resource policy of sts:AssumeRole(WithWebIdentity): the
 * principal that should assume it can, with what it really sends; nobody else can (trust-calls.ts).
 */

const configs = [EXAMPLE_CONFIG, ALL_OPTIONS_CONFIG].map(synthesized);
const rows = configs.flatMap((synth) =>
  environmentsOf(synth).flatMap((env) => [...environmentTrustRows(synth, env), ...runRoleTrustRows(synth, env)]),
);
assertUniqueIds(rows);

it.each(byPrincipal(rows))("%s: only the right principal assumes it", async (_, group) => {
  expect(await mismatches(group, judge)).toEqual([]);
});

describe("the trust table", () => {
  it("has no KNOWN_DEFECTS entry that names no row", () => {
    expect(
      staleDefects(
        "trust",
        rows.map((row) => row.id),
      ),
    ).toEqual([]);
  });

  it("covers every role the configs synthesize", () => {
    const covered = new Set(rows.map((row) => row.id.slice(row.id.indexOf(" ") + 1, row.id.indexOf(":"))));
    const roles = configs.flatMap((synth) => identitiesOf(synth).map((who) => `${who.stack} ${who.name}`));
    expect(roles.filter((role) => !covered.has(role.split(" ")[1]))).toEqual([]);
  });

  it("binds each Pod Identity role to its controller's service account, and no other", () => {
    const wrong = configs.flatMap((synth) =>
      environmentsOf(synth).flatMap((env) =>
        identitiesOf(synth)
          .filter((who) => env.stacks.has(who.stack))
          .flatMap((who) => {
            const expected = WORKLOADS[who.name.slice(env.cluster.length + 1)];
            const bindings = podIdentityBindings(synth, who);
            if (!expected || bindings.length === 0) return [];
            return bindings
              .filter(
                (binding) =>
                  binding.serviceAccount !== expected.serviceAccount ||
                  (binding.namespace ?? expected.namespace) !== expected.namespace,
              )
              .map(
                (binding) =>
                  `${who.name}: bound to ${binding.namespace ?? "(add-on namespace)"}/${binding.serviceAccount}, expected ${expected.namespace}/${expected.serviceAccount}`,
              );
          }),
      ),
    );
    expect(wrong).toEqual([]);
  });
});
