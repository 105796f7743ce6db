import { HclSyntaxError, parseHcl, tokenize, type HclItem } from "../../tools/validate/hcl-syntax";

/**
 * The HCL reader of the nesting check (tools/validate/hcl-syntax.ts): it must tell `name = { ... }` from
 * `name { ... }` whatever hides a brace, a quote or a line break: strings with escapes and `${ ... }` holding
 * strings and objects of their own, heredocs, comments.
 */

/** `name` (attribute, with its first value token) or `name { ... }` (block), nested, for compact assertions. */
function outline(items: ReadonlyArray<HclItem>): unknown[] {
  return items.map((item) =>
    item.kind === "attribute"
      ? `${item.name}@${item.line}=${item.valueStart}`
      : { [[item.name, ...item.labels].join(" ") + `@${item.line}`]: outline(item.body) },
  );
}

describe("tokenize", () => {
  it("keeps braces inside strings and template sequences inside the string token", () => {
    const tokens = tokenize('a = "}{ \\" ${ "}" } ${ {b = "{"}["b"] } %{ if x }{%{ endif } $${ {"\n');
    expect(tokens.map((token) => token.kind)).toEqual(["identifier", "punctuation", "string", "newline", "eof"]);
    expect(tokens[2].text).toBe('"}{ \\" ${ "}" } ${ {b = "{"}["b"] } %{ if x }{%{ endif } $${ {"');
  });

  it("reads heredocs to their closing marker, counting lines", () => {
    // A template sequence may span lines in a heredoc (not in a quoted string): a marker inside it is no marker.
    const text = 'a = <<EOT\n} {\n  EOTX\n"\nEOT\nb = <<-EOF\n  ${ [\n  EOF\n  ][0] }\n  EOF\nc = 1\n';
    const tokens = tokenize(text).filter((token) => token.kind !== "newline");
    expect(tokens.map((token) => [token.kind, token.line])).toEqual([
      ["identifier", 1],
      ["punctuation", 1],
      ["heredoc", 1],
      ["identifier", 6],
      ["punctuation", 6],
      ["heredoc", 6],
      ["identifier", 11],
      ["punctuation", 11],
      ["number", 11],
      ["eof", 12],
    ]);
    expect(tokens[2].text).toBe('<<EOT\n} {\n  EOTX\n"\nEOT');
  });

  it("drops comments of every kind, braces in them included", () => {
    const tokens = tokenize("# {\n// }\na = 1 /* {\n} */ # }\n");
    expect(tokens.filter((token) => token.kind !== "newline").map((token) => token.text)).toEqual(["a", "=", "1", ""]);
  });

  it("tells = from == and =>", () => {
    expect(tokenize("a == b => c = d").map((token) => token.text)).toEqual(["a", "==", "b", "=>", "c", "=", "d", ""]);
  });

  it.each([
    ['a = "open', /unterminated string/],
    ['a = "x\ny"', /line break in a quoted string/],
    ['a = "${ x "', /unterminated/],
    ["a = <<EOT\nno marker\n", /closing marker EOT/],
    ["a = 1 /* open", /unterminated \/\* comment/],
  ])("refuses %j", (text, message) => {
    expect(() => tokenize(text)).toThrow(HclSyntaxError);
    expect(() => tokenize(text)).toThrow(message);
  });
});

describe("parseHcl", () => {
  it("tells attributes from blocks, whatever the values hold", () => {
    const text = [
      'provider "helm" {',
      "  kubernetes = {",
      '    host = "${data.x.y["}"]}"',
      '    exec = { args = ["{", <<EOT',
      "}",
      "EOT",
      "    ] }",
      "  }",
      "}",
      'resource "helm_release" "r" {',
      '  set = [{ name = "a{", value = "}" }]',
      '  postrender { binary_path = "x" }',
      '  values = [for k, v in local.m : { (k) = v } if v != "}"]',
      '  dynamic "set" {',
      "    for_each = []",
      "    content {",
      "      name = set.value",
      "    }",
      "  }",
      "}",
    ].join("\n");
    expect(outline(parseHcl(text))).toEqual([
      { "provider helm@1": ["kubernetes@2={"] },
      {
        "resource helm_release r@10": [
          "set@11=[",
          { "postrender@12": ["binary_path@12=" + '"x"'] },
          "values@13=[",
          { "dynamic set@14": ["for_each@15=[", { "content@16": ["name@17=set"] }] },
        ],
      },
    ]);
  });

  it("reads cdktf's unindented output and a heredoc value", () => {
    const text =
      'resource "a" "b" {\nvalues = [\n<<EOT\nx: "}"\nEOT\n,\n]\nlifecycle {\n  prevent_destroy = true\n}\n}\n';
    expect(outline(parseHcl(text))).toEqual([
      { "resource a b@1": ["values@2=[", { "lifecycle@8": ["prevent_destroy@9=true"] }] },
    ]);
  });

  it.each([
    ['a "x" {\n b = 1\n', /line 3: unclosed block/],
    ["}\n", /line 1: unexpected }/],
    ["a = [1,\n", /unclosed bracket/],
    ["a b c\n", /expected = or \{ after a/],
    ["a =\n", /a = needs an expression/],
  ])("refuses %j with its line", (text, message) => {
    expect(() => parseHcl(text)).toThrow(message);
  });
});
