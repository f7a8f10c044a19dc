import type { ValidationTables } from '@nhs-fhir/validation';
import type { PackageGraph } from '../load/package-graph.js';
import type { PackageResource } from '../load/package-store.js';
import { CodegenError, ValueSetExpander } from '../fhir/index.js';
import type { OnProgress } from './progress.js';
import type { StageTimes } from './stage-times.js';
import { snapshotBuilder } from '../snapshot/build-snapshot.js';
import { SnapshotError } from '../snapshot/snapshot-issue.js';
import { compileValidationTables } from '../model/tables/compile-tables.js';
import { coreGraphOf, tablesWithout } from '../model/tables/layered-tables.js';
import { printValidationTables } from '../emit/tables/print-tables.js';
import { buildProfileStatements, printProfileFiles } from '../emit/profiles/emit-profiles.js';
import {
  buildProfileModel,
  type ProfileElement,
  type ProfileModel,
  type ProfileModelContext,
} from '../model/profile-model.js';

export interface GenerateProfilesOptions {
  /** Packages (`id#version`) of the graph's closure whose profiles the output exports; default the root. */
  sources?: string[];
  basePackage: string;
  /** Also compile validator tables and emit `validate` (the package then depends on the validation runtime). */
  validation?: boolean;
  /**
   * The base package's validator tables, as it ships them: this package's tables are then compiled as a layer over
   * them. Without them the base tables are compiled here first (the same result, about a second slower).
   */
  baseTables?: ValidationTables;
  /** Milliseconds spent per stage, added to when given (the snapshot and model stages alternate per profile). */
  times?: StageTimes;
  /** Told how many snapshots are built, and when the tables and the emit start and end. */
  onProgress?: OnProgress;
}

export interface GeneratedProfiles {
  files: Map<string, string>;
  models: ProfileModel[];
  /** Extension definitions of other packages the profiles use, emitted as supporting types. */
  support: ProfileModel[];
  skipped: { url: string; reason: string }[];
}

/**
 * The constraint StructureDefinitions a package exports a type for: resource, datatype and extension profiles (logical
 * models have no JSON shape).
 */
export const isProfileDefinition = (resource: PackageResource): boolean =>
  resource.resourceType === 'StructureDefinition' &&
  resource.derivation === 'constraint' &&
  resource.kind !== 'logical' &&
  resource.url !== undefined;

/** Snapshots -> profile models -> TypeScript, for the profiles of `sources` in one closure. */
export function generateProfiles(graph: PackageGraph, options: GenerateProfilesOptions): GeneratedProfiles {
  const sources = options.sources ?? [graph.root.key];
  const { times } = options;
  const progress = options.onProgress ?? (() => {});
  const packages = sources.map((key) => {
    const found = graph.closure.find((pkg) => pkg.key === key);
    if (found === undefined)
      throw new CodegenError(
        'REF_UNRESOLVED',
        { input: graph.root.key },
        `source package ${key} is not in the closure of ${graph.root.key}`,
      );
    return found;
  });
  const builder = snapshotBuilder(graph.index);
  const context: ProfileModelContext = { index: graph.index, expander: new ValueSetExpander(graph.index) };
  const skipped: GeneratedProfiles['skipped'] = [];
  const modelOf = (resource: PackageResource): ProfileModel | undefined => {
    try {
      const started = performance.now();
      const snapshot = builder.build(resource);
      const built = performance.now();
      const model = buildProfileModel(resource, snapshot, context);
      if (times !== undefined) {
        times.snapshot += built - started;
        times.model += performance.now() - built;
      }
      return model;
    } catch (error) {
      if (!(error instanceof SnapshotError) && !(error instanceof CodegenError)) throw error;
      skipped.push({ url: resource.url!, reason: error.message });
      return undefined;
    }
  };
  const models: ProfileModel[] = [];
  const seen = new Set<string>();
  const total = packages.reduce((sum, pkg) => sum + pkg.resources.filter(isProfileDefinition).length, 0);
  progress({ stage: 'snapshot', phase: 'start', message: 'building snapshots and profile models', total });
  for (const pkg of packages) {
    for (const resource of pkg.resources) {
      if (!isProfileDefinition(resource) || seen.has(resource.url!)) continue;
      seen.add(resource.url!);
      const model = modelOf(resource);
      if (model !== undefined) models.push(model);
      progress({ stage: 'snapshot', phase: 'step', message: 'building snapshots', done: seen.size, total });
    }
  }
  // extension definitions used by slices but defined elsewhere (UK Core, CareConnect): typed here too
  const support: ProfileModel[] = [];
  const pending = models.flatMap(extensionProfiles);
  while (pending.length > 0) {
    const url = pending.pop()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const resource = graph.index.resolve(url);
    if (resource === undefined || !isProfileDefinition(resource)) continue;
    const model = modelOf(resource);
    if (model === undefined) continue;
    support.push(model);
    pending.push(...extensionProfiles(model));
  }
  const built = `${models.length + support.length} snapshots built and modelled`;
  progress({
    stage: 'snapshot',
    phase: 'end',
    message: `${built} (${support.length} supporting, ${skipped.length} skipped)`,
  });
  let validationTables: string | undefined;
  if (options.validation === true) {
    const started = performance.now();
    // The base types' tables ship once, in the base package (`emit --validation`); this package ships the rest.
    progress({ stage: 'tables', phase: 'start', message: 'compiling validator tables' });
    validationTables = printValidationTables(ownTables(graph, options.baseTables));
    if (times !== undefined) times.tables += performance.now() - started;
    progress({ stage: 'tables', phase: 'end', message: 'validator tables compiled' });
  }
  const emitting = performance.now();
  progress({ stage: 'emit', phase: 'start', message: 'emitting TypeScript' });
  const statements = buildProfileStatements(models, {
    basePackage: options.basePackage,
    sources,
    fhirVersion: graph.root.fhirVersion,
    support,
    skipped,
    ...(validationTables !== undefined ? { validationTables } : {}),
  });
  const printing = performance.now();
  const files = printProfileFiles(statements);
  if (times !== undefined) {
    times.emit += printing - emitting;
    times.print += performance.now() - printing;
  }
  progress({
    stage: 'emit',
    phase: 'end',
    message: `${models.length + support.length} profile types emitted into ${files.size} files`,
  });
  return { files, models, support, skipped };
}

/** The validator tables a profile package ships: what its closure adds to the base package's tables. */
function ownTables(graph: PackageGraph, baseTables: ValidationTables | undefined): ValidationTables {
  if (baseTables !== undefined) return compileValidationTables(graph, { parent: baseTables }).tables;
  const core = coreGraphOf(graph);
  const compiled = compileValidationTables(graph).tables;
  return core === undefined
    ? compiled
    : tablesWithout(compiled, compileValidationTables(core, { scope: 'base' }).tables);
}

/** The extension definitions the slices of a model name. */
function extensionProfiles(model: ProfileModel): string[] {
  const urls: string[] = [];
  const visit = (element: ProfileElement): void => {
    for (const slice of element.slices ?? []) {
      for (const type of slice.element.types) if (type.code === 'Extension') urls.push(...(type.profiles ?? []));
      visit(slice.element);
    }
    for (const child of element.children ?? []) visit(child);
  };
  model.elements.forEach(visit);
  return urls;
}
