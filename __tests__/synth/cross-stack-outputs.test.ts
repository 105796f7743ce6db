import { fixtureStacks, type FixtureConfig } from "../helpers/fixtures";

/**
 * Every value a stack reads from another through remote state is an output the other stack really writes:
 * `data.terraform_remote_state.cross-stack-reference-input-<stack>.outputs.<name>` must be `output.<name>` of
 * <stack>. cdktf creates those outputs while it prepares the stacks, before it writes the first one; a reference
 * made later (a provider added when the reader is synthesized) would point at an output the producer never got,
 * and the reader's plan fails with "Unsupported attribute".
 */

const REFERENCE =
  /data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g;

describe.each<FixtureConfig>(["example", "all-options"])("%s: remote-state reads", (config) => {
  const stacks = fixtureStacks(config);
  const reads = [...stacks].flatMap(([reader, json]) =>
    [...JSON.stringify(json).matchAll(REFERENCE)].map((match) => ({ reader, producer: match[1], output: match[2] })),
  );

  it("there are reads to check", () => expect(reads.length).toBeGreaterThan(0));

  it("every read names an output its producer writes", () => {
    const missing = reads.filter(({ producer, output }) => !(output in (stacks.get(producer)?.output ?? {})));
    expect(missing).toEqual([]);
  });
});
