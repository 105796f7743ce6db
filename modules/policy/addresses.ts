import { asList, firstBlock, isObject, resources, type StackJson } from "../terraform-json";

/**
 * Address stability: a resource address that disappears is a destroy (and, when something else takes its place,
 * a create) in someone's next plan. Golden lists of `<stack>: <type>.<name>` entries catch that in tests; a
 * rename is fine when the stack carries a `moved` block from the old address to the new one.
 */

/** `<stack>: <type>.<name>` for every resource of a stack, sorted. */
export function stackAddresses(stack: string, json: StackJson): string[] {
  return resources(json)
    .map((resource) => `${stack}: ${resource.address}`)
    .sort();
}

/** `moved` blocks of a stack as `<stack>: <from>` -> `<stack>: <to>`. */
export function movedAddresses(stack: string, json: StackJson): Map<string, string> {
  const moves = new Map<string, string>();
  for (const block of asList(json.moved)) {
    const move = firstBlock(block);
    if (isObject(move) && typeof move.from === "string" && typeof move.to === "string")
      moves.set(`${stack}: ${move.from}`, `${stack}: ${move.to}`);
  }
  return moves;
}

export interface AddressChanges {
  /** In the golden list, gone now, with no `moved` block to a current address: destroyed by the next apply. */
  readonly destroyed: string[];
  /** Current, not in the golden list: to be recorded. */
  readonly added: string[];
}

export function compareAddresses(
  golden: ReadonlyArray<string>,
  current: ReadonlyArray<string>,
  moved: ReadonlyMap<string, string>,
): AddressChanges {
  const now = new Set(current);
  const before = new Set(golden);
  const movedTargets = new Set([...moved].filter(([from]) => before.has(from)).map(([, to]) => to));
  return {
    destroyed: golden.filter((address) => !now.has(address) && !now.has(moved.get(address) ?? "")),
    added: current.filter((address) => !before.has(address) && !movedTargets.has(address)),
  };
}

/** What a failing address check tells the developer. */
export function explainAddressChanges(changes: AddressChanges, updateCommand: string): string {
  const lines: string[] = [];
  if (changes.destroyed.length) {
    lines.push(
      `${changes.destroyed.length} resource address(es) of the example are gone; the next apply would DESTROY them (and recreate them under a new address):`,
      ...changes.destroyed.map((address) => `  - ${address}`),
      'If the resource was renamed or moved in the code, keep its address: stableId(resource, "<old name>") (modules/naming.ts),',
      'or add a moved block in the stack: newResource.moveFromId("<type>.<old name>") (or oldResource.moveTo(...)) in cdktf, which emits',
      '  "moved": [{ "from": "<type>.<old name>", "to": "<type>.<new name>" }].',
      `If the removal is intended, record it: ${updateCommand}`,
    );
  }
  if (changes.added.length) {
    lines.push(
      `${changes.added.length} new resource address(es) are not recorded in the golden list:`,
      ...changes.added.map((address) => `  + ${address}`),
      `Record them (review that the names are the ones you want to keep forever): ${updateCommand}`,
    );
  }
  return lines.join("\n");
}
