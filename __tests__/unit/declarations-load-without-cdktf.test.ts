import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseImports, runtimeClosure, type RuntimeClosure } from "../../tools/import-cycles";

/**
 * Reading a config, planning, the report and validation load no cdktf, constructs or provider class (issue 21
 * item 7): an add-on's declaration is plain data, and its construct code (companions, a manifests delivery's
 * objects) loads only when the engine renders. Judged twice: on the import graph as written (with the chain from
 * the entry to the package, so a new import that reaches cdktf names itself), and by loading the entries here with
 * cdktf and constructs refused (every provider class imports both).
 */

const ROOT = join(__dirname, "..", "..");
const ENTRIES = [
  "modules/addons/catalog.ts",
  "modules/plan.ts",
  ...readdirSync(join(ROOT, "modules", "config"))
    .filter((file) => file.endsWith(".ts"))
    .map((file) => `modules/config/${file}`),
  "modules/engine/resolve.ts",
  "modules/engine/inventory.ts",
  "modules/versions.ts",
  "modules/ami-releases.ts",
  // The policy pack evaluates synthesized JSON; only its attachment to a stack (attach.ts, the index) is cdktf.
  "modules/policy/engine.ts",
  "modules/policy/registry.ts",
  "tools/report/model.ts",
  "tools/validate/index.ts",
];

/** One line per file that imports a construct package: the chain from an entry, then the packages. */
function describeLoads(closure: RuntimeClosure): string[] {
  const byFile = new Map<string, { chain: ReadonlyArray<string>; packages: string[] }>();
  for (const load of closure.loads) {
    const seen = byFile.get(load.file) ?? { chain: load.chain.slice(0, -1), packages: [] };
    seen.packages.push(load.specifier);
    byFile.set(load.file, seen);
  }
  return [...byFile.values()].map(({ chain, packages }) => `${chain.join(" -> ")} -> {${packages.join(", ")}}`);
}

describe.each(ENTRIES)("%s", (entry) => {
  it("imports no cdktf, constructs or @cdktf package at run time, through any chain", () => {
    const closure = runtimeClosure(ROOT, [entry]);
    expect(closure.files[0]).toBe(entry);
    expect(describeLoads(closure)).toEqual([]);
  });
});

describe("the judge", () => {
  it("sees the chain from the engine's renderer to the provider classes", () => {
    const closure = runtimeClosure(ROOT, ["modules/engine/render.ts"]);
    const helm = closure.loads.find((load) => load.specifier === "@cdktf/provider-helm/lib/release");
    expect(helm?.chain).toEqual([
      "modules/engine/render.ts",
      "modules/engine/renderers/helm.ts",
      "@cdktf/provider-helm/lib/release",
    ]);
  });

  it("tells run-time, type-only and lazy imports apart, and follows only run-time ones", () => {
    const file = join(ROOT, "modules", "addons", "example", "index.ts");
    const text = [
      'import { z } from "zod";',
      'import type { Construct } from "constructs";',
      'import { type ITerraformDependable, type TerraformStack } from "cdktf";',
      'export { karpenter } from "../karpenter";',
      'const render = () => require("./render") as typeof import("./render");',
    ].join("\n");
    expect(parseImports(file, text).map(({ specifier, kind }) => `${kind} ${specifier}`)).toEqual([
      "runtime zod",
      "type constructs",
      "type cdktf",
      "runtime ../karpenter",
      "type ./render",
      "lazy ./render",
    ]);
  });

  it("does not follow an add-on's lazy companions", () => {
    const { files } = runtimeClosure(ROOT, ["modules/addons/karpenter/index.ts"]);
    expect(files).not.toContain("modules/addons/karpenter/companions.ts");
  });
});

describe("at run time", () => {
  /**
   * Runs `load` in a registry of its own with cdktf and constructs refused. The refusals are taken back after:
   * this file shares its module registry with the other topics of its group (__tests__/helpers/groups.ts).
   */
  const withConstructPackagesRefused = (load: () => void) => {
    jest.doMock("cdktf", () => {
      throw new Error("cdktf was loaded");
    });
    jest.doMock("constructs", () => {
      throw new Error("constructs was loaded");
    });
    try {
      jest.isolateModules(load);
    } finally {
      jest.dontMock("cdktf");
      jest.dontMock("constructs");
    }
  };

  it("loading the entries loads neither cdktf nor constructs", () => {
    withConstructPackagesRefused(() => {
      for (const entry of ENTRIES) expect(() => require(join(ROOT, entry))).not.toThrow();
    });
  });

  it("(the refusal works: the engine's renderer cannot load)", () => {
    withConstructPackagesRefused(() => {
      expect(() => require(join(ROOT, "modules/engine/render.ts"))).toThrow(/(cdktf|constructs) was loaded/);
    });
  });

  it("(and is taken back: the rest of the group loads cdktf's own modules again)", () => {
    withConstructPackagesRefused(() => undefined);
    jest.isolateModules(() => {
      expect(() => require("constructs")).not.toThrow();
    });
  });
});
