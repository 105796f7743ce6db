import { validateConfig } from "../../modules/plan";
import { Platform } from "../../stacks/platform";
import { fixtureStacks } from "../helpers/fixtures";
import { minimalEnvironment } from "../helpers/config";
import { synthesizeAppOnce } from "../helpers/synth";

/**
 * `adoptExistingNamespaces`: on a cluster built before the platform created its add-on namespaces (Helm's
 * create_namespace made them), each namespace a layer now creates gets an `import` block, so the next apply adopts
 * it and labels it instead of failing with "already exists". Off (the default, a new cluster), no import block: an
 * import of a namespace that does not exist would fail the plan.
 */

const config = validateConfig({ environments: [minimalEnvironment({ adoptExistingNamespaces: true })] });
const adopted = synthesizeAppOnce((app) => void new Platform(app, { config }));

type Namespace = { metadata?: { name?: string }; provider?: string };
const namespacesOf = (json: { resource?: Record<string, Record<string, Namespace>> }) =>
  Object.entries(json.resource?.kubernetes_namespace_v1 ?? {}).map(([address, body]) => ({
    to: `kubernetes_namespace_v1.${address}`,
    id: body.metadata?.name,
    // The namespace's own provider configuration (its cluster token): the import reads through the same one.
    provider: body.provider,
  }));

it("imports every namespace each layer creates, by its name, into its own address", () => {
  let namespaces = 0;
  for (const [name, json] of adopted.stacks) {
    const expected = namespacesOf(json);
    namespaces += expected.length;
    // The echo server's Namespace is its own manifests object, created by the platform from the start: not imported.
    const imports = ((json.import ?? []) as Array<{ to: string; id: string; provider?: string }>).filter((block) =>
      block.to.startsWith("kubernetes_namespace_v1."),
    );
    expect(expected.every((entry) => entry.provider?.startsWith("kubernetes."))).toBe(true);
    expect({ stack: name, imports: imports.map(({ to, id, provider }) => ({ to, id, provider })) }).toEqual({
      stack: name,
      imports: expected.filter((entry) => entry.to !== "kubernetes_namespace_v1.echo_server"),
    });
  }
  expect(namespaces).toBeGreaterThanOrEqual(4);
});

it("writes no import block by default (a new cluster)", () => {
  for (const [name, json] of fixtureStacks("example"))
    expect({ stack: name, import: json.import ?? [] }).toEqual({ stack: name, import: [] });
});
