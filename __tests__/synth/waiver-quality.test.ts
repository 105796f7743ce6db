import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { validateConfig } from "../../modules/plan";
import { Platform } from "../../stacks/platform";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Issue item 5: a waiver needs a real reason and a real date, and the policy pack cannot be switched off by a
 * library user's `App({ skipValidation: true })`; no error suggests that flag.
 */

const waiver = (fields: Record<string, unknown>) => ({ rule: "EKS_DELETION_PROTECTION", ...fields });
const issues = (fields: Record<string, unknown>) =>
  issuesOf(() => validateConfig({ environments: [minimalEnvironment({ policy: { waivers: [waiver(fields)] } })] }));
const accepted = (fields: Record<string, unknown>) =>
  validateConfig({ environments: [minimalEnvironment({ policy: { waivers: [waiver(fields)] } })] });

describe("waiver reasons", () => {
  it.each([
    "",
    "          ",
    "todo",
    "TODO: fix later",
    "n/a n/a n/a",
    "temporary",
    "temporary, todo",
    "aaaaaaaaaaaa",
    "..........!!",
    "abcabcabcabc",
    "tbd tbd tbd tbd",
    "asdfasdfasdf",
    "xxxxxxxxxxxxxxxx",
    "test test test",
  ])("refuses %j", (reason) => {
    expect(issues({ reason })).toEqual([
      expect.objectContaining({
        path: "environments[0].policy.waivers[0].reason",
        value: reason,
        fix: expect.any(String),
      }),
    ]);
  });

  it.each([
    "CI runners reach the API from outside the VPC until the VPN lands",
    "Break-glass access from the office while the VPN is rebuilt (INC-4711)",
    "temporary access for the migration",
    "see INC-4711",
  ])("accepts %j", (reason) => {
    expect(() => accepted({ reason })).not.toThrow();
  });
});

describe("waiver end dates", () => {
  it.each(["2026-02-30", "2026-13-01", "2025-02-29", "2026-04-31", "26-01-01"])("refuses %s", (expires) => {
    expect(issues({ reason: "upgrade scheduled for December", expires })).toEqual([
      expect.objectContaining({ path: "environments[0].policy.waivers[0].expires", value: expires }),
    ]);
  });

  it("accepts a leap day", () => {
    expect(() => accepted({ reason: "upgrade scheduled for December", expires: "2028-02-29" })).not.toThrow();
  });
});

describe("the policy pack cannot be skipped", () => {
  const work = mkdtempSync(join(tmpdir(), "platform-skip-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const unprotected = (waivers: unknown[] = []) =>
    validateConfig({
      environments: [
        minimalEnvironment({
          cluster: { deletionProtection: false },
          layers: { network: false, storage: false, operators: false },
          policy: { waivers },
        }),
      ],
    });

  const synth = (options: ConstructorParameters<typeof App>[0], config = unprotected()) => {
    const app = new App({ outdir: join(work, String(Math.random()).slice(2)), ...options });
    new Platform(app, { config });
    return () => app.synth();
  };

  it.each([
    ["JSON", { skipValidation: true }],
    ["HCL", { skipValidation: true, hclOutput: true }],
  ])("App({ skipValidation: true }) still fails on a finding (%s output)", (_output, options) => {
    expect(synth(options)).toThrow(/\[EKS_DELETION_PROTECTION\] deletion protection is off/);
  });

  it("App({ skipValidation: true }) passes what a waiver accepts", () => {
    expect(
      synth(
        { skipValidation: true },
        unprotected([waiver({ reason: "disposable load-test cluster, deleted every night" })]),
      ),
    ).not.toThrow();
  });

  it.each([[{}], [{ skipValidation: true }]])("errors never advertise skipValidation (%j)", (options) => {
    let message = "";
    try {
      synth(options)();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("EKS_DELETION_PROTECTION");
    expect(message).not.toMatch(/skipValidation/);
  });
});
