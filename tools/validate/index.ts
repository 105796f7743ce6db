/**
 * Offline validation of synthesized stacks against upstream contracts: provider schemas, CRDs, chart values
 * schemas, charts' default values (the keys they read) and controllers' published IAM policies. See
 * `tools/validate.ts` for the CLI and each module for what is checked and why.
 */
import { validateChartValues } from "./chart-values";
import { validateHelmValueKeys } from "./helm-value-keys";
import {
  CONTROLLER_POLICY_REFERENCES,
  validateIamCoverage,
  validateIamWildcards,
  type ControllerPolicyReference,
} from "./iam-coverage";
import { defaultObjectExtractors, validateKubernetesObjects, type ObjectExtractor } from "./kubernetes-objects";
import type { Reference } from "./load-reference";
import { FindingSink, sortFindings, type CheckKind, type Finding } from "./report";
import type { SynthStack } from "./stacks";
import { validateTerraformConfig } from "./terraform-config";

export interface ValidateOptions {
  /** Check families to run; all by default. */
  readonly checks?: ReadonlyArray<CheckKind>;
  /** Where Kubernetes objects are found; `defaultObjectExtractors` by default. */
  readonly extractors?: ReadonlyArray<ObjectExtractor>;
  /** Controller -> role -> upstream policy file; `CONTROLLER_POLICY_REFERENCES` by default. */
  readonly iamReferences?: ReadonlyArray<ControllerPolicyReference>;
}

const ABSENT_CHECKS: Readonly<Record<string, CheckKind>> = {
  "provider-schemas/": "provider-schema",
  "crds/": "kubernetes-object",
  "helm-values-schemas/": "chart-values",
  "iam-policies/": "iam",
};

export function validateStacks(
  stacks: ReadonlyArray<SynthStack>,
  reference: Reference,
  options: ValidateOptions = {},
): Finding[] {
  const sink = new FindingSink();
  const enabled = new Set<CheckKind>(
    options.checks ?? ["provider-schema", "kubernetes-object", "chart-values", "helm-value-keys", "iam"],
  );
  for (const part of reference.absent) {
    const check = ABSENT_CHECKS[part];
    if (check && enabled.has(check))
      sink.skipped("*", part, check, "absent from the reference directory; these checks did not run");
  }
  if (enabled.has("provider-schema") && !reference.absent.includes("provider-schemas/"))
    validateTerraformConfig(stacks, reference.providerSchemas, sink);
  if (enabled.has("kubernetes-object"))
    validateKubernetesObjects(stacks, reference.crds, sink, options.extractors ?? defaultObjectExtractors);
  if (enabled.has("chart-values")) validateChartValues(stacks, reference.chartSchemas, sink);
  // Its absence is reported by the check itself, and only when a release sets values it could have checked.
  if (enabled.has("helm-value-keys"))
    validateHelmValueKeys(stacks, reference.chartValues, sink, {
      absent: reference.absent.includes("helm-chart-values/"),
    });
  if (enabled.has("iam")) {
    validateIamWildcards(stacks, sink);
    if (!reference.absent.includes("iam-policies/"))
      validateIamCoverage(
        stacks,
        reference.iamPolicyFiles,
        sink,
        options.iamReferences ?? CONTROLLER_POLICY_REFERENCES,
      );
  }
  return sortFindings(sink.findings);
}

export { CONTROLLER_POLICY_REFERENCES, type ControllerPolicyReference } from "./iam-coverage";
export {
  defaultObjectExtractors,
  helmValuesObjectsExtractor,
  kubernetesManifestExtractor,
  yamlBodyExtractor,
  type ExtractedObject,
  type Extraction,
  type ObjectExtractor,
} from "./kubernetes-objects";
export {
  ChartValuesCatalog,
  chartOfValuesFile,
  unknownValueKeys,
  type ChartValuesSource,
  type UnknownKey,
} from "./helm-value-keys";
export {
  loadReference,
  referenceFromData,
  type LoadReferenceOptions,
  type Reference,
  type ReferenceData,
} from "./load-reference";
export { countBySeverity, formatFinding, summaryLine, type CheckKind, type Finding, type Severity } from "./report";
export { loadStacks, loadSynthStacks, type SynthStack } from "./stacks";
export { readHclStack } from "./hcl-stacks";
