import { Testing } from "cdktf";
import { parseConfigText } from "../modules/config/load";
import { Platform } from "../stacks/platform";
import { readFileSync } from "node:fs";
import { join } from "node:path";

describe("example config", () => {
  it("synthesizes four stacks for the dev environment", () => {
    const config = parseConfigText(readFileSync(join(__dirname, "..", "config", "example.yaml"), "utf8"), "example.yaml");
    const app = Testing.app();
    const platform = new Platform(app, { config });
    const names = [platform.environments[0].foundation, platform.environments[0].network, platform.environments[0].storage, platform.environments[0].operators].map((stack) => stack?.node.id);
    expect(names).toEqual(["dev-foundation", "dev-network", "dev-storage", "dev-operators"]);
    expect(Testing.synth(platform.environments[0].foundation!)).toHaveResourceWithProperties({ tfResourceType: "aws_eks_cluster" }, { name: "dev" });
  });
});
