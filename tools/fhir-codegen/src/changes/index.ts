export {
  suggestBump,
  formatChangeReport,
  type ChangeKind,
  type ChangeReport,
  type NotCompared,
  type SemverBump,
  type SpecChange,
} from './change-model.js';
export { compareSpecs, type CompareSpecsOptions } from './compare-specs.js';
export { compareProfiles, type BuiltProfile } from './profile-changes.js';
export {
  capabilityStatementModel,
  compareApiModels,
  openApiModel,
  type ApiModel,
  type ApiParameter,
} from './api-changes.js';
export {
  SpecChangesError,
  readSpecSide,
  type SpecSide,
  type PackageFolder,
  type OpenApiFolder,
} from './spec-folders.js';
export { reportInputChanges } from './update-report.js';
