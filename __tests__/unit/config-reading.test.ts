import { execFileSync } from "node:child_process";
import type * as fs from "node:fs";
import { chmodSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAX_CONFIG_BYTES, parseConfigSource, readConfigText } from "../../modules/config/read-file";
import { refusal } from "../helpers/config";

/**
 * Whatever PLATFORM_CONFIG names, reading it ends quickly in one PlatformConfigError issue naming the file, the
 * problem and the fix: never a hang (a FIFO) or an endless read (/dev/zero). What the text holds once read is
 * config-parsing.test.ts's business.
 */

const dir = mkdtempSync(join(tmpdir(), "config-reading-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const yaml = (text: string) => () => parseConfigSource(text, "platform.yaml");

describe("what is not a small regular file is refused before it is read", () => {
  const posix = process.platform === "win32" ? it.skip : it;

  posix("a FIFO (no writer: reading it would block forever)", () => {
    const fifo = join(dir, "platform.yaml");
    execFileSync("mkfifo", [fifo]);
    const { line, source } = refusal(() => readConfigText(fifo));
    expect(line).toBe(
      `<file>: ${fifo} is a FIFO (named pipe), not a regular file; it was not read (fix: save the config to a regular .yaml, .yml or .json file and point PLATFORM_CONFIG at it)`,
    );
    expect(source).toBe(fifo);
  });

  posix("a device (/dev/zero never ends)", () => {
    expect(refusal(() => readConfigText("/dev/zero")).line).toContain(
      "/dev/zero is a character device, not a regular file",
    );
  });

  it("a directory", () => {
    expect(refusal(() => readConfigText(dir)).line).toBe(
      `<file>: ${dir} is a directory, not a config file (fix: point PLATFORM_CONFIG at a .yaml, .yml or .json file)`,
    );
  });

  it("a file over the size limit (sparse: nothing is written or read)", () => {
    const big = join(dir, "big.yaml");
    writeFileSync(big, "");
    truncateSync(big, MAX_CONFIG_BYTES + 1024 * 1024);
    expect(refusal(() => readConfigText(big)).line).toContain(
      `${big} is 5.0 MiB, over the 4 MiB limit for a config (fix: `,
    );
  });

  it("text over the size limit given directly", () => {
    expect(refusal(yaml(`a: ${"x".repeat(MAX_CONFIG_BYTES)}`)).line).toContain(
      "the config text is 4.0 MiB, over the 4 MiB limit",
    );
  });

  posix("a file whose stat size is 0 is still read to its end (a /proc file)", () => {
    expect(readConfigText("/proc/self/status")).toContain("Pid:");
  });
});

describe("not found and permission errors name the path", () => {
  it("not found", () => {
    const missing = join(dir, "missing.yaml");
    expect(refusal(() => readConfigText(missing)).line).toBe(
      `<file>: config file not found: ${missing} (fix: set PLATFORM_CONFIG to an existing .yaml, .yml or .json file)`,
    );
  });

  it("a path through a file", () => {
    const file = join(dir, "plain.yaml");
    writeFileSync(file, "a: 1\n");
    expect(refusal(() => readConfigText(join(file, "x.yaml"))).line).toContain(
      `config file not found: ${join(file, "x.yaml")}`,
    );
  });

  it("permission denied", () => {
    const locked = join(dir, "locked.yaml");
    writeFileSync(locked, "a: 1\n");
    chmodSync(locked, 0o000);
    // root reads any file: there, the error the kernel would give is injected instead.
    const asRoot = process.getuid?.() === 0;
    const open = asRoot
      ? jest.spyOn(require("node:fs") as typeof fs, "openSync").mockImplementation(() => {
          throw Object.assign(new Error(`EACCES: permission denied, open '${locked}'`), { code: "EACCES" });
        })
      : undefined;
    try {
      expect(refusal(() => readConfigText(locked)).line).toBe(
        `<file>: cannot read ${locked}: permission denied (fix: make it readable by this user (chmod u+r ${locked}, and x on its directories) or copy it somewhere readable)`,
      );
    } finally {
      open?.mockRestore();
    }
  });

  it("bytes that are not UTF-8", () => {
    const binary = join(dir, "binary.yaml");
    writeFileSync(binary, Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    expect(refusal(() => readConfigText(binary)).line).toContain(`${binary} is not UTF-8 text`);
  });

  it("a regular file is read, its byte order mark dropped", () => {
    const file = join(dir, "bom.json");
    writeFileSync(file, '\uFEFF{"environments": []}');
    expect(parseConfigSource(readConfigText(file), file)).toEqual({ environments: [] });
  });
});
