import { join } from "node:path";
import { loadConfigFile } from "../index";
import { movedAddresses, stackAddresses } from "../modules/policy/addresses";
import type { StackJson } from "../modules/terraform-json";
import { synthesizeRawStacks, type Stacks } from "./golden";

/**
 * The address list: every resource address of config/example.yaml (`<stack>: <type>.<name>`, sorted), recorded in
 * `__tests__/__golden__/example-addresses.json`. __tests__/synth/policy-addresses.test.ts compares the current
 * addresses with it (an address gone without a `moved` block would be destroyed by the next apply);
 * `npm run generate` rewrites it (tools/generate.ts).
 */

/** Where the list is, relative to the project root. */
export const ADDRESS_LIST = "__tests__/__golden__/example-addresses.json";
/** The config whose addresses are recorded, relative to the project root. */
export const ADDRESS_CONFIG = "config/example.yaml";

export interface Addresses {
  /** Sorted `<stack>: <type>.<name>` of every resource of every stack. */
  readonly addresses: string[];
  /** `moved` blocks of every stack, `<stack>: <from>` -> `<stack>: <to>`. */
  readonly moved: Map<string, string>;
}

/** The addresses and moved blocks of synthesized stacks (stack name -> its JSON as cdktf wrote it). */
export function addressesOf(stacks: Stacks): Addresses {
  const addresses: string[] = [];
  const moved = new Map<string, string>();
  for (const [stack, json] of Object.entries(stacks)) {
    addresses.push(...stackAddresses(stack, json as StackJson));
    for (const [from, to] of movedAddresses(stack, json as StackJson)) moved.set(from, to);
  }
  return { addresses: addresses.sort(), moved };
}

/** Synthesizes the example config under `root` and returns its addresses. */
export function exampleAddresses(root: string): Addresses {
  return addressesOf(synthesizeRawStacks(loadConfigFile(join(root, ADDRESS_CONFIG))));
}

/** The list file's text. */
export function addressListText(addresses: ReadonlyArray<string>): string {
  return `${JSON.stringify([...addresses].sort(), null, 2)}\n`;
}
