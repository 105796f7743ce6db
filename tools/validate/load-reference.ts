import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { ChartSchemaCatalog, chartOfSchemaFile, type ChartSchemaSource } from "./chart-values";
import { CrdCatalog, crdSourcesFromDefinitions, type CrdSource } from "./crds";
import { ChartValuesCatalog, chartOfValuesFile, type ChartValuesSource } from "./helm-value-keys";
import type { IamPolicyFiles } from "./iam-coverage";
import { ProviderSchemas } from "./provider-schema";

/**
 * The upstream contracts the validator checks against. On disk (`loadReference`) they are laid out as in
 * `../shared/reference`: `provider-schemas/*.json`, `crds/*.yaml`, `helm-values-schemas/<chart>-<version>.json`,
 * `helm-chart-values/<chart>-<version>.yaml` (charts' default values), `iam-policies/*`. Big files are read once; CRDs and values schemas are parsed and compiled only when a
 * stack has something to check against them. `referenceFromData` builds the same from in-memory fixtures.
 */
export interface Reference {
  readonly providerSchemas: ProviderSchemas;
  readonly crds: CrdCatalog;
  readonly chartSchemas: ChartSchemaCatalog;
  /** Charts' default values.yaml by chart and version: the keys each chart reads. */
  readonly chartValues: ChartValuesCatalog;
  readonly iamPolicyFiles: IamPolicyFiles;
  /** Parts of the reference that are absent, so their checks are skipped (e.g. `crds/`). */
  readonly absent: ReadonlyArray<string>;
}

export interface LoadReferenceOptions {
  /** Extra `terraform providers schema -json` outputs; they override the reference's schemas for the same provider. */
  readonly providerSchemaFiles?: ReadonlyArray<string>;
}

export function loadReference(dir: string, options: LoadReferenceOptions = {}): Reference {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new Error(`Reference directory ${dir} does not exist.`);
  const absent: string[] = [];
  const filesIn = (sub: string, pattern: RegExp): string[] => {
    const subDir = path.join(dir, sub);
    if (!fs.existsSync(subDir)) {
      absent.push(`${sub}/`);
      return [];
    }
    return fs
      .readdirSync(subDir)
      .filter((name) => pattern.test(name))
      .sort()
      .map((name) => path.join(subDir, name));
  };

  const providerSchemas = new ProviderSchemas();
  for (const file of [...filesIn("provider-schemas", /\.json$/), ...(options.providerSchemaFiles ?? [])]) {
    providerSchemas.add(readJson(file), file);
  }

  const crds = new CrdCatalog(filesIn("crds", /\.(ya?ml|json)$/).flatMap(crdSources));

  const chartSchemas = new ChartSchemaCatalog(
    filesIn("helm-values-schemas", /\.json$/).map((file): ChartSchemaSource => {
      const { chart, version } = chartOfSchemaFile(path.basename(file));
      return { chart, version, origin: path.basename(file), load: () => readJson(file) };
    }),
  );

  const chartValues = new ChartValuesCatalog(
    filesIn("helm-chart-values", /\.ya?ml$/).flatMap((file): ChartValuesSource[] => {
      const parsed = chartOfValuesFile(path.basename(file));
      return parsed ? [{ ...parsed, origin: path.basename(file), load: () => readText(file) }] : [];
    }),
  );

  const iamDir = path.join(dir, "iam-policies");
  if (!fs.existsSync(iamDir)) absent.push("iam-policies/");
  const iamPolicyFiles: IamPolicyFiles = (file) => {
    const full = path.join(iamDir, file);
    return fs.existsSync(full) ? readText(full) : undefined;
  };

  return { providerSchemas, crds, chartSchemas, chartValues, iamPolicyFiles, absent };
}

export interface ReferenceData {
  readonly providerSchemas?: ReadonlyArray<unknown>;
  readonly crds?: ReadonlyArray<unknown>;
  /** Chart name -> values schema (version unknown), or `{ schema, version }`. */
  readonly chartSchemas?: Readonly<Record<string, unknown>>;
  /** Default values file name as in `helm-chart-values/` (`karpenter-1.14.1.yaml`) -> its YAML text. */
  readonly chartValues?: Readonly<Record<string, string>>;
  /** Reference IAM policy file name -> its text. */
  readonly iamPolicies?: Readonly<Record<string, string>>;
}

export function referenceFromData(data: ReferenceData): Reference {
  const providerSchemas = new ProviderSchemas();
  (data.providerSchemas ?? []).forEach((document, index) => providerSchemas.add(document, `providerSchemas[${index}]`));
  const chartSchemas = new ChartSchemaCatalog(
    Object.entries(data.chartSchemas ?? {}).map(([chart, entry]) => {
      const wrapped =
        typeof entry === "object" && entry !== null && "schema" in entry
          ? (entry as { schema: unknown; version?: string })
          : { schema: entry };
      return { chart, version: wrapped.version, origin: `${chart} values schema`, load: () => wrapped.schema };
    }),
  );
  const chartValues = new ChartValuesCatalog(
    Object.entries(data.chartValues ?? {}).flatMap(([file, text]): ChartValuesSource[] => {
      const parsed = chartOfValuesFile(file);
      if (!parsed) throw new Error(`${file} is not named <chart>-<version>.yaml`);
      return [{ ...parsed, origin: file, load: () => text }];
    }),
  );
  const iamPolicies = data.iamPolicies ?? {};
  return {
    providerSchemas,
    crds: CrdCatalog.fromDefinitions(data.crds ?? []),
    chartSchemas,
    chartValues,
    iamPolicyFiles: (file) => iamPolicies[file],
    absent: [],
  };
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`Cannot read reference file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(
      `Reference file ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function readYaml(file: string): unknown[] {
  try {
    return YAML.parseAllDocuments(readText(file)).map((document) => {
      if (document.errors.length > 0) throw new Error(document.errors[0].message.split("\n")[0]);
      return document.toJS() as unknown;
    });
  } catch (error) {
    throw new Error(
      `Reference file ${file} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * controller-gen writes `spec.group` and `spec.names.kind` in the first lines: reading them with a regex
 * avoids parsing a 700 KB CRD that no stack uses. Anything else (several CRDs in one file) is parsed.
 */
function crdSources(file: string): CrdSource[] {
  const text = readText(file);
  const origin = path.basename(file);
  const head = text.slice(0, 4000);
  const group = /^ {2}group: *["']?([\w.-]+)/m.exec(head)?.[1];
  const kind = /^ {4}kind: *["']?(\w+)/m.exec(head)?.[1];
  const definitions = (text.match(/^kind: *CustomResourceDefinition/gm) ?? []).length;
  if (group && kind && definitions === 1 && !file.endsWith(".json")) {
    return [{ origin, group, kind, load: () => readYaml(file)[0] }];
  }
  const documents = file.endsWith(".json") ? [readJson(file)] : readYaml(file);
  return crdSourcesFromDefinitions(
    documents.filter((d) => d !== null && d !== undefined),
    origin,
  );
}
