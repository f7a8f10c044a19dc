import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ValidationTables } from '@nhs-fhir/validation';
import { defaultSpecPaths, findWorkspaceRoot, type SpecPaths, syncSpecs, writeFileAtomic } from '@nhs-fhir/specs';
import { buildPackageStatements, type EmitOptions, printFiles } from '../emit/types/emit-package.js';
import { loadPackageGraph, type PackageGraph, releaseName } from '../load/package-graph.js';
import { PackageStore } from '../load/package-store.js';
import { buildPackageModel } from '../model/build-type-model.js';
import { compileValidationTables } from '../model/tables/compile-tables.js';
import {
  emitValidationTablesModule,
  printValidationTables,
  readValidationTablesModule,
} from '../emit/tables/print-tables.js';
import { generatedHeader } from '../emit/printer.js';
import { CodegenError } from '../fhir/index.js';
import type { PackageModel } from '../model/type-model.js';
import { type GeneratedProfiles, generateProfiles } from './generate-profiles.js';
import type { OnProgress } from './progress.js';
import { noTimes, type StageTimes } from './stage-times.js';
import { writeGeneratedDir } from './write-generated.js';

/**
 * The one orchestration of the generator: load -> snapshot -> model -> emit -> write, for base types and profiles
 * alike. The CLI, the Nx `generate` targets (through the CLI), the bench and the tests call these.
 */

/** What to generate: the base types of a core package, or the profiles of one or more packages. */
export type PipelineRequest =
  | { kind: 'types'; package: string; choices?: EmitOptions['choices']; validation?: boolean }
  | {
      kind: 'profiles';
      sources: string[];
      basePackage: string;
      validation?: boolean;
      /** The base package's generated `validation-tables.ts` (relative to the workspace root), to layer tables on. */
      baseTables?: string;
    };

export interface PipelineOptions {
  /** `frozen`: the lock is the whole truth (CI); `sync`: pin new inputs. Default `sync`. */
  mode?: 'sync' | 'frozen';
  paths?: SpecPaths;
  /** The graph, when the caller has loaded it already (the load stage is then skipped). */
  graph?: PackageGraph;
  /** Told when each stage starts and ends, and how far it is (`progressReporter` prints these). */
  onProgress?: OnProgress;
}

export interface PipelineResult {
  graph: PackageGraph;
  /** File name -> TypeScript source, as written to the output folder. */
  files: Map<string, string>;
  /** The base type model (`types`) or the profiles' models (`profiles`). */
  model: PackageModel | undefined;
  profiles: GeneratedProfiles | undefined;
  times: StageTimes;
}

/** Load stage: sync the specs (a no-op when the cache matches the lock), then the package and its closure. */
export async function loadStage(key: string, options: PipelineOptions = {}): Promise<PackageGraph> {
  const paths = options.paths ?? defaultSpecPaths();
  const sync = await syncSpecs({ paths, mode: options.mode ?? 'sync' });
  return loadPackageGraph(new PackageStore(paths.cache, sync.manifest), key);
}

/** Runs every stage but the write: the files in memory, with the time per stage. */
export async function runPipeline(request: PipelineRequest, options: PipelineOptions = {}): Promise<PipelineResult> {
  const times = noTimes();
  let started = performance.now();
  const key = request.kind === 'types' ? request.package : request.sources[0];
  if (key === undefined) throw new Error('a profiles request names at least one source package');
  const progress = options.onProgress ?? (() => {});
  progress({ stage: 'load', phase: 'start', message: `loading ${key} and its dependencies` });
  const graph = options.graph ?? (await loadStage(key, options));
  times.load = performance.now() - started;
  const resources = graph.closure.reduce((sum, pkg) => sum + pkg.resources.length, 0);
  progress({
    stage: 'load',
    phase: 'end',
    message: `${graph.closure.length} package(s) loaded, ${resources} resources`,
  });
  if (request.kind === 'types') {
    // Base types: the shipped snapshots pass through the snapshot stage unchanged.
    started = performance.now();
    progress({ stage: 'model', phase: 'start', message: 'building the type model' });
    const model = buildPackageModel(graph);
    times.model = performance.now() - started;
    const types = model.resources.length + model.complexTypes.length + model.primitives.length;
    progress({ stage: 'model', phase: 'end', message: `${types} types modelled` });
    started = performance.now();
    progress({ stage: 'emit', phase: 'start', message: 'emitting TypeScript' });
    const statements = buildPackageStatements(model, request.choices === undefined ? {} : { choices: request.choices });
    times.emit = performance.now() - started;
    started = performance.now();
    const files = printFiles(statements.files, statements.header);
    times.print = performance.now() - started;
    progress({ stage: 'emit', phase: 'end', message: `${types} types emitted into ${files.size} files` });
    if (request.validation === true) {
      // The base types' validator tables, shipped once here for every profile package of this FHIR version.
      started = performance.now();
      progress({ stage: 'tables', phase: 'start', message: 'compiling validator tables' });
      const { tables } = compileValidationTables(graph, { scope: 'base' });
      const header = generatedHeader(graph.root.key, graph.root.fhirVersion);
      const text = printValidationTables(tables);
      files.set(
        'validation-tables.ts',
        emitValidationTablesModule(header, text, 'The validator tables of the base types'),
      );
      times.tables = performance.now() - started;
      progress({ stage: 'tables', phase: 'end', message: 'validator tables compiled' });
    }
    return { graph, files, model, profiles: undefined, times };
  }
  const baseTables =
    request.validation === true && request.baseTables !== undefined
      ? await readBaseTables(request.baseTables, graph)
      : undefined;
  const profiles = generateProfiles(graph, {
    sources: request.sources,
    basePackage: request.basePackage,
    validation: request.validation === true,
    ...(baseTables === undefined ? {} : { baseTables }),
    times,
    onProgress: progress,
  });
  return { graph, files: profiles.files, model: undefined, profiles, times };
}

/**
 * A base package's generated tables module; a clear error when it is missing, is not one, or is for another FHIR
 * release than the graph.
 */
async function readBaseTables(file: string, graph: PackageGraph): Promise<ValidationTables> {
  const path = resolve(findWorkspaceRoot(), file);
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : String(error);
    throw new CodegenError(
      'BASE_TABLES_INVALID',
      { file },
      `${reason}: generate the base package first (\`npx nx run-many -t generate\`)`,
    );
  }
  const tables = readValidationTablesModule(source, file);
  const release = releaseName(graph.root.fhirVersion);
  if (tables.fhirVersion !== release)
    throw new CodegenError(
      'BASE_TABLES_INVALID',
      { file },
      `the base tables are for ${tables.fhirVersion}, but ${graph.root.key} is FHIR ${graph.root.fhirVersion}`,
    );
  return tables;
}

/** Runs the pipeline and writes its files to `outDir` (relative to the workspace root) in one swap. */
export async function runPipelineTo(
  outDir: string,
  request: PipelineRequest,
  options: PipelineOptions & { modelJson?: string } = {},
): Promise<PipelineResult> {
  const result = await runPipeline(request, options);
  const started = performance.now();
  const root = findWorkspaceRoot();
  options.onProgress?.({ stage: 'write', phase: 'start', message: `writing ${outDir}` });
  await writeGeneratedDir(resolve(root, outDir), result.files);
  options.onProgress?.({ stage: 'write', phase: 'end', message: `${result.files.size} files written to ${outDir}` });
  if (options.modelJson !== undefined && result.model !== undefined)
    await writeFileAtomic(resolve(root, options.modelJson), `${JSON.stringify(result.model, null, 2)}\n`);
  result.times.write = performance.now() - started;
  return result;
}
