import { validateConfig } from "../../modules/plan";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Issue item 7: a local backend `path` gives every stack its own state file inside the project. A path shared
 * by two stacks (no `{stack}`, or the same file for two environments) or one that climbs out of the project
 * with `..` is refused; paths resolve from the stack's directory, `cdktf.out/stacks/<stack>`.
 */

const local = (path: string | undefined, overrides: Record<string, unknown> = {}) =>
  minimalEnvironment({ ...overrides, backend: { type: "local", path } });
const issues = (...environments: Array<Record<string, unknown>>) => issuesOf(() => validateConfig({ environments }));
const foundationOnly = { layers: { network: false, storage: false, operators: false } };

describe("local backend paths", () => {
  it.each([
    [undefined],
    ["../../../state/terraform.{stack}.tfstate"],
    ["terraform.tfstate"],
    ["/var/lib/terraform/{stack}.tfstate"],
  ])("accepts %j", (path) => {
    expect(() => validateConfig({ environments: [local(path)] })).not.toThrow();
  });

  it("refuses a path without {stack}: the environment's stacks would share one state", () => {
    expect(issues(local("../../../terraform.tfstate"))).toEqual([
      expect.objectContaining({
        path: "environments[0].backend.path",
        message: "makes dev-network share its state file terraform.tfstate with dev-foundation",
        value: "../../../terraform.tfstate",
        fix: expect.stringContaining("{stack}"),
      }),
    ]);
  });

  it("refuses two environments writing one file", () => {
    const found = issues(
      local("../../../shared.tfstate", { name: "one", ...foundationOnly }),
      local("../../../shared.tfstate", { name: "two", ...foundationOnly }),
    );
    expect(found).toEqual([
      expect.objectContaining({
        path: "environments[1].backend.path",
        message: expect.stringContaining("share its state file shared.tfstate with one-foundation"),
      }),
    ]);
  });

  it.each(["../../../../terraform.{stack}.tfstate", "../../../state/../../{stack}.tfstate"])(
    "refuses %j, which leaves the project",
    (path) => {
      expect(issues(local(path))).toEqual([
        expect.objectContaining({
          path: "environments[0].backend.path",
          message: expect.stringContaining("leaves the project"),
          value: path,
        }),
      ]);
    },
  );

  // Issue 24 item 1: the outdir is replaced as a whole by every synth; only a stack's own top-level files
  // (where Terraform keeps its working files) are carried over, so state anywhere else in it would be deleted.
  it.each([
    ["../{stack}.tfstate", "cdktf.out/stacks/dev-foundation.tfstate"],
    ["state/{stack}.tfstate", "cdktf.out/stacks/dev-foundation/state/dev-foundation.tfstate"],
    ["../../{stack}.tfstate", "cdktf.out/dev-foundation.tfstate"],
    ["../dev-network/{stack}.tfstate", "cdktf.out/stacks/dev-network/dev-foundation.tfstate"],
    ["./terraform.tfstate.d/{stack}/terraform.tfstate", "cdktf.out/stacks/dev-foundation/terraform.tfstate.d/"],
  ])("refuses %j, inside the output directory that every synth replaces (%s)", (path, resolved) => {
    expect(issues(local(path))).toEqual([
      expect.objectContaining({
        path: "environments[0].backend.path",
        message: expect.stringContaining(resolved),
        value: path,
        fix: expect.stringContaining("../../../state/terraform.{stack}.tfstate"),
      }),
    ]);
  });

  it("refuses an absolute path inside the output directory", () => {
    const outdir = require("node:path").resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out") as string;
    expect(issues(local(`${outdir}/stacks/{stack}.tfstate`))).toEqual([
      expect.objectContaining({
        path: "environments[0].backend.path",
        message: expect.stringContaining("every synth replaces"),
      }),
    ]);
  });

  it("reports a shared path written in defaults once, where it is written", () => {
    const found = issuesOf(() =>
      validateConfig({
        defaults: { backend: { type: "local", path: "../../../x.tfstate" } },
        environments: [minimalEnvironment()],
      }),
    );
    expect(found).toEqual([expect.objectContaining({ path: "defaults.backend.path" })]);
  });
});
