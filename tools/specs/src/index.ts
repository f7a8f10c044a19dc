export { SpecError, parseJsonText, type SpecErrorCode, type SpecErrorPlace } from './errors.js';
export {
  readManifest,
  checkManifest,
  fhirPackageKey,
  openApiKey,
  isRecord,
  type SpecManifest,
  type FhirPackageInput,
  type FhirPackageUpstream,
  type OpenApiInput,
  type DependencyDecision,
} from './manifest.js';
export { resolveDeclaredDependencies, type ResolvedDependency } from './dependencies.js';
export { readLock, writeLock, diffLocks, type SpecLock, type LockEntry, type LockChange } from './lock.js';
export { syncSpecs, type SyncOptions, type SyncResult, type SyncedInput, type CacheReplacement } from './sync.js';
export { runSpecsCli, type SpecsCliHooks, type InputVersionChange } from './cli.js';
export { defaultSpecPaths, findWorkspaceRoot, fhirPackageCacheDir, openApiCacheDir, type SpecPaths } from './paths.js';
export {
  collectOpenApiFiles,
  listOperations,
  dereference,
  resolvePointer,
  parseSpecDocument,
  type OpenApiFileSet,
  type OpenApiOperation,
} from './openapi-files.js';
export { hashFiles, listFiles } from './content-hash.js';
export { writeFileAtomic, makeStagingDir, swapDirIntoPlace } from './atomic-fs.js';
export { PACKAGE_METADATA_FILES } from './package-check.js';
