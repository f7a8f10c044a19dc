export { PackageStore, type LoadedPackage, type PackageResource } from './load/package-store.js';
export { CanonicalIndex } from './load/canonical-index.js';
export { loadPackageGraph, fhirRelease, type PackageGraph, type OmittedDependency } from './load/package-graph.js';
export { conformanceReferences, type ConformanceReference } from './load/conformance-references.js';
export { inventoryPackage, type PackageInventory, type UnresolvedReference } from './load/package-inventory.js';
export { inventoryOpenApi, type OpenApiInventory } from './load/openapi-inventory.js';
export { loadWorkspaceSpecs, type WorkspaceSpecs } from './load/workspace-specs.js';
export type {
  TypeModel,
  ElementModel,
  ElementType,
  Binding,
  BindingStrength,
  JsonPrimitive,
  PackageModel,
  TypeKind,
} from './model/type-model.js';
export {
  buildPackageModel,
  buildTypeModel,
  modelContext,
  type ModelContext,
  type KnownType,
} from './model/build-type-model.js';
export { ValueSetExpander } from './fhir/index.js';
export { CodegenError, type CodegenErrorCode, type CodegenPlace } from './fhir/index.js';
export {
  buildPackageStatements,
  emitPackage,
  printFiles,
  type EmitOptions,
  type PackageStatements,
} from './emit/types/emit-package.js';
export {
  jsDoc,
  printFile,
  printStatement,
  printStatements,
  type ConstDeclaration,
  type ExportDeclaration,
  type FunctionDeclaration,
  type ImportDeclaration,
  type ImportName,
  type InterfaceDeclaration,
  type Member,
  type MethodMember,
  type Parameter,
  type PropertyMember,
  type Statement,
  type TypeAliasDeclaration,
  type TypeParameter,
} from './emit/printer.js';
export { writeGeneratedDir } from './pipeline/write-generated.js';
export { rollupDeclarations, RollupError, type RollupErrorCode } from './emit/rollup-declarations.js';
export {
  buildSnapshot,
  buildSnapshots,
  snapshotBuilder,
  SnapshotBuilder,
  type SnapshotOptions,
  type SnapshotResult,
  type SnapshotBatch,
  type ProfileInput,
} from './snapshot/build-snapshot.js';
export {
  SnapshotError,
  type SnapshotWarning,
  type SnapshotWarningCode,
  type SnapshotErrorCode,
} from './snapshot/snapshot-issue.js';
export {
  compareSnapshots,
  stu3ChoiceId,
  type SnapshotDifference,
  type CompareOptions,
} from './snapshot/compare-snapshots.js';
export type { ElementDefinition } from './fhir/index.js';
export {
  compileValidationTables,
  type CompileOptions,
  type CompileResult,
} from './model/tables/compile-tables.js';
export { coreGraphOf, tablesWithout } from './model/tables/layered-tables.js';
export { printValidationTables } from './emit/tables/print-tables.js';
export type {
  ValidationTables as ValidationTableFormat,
  StructureTable,
  ElementTable,
  SliceMatch,
  SlicingTable,
  TypeRef,
  PrimitiveTable,
  InvariantTable,
} from '@nhs-fhir/validation';
export {
  buildProfileModel,
  profileTypeName,
  type ProfileModel,
  type ProfileElement,
  type ProfileSlice,
  type ProfileType,
  type SliceMatchValue,
  type ProfileModelContext,
} from './model/profile-model.js';
export {
  buildProfileStatements,
  emitProfiles,
  literalOf,
  printProfileFiles,
  type ProfileEmitOptions,
  type ProfileStatements,
} from './emit/profiles/emit-profiles.js';
export {
  generateProfiles,
  isProfileDefinition,
  type GenerateProfilesOptions,
  type GeneratedProfiles,
} from './pipeline/generate-profiles.js';
export {
  loadStage,
  runPipeline,
  runPipelineTo,
  type PipelineOptions,
  type PipelineRequest,
  type PipelineResult,
} from './pipeline/run-pipeline.js';
export { formatTimes, noTimes, type StageTimes } from './pipeline/stage-times.js';
export {
  progressQuiet,
  progressReporter,
  type OnProgress,
  type ProgressEvent,
  type ProgressReporterOptions,
  type ProgressStream,
} from './pipeline/progress.js';
export * from './changes/index.js';
