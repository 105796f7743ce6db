import { MAX_ALIAS_COUNT, MAX_NESTING, MAX_VALUES, parseConfigSource } from "../../modules/config/read-file";
import { refusal } from "../helpers/config";

/**
 * Whatever the config text holds, parsing it ends quickly in one PlatformConfigError issue naming the file, the
 * line and column, the problem and the fix: never an out-of-memory abort (deep nesting, alias bombs) or a silently
 * dropped duplicate key. Reading the file is config-reading.test.ts's business.
 */

const yaml = (text: string) => () => parseConfigSource(text, "platform.yaml");
const json = (text: string) => () => parseConfigSource(text, "platform.json");

describe("deep nesting is refused before the parser recurses", () => {
  it.each([
    [
      "YAML flow collections",
      yaml("[".repeat(1_000_000)),
      /^<file> line 1, column \d+: nested more than 64 levels deep \(at platform\.yaml:1:\d+\)/,
    ],
    [
      "YAML block sequences on one line",
      yaml(`${"- ".repeat(1_000_000)}x\n`),
      /^<file> line 1, column \d+: nested more than 64 levels deep/,
    ],
    [
      "YAML mappings by indentation",
      yaml(Array.from({ length: 200 }, (_, depth) => `${" ".repeat(depth)}k:`).join("\n")),
      /^<file> line 12\d, column 12\d: nested more than 64 levels deep/,
    ],
    [
      "YAML between the estimate and the limit",
      yaml(Array.from({ length: 80 }, (_, depth) => `${" ".repeat(depth)}k:`).join("\n")),
      /^<file>: nested more than 64 levels deep \(at k\.k\.k\.k\.k\.k\.\.\.\)/,
    ],
    [
      "JSON arrays",
      json("[".repeat(1_000_000)),
      /^<file> line 1, column 65: nested more than 64 levels deep \(at platform\.json:1:65\)/,
    ],
  ])("%s", (_, run, expected) => {
    expect(refusal(run).line).toMatch(expected);
  });

  it("accepts nesting up to the limit", () => {
    expect(() => parseConfigSource(`${"[".repeat(MAX_NESTING)}${"]".repeat(MAX_NESTING)}`, "deep.json")).not.toThrow();
    expect(() =>
      parseConfigSource(Array.from({ length: 60 }, (_, depth) => `${"  ".repeat(depth)}k:`).join("\n"), "deep.yaml"),
    ).not.toThrow();
  });
});

