import { checkHclNesting } from "../../tools/validate/hcl-nesting";
import { NestingSchemas } from "../../tools/validate/nesting-schemas";
import { ProviderSchemas } from "../../tools/validate/provider-schema";
import { formatFinding } from "../../tools/validate/report";

/**
 * The HCL nesting check (tools/validate/hcl-nesting.ts) on small inline files: each way a key can be written
 * against each way a schema can nest it. Provider configuration comes from modules/hcl/nesting.ts; the resource
 * schema here is a fixture in `terraform providers schema -json` shape.
 */

const object = (attributes: Record<string, unknown>) => ["object", attributes];
const schemas = new ProviderSchemas();
schemas.add(
  {
    provider_schemas: {
      "registry.terraform.io/example/demo": {
        resource_schemas: {
          demo_thing: {
            block: {
              attributes: {
                name: { type: "string", optional: true },
                tags: { type: ["map", "string"], optional: true },
                route: { type: ["set", object({ cidr: "string" })], optional: true },
                set: {
                  optional: true,
                  nested_type: { nesting_mode: "list", attributes: { name: { type: "string", optional: true } } },
                },
                options: {
                  optional: true,
                  nested_type: { nesting_mode: "single", attributes: { flag: { type: "bool", optional: true } } },
                },
              },
              block_types: {
                rule: {
                  nesting_mode: "list",
                  block: {
                    attributes: { port: { type: "number", optional: true } },
                    block_types: { match: { nesting_mode: "single", block: { attributes: {} } } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  "fixture",
);

function check(text: string): string[] {
  return checkHclNesting("s", [{ name: "cdk.tf", text }], new NestingSchemas(schemas)).map(formatFinding);
}

const thing = (body: string): string => `resource "demo_thing" "x" {\n${body}\n}\n`;

describe("checkHclNesting", () => {
  it("accepts each key written as its schema nests it", () => {
    const body = [
      'name = "a"',
      'tags = { a = "b" }',
      'set = [{ name = "a" }]',
      "options = { flag = true }",
      'route = [{ cidr = "10.0.0.0/8" }]',
      "route {",
      '  cidr = "10.1.0.0/16"',
      "}",
      "rule {",
      "  port = 80",
      "  match {}",
      "}",
      'dynamic "rule" {',
      "  for_each = [1]",
      "  content { port = rule.value }",
      "}",
      "count = 1",
      "lifecycle {",
      "  prevent_destroy = true",
      "}",
    ].join("\n");
    expect(check(thing(body))).toEqual([]);
  });

  it("reports a nested attribute written as a block, and what is inside it", () => {
    expect(check(thing("options {\n  flag = true\n  extra = 1\n}"))).toEqual([
      's cdk.tf:2 resource "demo_thing" "x": options: written as a block, the resource schema has a nested attribute (single): write options = { ... }',
      's cdk.tf:4 resource "demo_thing" "x": skipped: options.extra: not in the resource schema; its nesting was not checked',
    ]);
  });

  it("reports a nested block written as an attribute, also one level down", () => {
    expect(check(thing("rule = [{ port = 80 }]\nrule {\n  match = {}\n}"))).toEqual([
      's cdk.tf:2 resource "demo_thing" "x": rule: written as an attribute, the resource schema has a nested block (list): write rule { ... }',
      's cdk.tf:4 resource "demo_thing" "x": rule.match: written as an attribute, the resource schema has a nested block (single): write match { ... }',
    ]);
  });

  it("reports a list nested attribute written as an object, a plain attribute as a block, a dynamic block", () => {
    const body = 'set = { name = "a" }\ntags {\n  a = "b"\n}\ndynamic "set" {\n  for_each = []\n  content {}\n}';
    expect(check(thing(body))).toEqual([
      's cdk.tf:2 resource "demo_thing" "x": set: written as an object, the resource schema has a nested attribute (list): write set = [{ ... }]',
      's cdk.tf:3 resource "demo_thing" "x": tags: written as a block, the resource schema has an attribute: write tags = ...',
      's cdk.tf:6 resource "demo_thing" "x": set: a dynamic block, the resource schema has a nested attribute (list): write set = [for ...]',
    ]);
  });

  it("checks provider blocks against the configuration nesting of the pinned providers", () => {
    const text = [
      'provider "helm" {',
      "  kubernetes {",
      '    exec = { api_version = "v1", command = "aws" }',
      "  }",
      "}",
      'provider "kubernetes" {',
      "  exec = {",
      '    command = "aws"',
      "  }",
      "}",
      'provider "aws" {',
      '  region = "eu-west-1"',
      '  assume_role { role_arn = "arn" }',
      "  default_tags = { tags = {} }",
      "}",
    ].join("\n");
    expect(check(text)).toEqual([
      's cdk.tf:2 provider "helm": kubernetes: written as a block, the provider schema has a nested attribute (single): write kubernetes = { ... }',
      's cdk.tf:7 provider "kubernetes": exec: written as an attribute, the provider schema has a nested block (list): write exec { ... }',
      's cdk.tf:14 provider "aws": default_tags: written as an attribute, the provider schema has a nested block (list): write default_tags { ... }',
    ]);
  });

  it("skips what has no schema, once per type or provider, and reports unreadable HCL", () => {
    const text = 'resource "demo_other" "a" {}\nresource "demo_other" "b" {}\nresource "tfe_workspace" "w" {}\n';
    expect(check(text)).toEqual([
      's cdk.tf:1: skipped: no schema for resource "demo_other": the nesting of 2 block(s) not checked',
      "s cdk.tf:3: skipped: no schema for the tfe provider: the nesting of 1 block(s) not checked",
    ]);
    expect(check('provider "aws" {\n  region = "x\n}\n')).toEqual([
      "s cdk.tf:2: cannot read the HCL: line 2: line break in a quoted string (outside ${ ... })",
    ]);
  });
});
