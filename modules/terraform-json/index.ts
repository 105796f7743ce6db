/**
 * Reading synthesized Terraform JSON, shared by the product's policy pack (at synth) and the tools (on
 * `cdktf.out`): one definition of a stack's blocks and addresses, of `${...}` interpolations, of an IAM policy
 * statement and of a wildcard action, so the two never disagree about the same JSON.
 */
export { asList, asObject, asString, asStrings, firstBlock, isObject, type JsonObject } from "./json";
export {
  dataSources,
  locationOf,
  resources,
  resourcesAndDataSources,
  type ResourceBlock,
  type StackAddress,
  type StackJson,
} from "./blocks";
export {
  hasInterpolation,
  addressesInExpression,
  interpolationSpans,
  referencedBlocks,
  isPureInterpolation,
  literalText,
  maskInterpolations,
  parseTemplateJson,
  referencedAddresses,
  type MaskedText,
  type Span,
} from "./interpolation";
export {
  actionCovers,
  isWildcardAction,
  parsePolicy,
  principalsOf,
  statementsOf,
  type PolicyStatementView,
} from "./iam-policy";
export { closest, editDistance } from "./names";
export { parseDocuments, type ParseOptions, type ParsedDocuments } from "./documents";
export { coalesce, helmSetScalar, releaseValues, type ReleaseValues } from "./helm-values";
