export {
  anchorWarnings,
  benchCodegen,
  countTsFiles,
  fhirPackageDir,
  oursGenerateCommand,
  R4_CORE,
} from './codegen-bench.js';
export type { CodegenBenchOptions, CodegenBenchResult, GeneratorMeasure, NotMeasured } from './codegen-bench.js';
export { CONSUMER_BODY, CONSUMER_TARGETS, consumerSource, tsconfigName, writeConsumerProject } from './consumer.js';
export type { ConsumerTarget } from './consumer.js';
export { CPU_MARKER, extractCpuMs } from './cpu-marker.js';
export { benchProfileTypecheck, diagnosticsOf, PROFILE_GOAL_RATIO, typeScript7Tsc } from './profile-typecheck.js';
export type { Diagnostics, ProfileRun, ProfileTypecheckResult } from './profile-typecheck.js';
export {
  formatCodegenReport,
  formatProfileReport,
  formatTypecheckReport,
  GENERATION_GOAL_MS,
  oursAgainstFastest,
} from './report.js';
export { runNodeTimed, tail } from './run-process.js';
export type { TimedRun } from './run-process.js';
export { addSample, emptySamples, formatMs, formatRatio, median, ratio } from './stats.js';
export type { Samples } from './stats.js';
export { formatTable } from './table.js';
export { benchTypecheck, checkConsumer, missingTypes, rotated, workspaceTsc } from './typecheck-bench.js';
export type { TypecheckBenchOptions, TypecheckBenchResult, TypecheckMeasure } from './typecheck-bench.js';
export { findWorkspaceRoot } from './workspace.js';
