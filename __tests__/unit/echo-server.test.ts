import { validateConfig } from "../../modules/plan";
import { ECHO_DEFAULT_CIDRS } from "../../modules/config/echo-schema";
import { echoImage, IMAGE_REPOSITORY } from "../../modules/addons/echo-server/settings";
import { PINS, type VersionPin } from "../../modules/versions";
import { issuesOf, minimalEnvironment } from "../helpers/config";

/**
 * Issue 24 item 10: the echo server proves the network layer without exposing more than the proof needs. Its
 * image is pulled by digest, its listener rule answers listed source CIDRs only, and opening it to the internet is
 * an explicit, acknowledged choice. (The rendered objects are checked in __tests__/synth/network.test.ts.)
 */

const issues = (overrides: Record<string, unknown>) =>
  issuesOf(() => validateConfig({ environments: [minimalEnvironment(overrides)] }));
const accepted = (overrides: Record<string, unknown>) =>
  validateConfig({ environments: [minimalEnvironment(overrides)] }).environments[0];

const PINNED = PINS["echo-server"].manifests as ReadonlyArray<VersionPin>;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

describe("the echo server's image", () => {
  it.each(PINNED.map((pin) => [pin.version, pin] as const))("pin %s carries the image digest", (_version, pin) => {
    expect(pin.digest).toMatch(DIGEST);
  });

  it.each(PINNED.map((pin) => [pin.version] as const))("%s is pulled by tag and digest", (version) => {
    const reference = echoImage(version);
    expect(reference).toMatch(new RegExp(`^${IMAGE_REPOSITORY}:${version.replace(/\./g, "\\.")}@sha256:[0-9a-f]{64}$`));
  });

  it("names no image for a version it knows no digest of", () => {
    expect(() => echoImage("0.0.1")).toThrow(/no digest/);
  });

  it("refuses a version outside the pins even when acknowledged: no digest would pin it", () => {
    const found = issues({ addons: { "echo-server": { version: "0.9.1", acknowledgeUnknownVersion: true } } });
    expect(found).toEqual([
      expect.objectContaining({
        path: "environments[0].addons.echo-server.version",
        value: "0.9.1",
        allowed: PINNED.map((pin) => pin.version).join(", "),
        message: expect.stringMatching(/by digest/),
        fix: expect.stringMatching(/modules\/versions\.ts/),
      }),
    ]);
  });
});

describe("network.echo", () => {
  it("defaults to the private ranges: nothing on the internet matches the echo server's listener rule", () => {
    expect(accepted({}).network.echo).toEqual({
      allowedCidrs: [...ECHO_DEFAULT_CIDRS],
      acknowledgeOpenToInternet: false,
    });
    expect(ECHO_DEFAULT_CIDRS).toEqual(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]);
  });

  it("takes the CIDRs to test from", () => {
    expect(accepted({ network: { echo: { allowedCidrs: ["203.0.113.7/32"] } } }).network.echo.allowedCidrs).toEqual([
      "203.0.113.7/32",
    ]);
  });

  it.each([
    ["0.0.0.0/0", ["0.0.0.0/0"]],
    ["blocks that together cover the internet", ["0.0.0.0/1", "128.0.0.0/1"]],
  ])("refuses %s without acknowledgeOpenToInternet", (_case, cidrs) => {
    const found = issues({ network: { echo: { allowedCidrs: cidrs } } });
    expect(found).toEqual([
      expect.objectContaining({
        path: "environments[0].network.echo.allowedCidrs",
        value: cidrs,
        message: expect.stringMatching(/internet/),
        fix: expect.stringMatching(/acknowledgeOpenToInternet: true.*ECHO_SERVER_RESTRICTED/),
      }),
    ]);
  });

  it("accepts the internet when acknowledged (the policy pack still asks for a waiver)", () => {
    const echo = accepted({ network: { echo: { allowedCidrs: ["0.0.0.0/0"], acknowledgeOpenToInternet: true } } })
      .network.echo;
    expect(echo.allowedCidrs).toEqual(["0.0.0.0/0"]);
  });

  it("refuses more CIDRs than one ALB rule condition can hold", () => {
    const cidrs = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];
    const found = issues({ network: { echo: { allowedCidrs: cidrs } } });
    expect(found).toEqual([
      expect.objectContaining({
        path: "environments[0].network.echo.allowedCidrs",
        message: expect.stringMatching(/3/),
      }),
    ]);
  });

  it.each([[[]], [["10.0.0.1/8"]]])("refuses %j", (cidrs) => {
    expect(issues({ network: { echo: { allowedCidrs: cidrs } } }).map((issue) => issue.path)).toEqual([
      expect.stringMatching(/^environments\[0\]\.network\.echo\.allowedCidrs/),
    ]);
  });
});
