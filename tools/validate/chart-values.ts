import Ajv, { type ValidateFunction } from "ajv";
import Ajv2019 from "ajv/dist/2019";
import Ajv2020 from "ajv/dist/2020";
import { asString, isObject, type JsonObject } from "../../modules/terraform-json";
import { chartName, releaseValues } from "./helm-values";
import { FindingSink } from "./report";
import { describeSchemaErrors } from "./schema-errors";
import { resourcesOf, type SynthStack } from "./stacks";

/**
 * Values handed to charts that publish a `values.schema.json` are validated against it, offline.
 *
 * Helm validates the schema against chart defaults coalesced with user values; offline only the user values
 * are known. A property the schema marks `required` is usually provided by the chart's own defaults, so
 * `required` is removed before validating (otherwise every release would fail for keys it rightly leaves to
 * the chart), while `additionalProperties`, `type`, `enum`, `pattern` and ranges still apply: those catch
 * misspelt keys and wrong types, the mistakes that otherwise surface only at `helm install` time.
 * `required` is kept where removing it would change meaning: inside `if`, `not` and `oneOf` (there it picks a
 * branch rather than demanding a value).
 */

export interface ChartSchemaSource {
  readonly chart: string;
  /** Chart version the schema belongs to, from the file name (`1.21.1`), when known. */
  readonly version?: string;
  readonly origin: string;
  readonly load: () => unknown;
}

export class ChartSchemaCatalog {
  private readonly sources = new Map<string, ChartSchemaSource>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(sources: ReadonlyArray<ChartSchemaSource> = []) {
    for (const source of sources) this.sources.set(source.chart, source);
  }

  get size(): number {
    return this.sources.size;
  }

  get(chart: string): ChartSchemaSource | undefined {
    return this.sources.get(chart);
  }

  validator(source: ChartSchemaSource): ValidateFunction {
    let validate = this.compiled.get(source.chart);
    if (!validate) {
      const schema = source.load();
      if (!isObject(schema)) throw new Error(`Values schema ${source.origin} is not a JSON object.`);
      validate = compileValuesSchema(schema, source.origin);
      this.compiled.set(source.chart, validate);
    }
    return validate;
  }
}

/** `cert-manager-v1.21.1.json` -> cert-manager @ 1.21.1; `external-dns-chart-1.21.1.json` -> external-dns @ 1.21.1. */
export function chartOfSchemaFile(fileName: string): { chart: string; version?: string } {
  const base = fileName.replace(/\.json$/, "");
  const match = /^(.*?)(?:-chart)?-v?(\d+\.\d+\.\d+[\w.-]*)$/.exec(base);
  return match ? { chart: match[1], version: match[2] } : { chart: base };
}

function compileValuesSchema(schema: JsonObject, origin: string): ValidateFunction {
  const declared = asString(schema.$schema) ?? "";
  const options = {
    strict: false,
    allErrors: true,
    validateFormats: false,
    unicodeRegExp: false,
    logger: false,
  } as const;
  const relaxed = withoutRequired(schema) as JsonObject;
  try {
    if (declared.includes("2020-12")) return new Ajv2020(options).compile(relaxed);
    // 2019-09 (the EBS CSI driver chart's): its own meta-schema, which Ajv2020 does not carry.
    if (declared.includes("2019-09")) return new Ajv2019(options).compile(relaxed);
    // draft-07, and the unversioned `http://json-schema.org/schema#` some charts declare: Ajv's default draft.
    const { $schema: _ignored, ...rest } = relaxed;
    return new Ajv(options).compile(rest);
  } catch (error) {
    throw new Error(
      `Cannot compile values schema ${origin}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

const NAME_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
const DATA_KEYWORDS = new Set(["enum", "const", "default", "examples", "required"]);
const KEEP_REQUIRED_UNDER = new Set(["if", "not", "oneOf"]);

/** A copy of `schema` with `required` removed where it only demands values (see the file comment). */
export function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "required" && Array.isArray(value)) continue;
    if (NAME_MAPS.has(key) && isObject(value))
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, withoutRequired(child)]));
    else if (DATA_KEYWORDS.has(key) || KEEP_REQUIRED_UNDER.has(key)) out[key] = value;
    else out[key] = withoutRequired(value);
  }
  return out;
}

export function validateChartValues(
  stacks: ReadonlyArray<SynthStack>,
  catalog: ChartSchemaCatalog,
  sink: FindingSink,
): void {
  for (const stack of stacks) {
    for (const release of resourcesOf(stack)) {
      if (release.mode !== "resource" || release.type !== "helm_release") continue;
      const { values, problems, computed } = releaseValues(release);
      for (const problem of problems) sink.error(stack.name, release.address, "chart-values", problem);
      const chart = chartName(release);
      const source = chart ? catalog.get(chart) : undefined;
      if (!source) continue;
      for (const index of computed)
        sink.skipped(
          stack.name,
          release.address,
          "chart-values",
          `values[${index}]: computed at apply time; not checked against ${source.origin}`,
        );
      const pinned = asString(release.body.version)?.replace(/^v/, "");
      if (source.version && pinned && !pinned.includes("${") && pinned !== source.version) {
        sink.warning(
          stack.name,
          release.address,
          "chart-values",
          `version: release pins ${chart} ${pinned}, the reference values schema is for ${source.version}; checked against it anyway`,
        );
      }
      const validate = catalog.validator(source);
      if (validate(values)) continue;
      for (const problem of describeSchemaErrors(validate.errors, values, "values")) {
        sink.error(stack.name, release.address, "chart-values", `${problem} (${source.origin})`);
      }
    }
  }
}
