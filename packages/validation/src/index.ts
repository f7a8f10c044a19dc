export { createValidator, type Validate, type ValidateOptions, type ValidatorSettings } from './validator.js';
export type { OperationOutcome, OperationOutcomeIssue, IssueCode, IssueSeverity } from './outcome.js';
export type {
  ValidationTables,
  StructureTable,
  ElementTable,
  TypeRef,
  SlicingTable,
  SliceMatch,
  PrimitiveTable,
  InvariantTable,
} from './tables.js';
export { NATIVE_INVARIANTS, type InvariantScope, type NativeInvariant } from './native-invariants.js';
export { lazyValidator } from './lazy-validator.js';
export { mergeTables } from './merge-tables.js';
export {
  extensionsOf,
  hasProfile,
  inSlice,
  matchesValue,
  runtimeProfileOf,
  sliceItems,
  valuesAt,
  withExtension,
  type Item,
  type RuntimeProfile,
  type RuntimeRegistry,
  type SliceMatchValue,
} from './profile-support.js';
