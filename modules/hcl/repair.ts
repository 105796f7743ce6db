import type { IConstruct } from "constructs";
import {
  CloudBackend,
  DefaultTokenResolver,
  StringConcat,
  TerraformElement,
  TerraformStack,
  Tokenization,
} from "cdktf";
import { writeNestedAttributesAsAttributes } from "./attribute-syntax";
import { HclStringEscaper } from "./escape-strings";

/**
 * Makes the stack's HCL output (`cdktf synth --hcl`, `Testing.synthHcl`) mean what its JSON output means.
 *
 * cdktf 0.21 renders HCL from each element's `toHclTerraform()` fragment with a renderer that cannot be replaced
 * (cdktf/lib/hcl/render.js) and that writes strings wrongly: an IAM policy with a reference in it comes out as
 * `policy = "{"Version":...,"Resource":"${aws_kms_key.cluster.arn}"}"`, which Terraform cannot parse. While the
 * stack renders, each fragment is resolved and passed through an `HclStringEscaper`, and the rendered text gets
 * correct literals back (./escape-strings.ts, ./template.ts). Nested attributes that cdktf's bindings mark as
 * blocks (helm 3.x's `kubernetes`, `set`, ...) are written as attributes, by the provider schemas' nesting modes
 * (./attribute-syntax.ts, ./nesting.ts). It also puts back what cdktf's HCL fragments leave out (`fixFragment`).
 * Nothing persists on the constructs (no overrides): the JSON output is untouched.
 *
 * Wraps the stack's own `toHclTerraform` (as the policy pack wraps `toTerraform`), so every way of producing HCL
 * is covered; the JSON path never calls it. Idempotent: call it once per stack, e.g. in the stack's constructor.
 */
export function repairHclOutput(stack: TerraformStack): void {
  if (repaired.has(stack)) return;
  repaired.add(stack);
  const render = stack.toHclTerraform.bind(stack);
  stack.toHclTerraform = () => {
    const escaper = new HclStringEscaper();
    const undo = elementsOf(stack).map((element) =>
      passFragmentThrough(element, (fragment) =>
        escaper.swap(writeNestedAttributesAsAttributes(fixFragment(element, resolveIn(stack, fragment)))),
      ),
    );
    try {
      const { hcl, metadata, ...rest } = render();
      return { ...rest, hcl: escaper.substitute(hcl as string), metadata: escaper.restore(metadata) };
    } finally {
      undo.forEach((restore) => restore());
    }
  };
}

/** Whether `repairHclOutput` was applied to the stack. */
export function repairsHclOutput(stack: TerraformStack): boolean {
  return repaired.has(stack);
}

const repaired = new WeakSet<TerraformStack>();

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Resolves tokens as `TerraformStack.toHclTerraform` does (which resolves the result again: a no-op). */
function resolveIn(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, { scope: stack, preparing: false, resolver: RESOLVER });
}

/** The stack's own Terraform elements (not a nested stack's), as `TerraformStack.toHclTerraform` finds them. */
function elementsOf(stack: TerraformStack): TerraformElement[] {
  const found: TerraformElement[] = [];
  const visit = (node: IConstruct): void => {
    if (TerraformElement.isTerraformElement(node)) found.push(node);
    for (const child of node.node.children) if (!TerraformStack.isStack(child)) visit(child);
  };
  visit(stack);
  return found;
}

/** Passes the element's HCL fragment through `transform` until the returned function is called. */
function passFragmentThrough(element: TerraformElement, transform: (fragment: unknown) => unknown): () => void {
  const own = Object.prototype.hasOwnProperty.call(element, "toHclTerraform") ? element.toHclTerraform : undefined;
  const original = element.toHclTerraform;
  element.toHclTerraform = () => transform(original.call(element));
  return () => {
    if (own) element.toHclTerraform = own;
    else delete (element as { toHclTerraform?: unknown }).toHclTerraform;
  };
}

type Fragment = { [key: string]: unknown };

const isObject = (value: unknown): value is Fragment =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * What cdktf's HCL fragments drop and its JSON keeps. `NamedCloudWorkspace` / `TaggedCloudWorkspaces` leave the
 * workspace's `project` out of `toHclTerraform()`: the HCL `cloud { workspaces { ... } }` would put new
 * workspaces in the organization's default project.
 */
function fixFragment(element: TerraformElement, fragment: unknown): unknown {
  if (!(element instanceof CloudBackend) || !isObject(fragment)) return fragment;
  const json = resolveIn(element.cdktfStack, element.toTerraform()) as {
    terraform?: { cloud?: { workspaces?: { project?: unknown } } };
  };
  const project = json.terraform?.cloud?.workspaces?.project;
  const cloud = isObject(fragment.terraform) ? fragment.terraform.cloud : undefined;
  const workspaces = isObject(cloud) ? cloud.workspaces : undefined;
  if (project === undefined || !isObject(workspaces) || !isObject(workspaces.value) || "project" in workspaces.value)
    return fragment;
  workspaces.value = { ...workspaces.value, project: { value: project, type: "simple", storageClassType: "string" } };
  return fragment;
}
