/**
 * The FHIR definitions layer: what every stage of the generator reads StructureDefinitions and
 * ElementDefinitions with (JSON helpers, element readers, type codes, the element tree, value set
 * expansion) and the error type every stage throws. Stages import these from here.
 */
export { cloneJson, isRecord } from './json.js';
export {
  choiceSuffix,
  elementTypes,
  maxOf,
  minOf,
  typeMatchesSuffix,
  valueKeys,
  type ElementDefinition,
  type ElementType,
} from './element-definition.js';
export {
  cloneTree,
  findSlice,
  newNode,
  snapshotOf,
  treeFromElements,
  type ElementNode,
  type Snapshot,
} from './element-tree.js';
export {
  extensionString,
  fhirTypeCode,
  systemJsonType,
  FHIRPATH_SYSTEM,
  FHIR_TYPE_EXTENSION,
  JSON_TYPE_EXTENSION,
} from './type-codes.js';
export { ValueSetExpander } from './expand-value-set.js';
export { CodegenError, type CodegenErrorCode, type CodegenPlace } from './codegen-error.js';
