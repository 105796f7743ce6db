import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  compareAddresses,
  explainAddressChanges,
  movedAddresses,
  stackAddresses,
} from "../../modules/policy/addresses";
import { ADDRESS_LIST, exampleAddresses } from "../../tools/addresses";
import { GENERATE_COMMAND, staleMessage } from "../helpers/generated";

/**
 * The example's resource addresses are recorded in __golden__/example-addresses.json (tools/addresses.ts). An
 * address that is gone without a `moved` block would be destroyed by the next apply, so it fails here; new
 * addresses must be recorded. Regenerate after an intended change: `npm run generate` (every generated file).
 */

const ROOT = join(__dirname, "..", "..");
const GOLDEN = join(ROOT, ADDRESS_LIST);
const UPDATE = GENERATE_COMMAND;

let current: string[] = [];
let moved = new Map<string, string>();

beforeAll(() => {
  ({ addresses: current, moved } = exampleAddresses(ROOT));
});

describe("example resource addresses", () => {
  it("match the golden list: nothing destroyed without a moved block, nothing unrecorded", () => {
    expect(existsSync(GOLDEN) ? "" : `${staleMessage(ADDRESS_LIST)} (the file is missing)`).toBe("");
    const golden: string[] = JSON.parse(readFileSync(GOLDEN, "utf8"));
    const changes = compareAddresses(golden, current, moved);
    const message = explainAddressChanges(changes, UPDATE);
    // The message is the assertion's output: it says what moved and how to fix it.
    expect(message).toBe("");
  });
});

describe("address comparison", () => {
  const golden = ["dev-foundation: aws_iam_role.karpenter", "dev-foundation: aws_kms_key.cluster"];

  it("passes when nothing changed", () => {
    expect(compareAddresses(golden, golden, new Map())).toEqual({ destroyed: [], added: [] });
  });

  it("reports a renamed address without a moved block as destroyed, and the new one as unrecorded", () => {
    const renamed = ["dev-foundation: aws_iam_role.karpenter_controller", "dev-foundation: aws_kms_key.cluster"];
    const changes = compareAddresses(golden, renamed, new Map());
    expect(changes).toEqual({
      destroyed: ["dev-foundation: aws_iam_role.karpenter"],
      added: ["dev-foundation: aws_iam_role.karpenter_controller"],
    });
    const message = explainAddressChanges(changes, UPDATE);
    expect(message).toContain("- dev-foundation: aws_iam_role.karpenter");
    expect(message).toContain("moveFromId");
    expect(message).toContain(UPDATE);
  });

  it("accepts a rename carried by a moved block in the same stack", () => {
    const json = {
      resource: { aws_iam_role: { karpenter_controller: {} }, aws_kms_key: { cluster: {} } },
      moved: [{ from: "aws_iam_role.karpenter", to: "aws_iam_role.karpenter_controller" }],
    };
    const changes = compareAddresses(
      golden,
      stackAddresses("dev-foundation", json),
      movedAddresses("dev-foundation", json),
    );
    expect(changes).toEqual({ destroyed: [], added: [] });
  });

  it("does not accept a moved block of another stack", () => {
    const json = { resource: { aws_iam_role: { karpenter_controller: {} }, aws_kms_key: { cluster: {} } } };
    const otherStack = movedAddresses("dev-network", {
      moved: [{ from: "aws_iam_role.karpenter", to: "aws_iam_role.karpenter_controller" }],
    });
    expect(compareAddresses(golden, stackAddresses("dev-foundation", json), otherStack).destroyed).toEqual([
      "dev-foundation: aws_iam_role.karpenter",
    ]);
  });

  it("reports a plain addition as unrecorded only", () => {
    expect(compareAddresses(golden, [...golden, "dev-storage: aws_efs_file_system.efs"].sort(), new Map())).toEqual({
      destroyed: [],
      added: ["dev-storage: aws_efs_file_system.efs"],
    });
  });
});