describe("YAML aliases", () => {
  it("an alias bomb ends at the alias limit", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 9; level++)
      lines.push(
        `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + level)}`)
          .join(", ")}]`,
      );
    expect(refusal(yaml(lines.join("\n"))).line).toContain(
      `YAML aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias expansions`,
    );
  });

  it("blocks aliased within yaml's alias limit still end at the value limit", () => {
    // yaml allows 100 uses of an anchor without aliases inside: six of 2,000 values, used 90 times each, 1.08 million.
    const anchors = Array.from({ length: 6 }, (_, n) => `a${n}: &a${n} [${Array(2_000).fill("0").join(",")}]`);
    const uses = Array.from({ length: 6 }, (_, n) => `u${n}: [${Array(90).fill(`*a${n}`).join(", ")}]`);
    const text = [...anchors, ...uses].join("\n");
    expect(refusal(yaml(text)).line).toContain(`the config expands to more than ${MAX_VALUES} values`);
  });

  it("reusing an anchor a few times is fine; an undefined one is named with its line", () => {
    expect(parseConfigSource("base: &base { region: eu-west-1 }\ndev: *base\nprod: *base\n", "p.yaml")).toEqual({
      base: { region: "eu-west-1" },
      dev: { region: "eu-west-1" },
      prod: { region: "eu-west-1" },
    });
    expect(refusal(yaml("a: 1\nb: *missing\n")).line).toMatch(
      /^<file> line 2, column 4: malformed YAML at platform\.yaml:2:4: Unresolved alias/,
    );
  });
});

describe("duplicate keys are errors naming the key and both lines", () => {
  it.each([
    [
      "YAML, top level",
      yaml("environments: []\ndefaults: {}\nenvironments: [1]\n"),
      `<file> line 3, column 1: duplicate key "environments" at platform.yaml:3:1 (first at line 1): keys must be unique`,
    ],
    [
      "YAML, nested",
      yaml("defaults:\n  region: eu-west-1\n  tags: {}\n  region: us-east-1\n"),
      `<file> line 4, column 3: duplicate key "region" at platform.yaml:4:3 (first at line 2): keys must be unique`,
    ],
    [
      "JSON, top level",
      json('{\n  "environments": [],\n  "environments": [1]\n}'),
      `<file> line 3, column 3: duplicate key "environments" at platform.json:3:3 (first at line 2): keys must be unique`,
    ],
    [
      "JSON, nested, spelled with an escape",
      json('{"defaults": {"region": "a",\n "regio\\u006e": "b"}}'),
      `<file> line 2, column 2: duplicate key "region" at platform.json:2:2 (first at line 1): keys must be unique`,
    ],
  ])("%s", (_, run, expected) => {
    expect(refusal(run).line).toBe(`${expected} (fix: keep one of them: with both, the last would silently win)`);
  });

  it("the same key in sibling objects is no duplicate", () => {
    expect(parseConfigSource('[{"a": 1}, {"a": 2}]', "p.json")).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseConfigSource("- a: 1\n- a: 2\n", "p.yaml")).toEqual([{ a: 1 }, { a: 2 }]);
  });
});

describe("syntax errors name the file, line and column", () => {
  it.each([
    [
      "YAML tab indentation",
      yaml("a: 1\nb:\n\tc: 3\n"),
      "<file> line 3, column 1: malformed YAML at platform.yaml:3:1: Tabs are not allowed as indentation (fix: indent with spaces)",
    ],
    [
      "JSON missing colon",
      json('{\n  "a": 1,\n  "b" 2\n}'),
      `<file> line 3, column 7: malformed JSON at platform.json:3:7: expected ':' after the key, found "2"`,
    ],
    [
      "JSON trailing comma",
      json('{"a": [1, 2,]}'),
      `<file> line 1, column 13: malformed JSON at platform.json:1:13: unexpected "]"`,
    ],
    [
      "JSON leading zero",
      json('{"a": 01}'),
      `<file> line 1, column 8: malformed JSON at platform.json:1:8: expected ',' or '}', found "1"`,
    ],
    [
      "JSON newline in a string",
      json('{"a": "x\ny"}'),
      "<file> line 1, column 7: malformed JSON at platform.json:1:7: unterminated or invalid string",
    ],
    [
      "JSON after the value",
      json("{}\n{}"),
      `<file> line 2, column 1: malformed JSON at platform.json:2:1: unexpected "{" after the end of the value`,
    ],
    ["JSON end of input", json('{"a": [1'), "<file>: malformed JSON at platform.json:1:9: unexpected end of input"],
  ])("%s", (_, run, expected) => {
    expect(refusal(run).line).toContain(expected);
  });

  it("valid JSON parses exactly as JSON.parse does", () => {
    const value = {
      s: 'é \u2028 "q" \\ /',
      n: [0, -1.5e-3, 1e21, 42],
      b: [true, false, null],
      e: [{}, []],
      nested: { deeper: { list: [[1], [2, { k: "v" }]] } },
    };
    const text = JSON.stringify(value, null, 2).replace('"é', '"\\u00e9');
    expect(parseConfigSource(text, "p.json")).toEqual(JSON.parse(text));
  });

  it("an empty file and an unknown extension", () => {
    expect(refusal(yaml(" \n\n")).line).toContain("the config file is empty");
    expect(refusal(() => parseConfigSource("a = 1", "platform.toml")).line).toContain("allowed: .yaml, .yml, .json");
  });
});
