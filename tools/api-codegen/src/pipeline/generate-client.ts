import { join } from 'node:path';
import {
  loadPackageGraph,
  type OnProgress,
  type PackageResource,
  PackageStore,
  writeGeneratedDir,
} from '@nhs-fhir/fhir-codegen';
import { readCapabilityStatement, simplePaths } from '../capability/read-capability.js';
import {
  defaultSpecPaths,
  findWorkspaceRoot,
  readManifest,
  type SpecPaths,
  SpecError,
  syncSpecs,
} from '@nhs-fhir/specs';
import openapiTS, { astToString } from 'openapi-typescript';
import { emitClient, type EmittedFiles } from '../emit/emit-client.js';
import { openApiExamples, sandboxSeed, servedTypes } from '../emit/sandbox-seed.js';
import type { ApiModel, ResourceShape } from '../model/operations-model.js';
import { readOverlay } from '../model/overlay.js';
import { bundleOpenApi } from '../openapi/bundle.js';
import { readOpenApi } from '../openapi/read-openapi.js';
import { loadOpenApiInput } from './load-openapi.js';

const CORE_PACKAGES = { R4: 'hl7.fhir.r4.core#4.0.1', STU3: 'hl7.fhir.r3.core#3.0.1' } as const;

export interface GenerateClientOptions {
  /** The API's short name: its overlay is `specs/apis/<api>.json`. */
  readonly api: string;
  readonly root?: string;
  readonly paths?: SpecPaths;
  /** Write nothing; return the files. */
  readonly dryRun?: boolean;
  /** Told when each stage (load, model, emit, write) starts and ends (`progressReporter` prints these). */
  readonly onProgress?: OnProgress;
}

export interface GeneratedClient {
  readonly model: ApiModel;
  readonly files: EmittedFiles;
  readonly outDir: string;
}

/**
 * The one orchestration for a client: load (overlay, then the description through the spec sync),
 * model (front end + overlay), check every resource type against the FHIR core package, emit, and
 * write the output folder in one swap.
 */
export async function generateClient(options: GenerateClientOptions): Promise<GeneratedClient> {
  const root = options.root ?? findWorkspaceRoot();
  const paths = options.paths ?? defaultSpecPaths(root);
  const progress = options.onProgress ?? (() => {});
  const overlay = await readOverlay(join(root, 'specs', 'apis', `${options.api}.json`));
  let files: EmittedFiles;
  let model: ApiModel;
  if ('openapi' in overlay.source) {
    progress({ stage: 'load', phase: 'start', message: `loading the OpenAPI description ${overlay.source.openapi}` });
    const set = await loadOpenApiInput(overlay.source.openapi, paths);
    progress({ stage: 'load', phase: 'end', message: `OpenAPI description loaded, ${set.bytes.size} file(s)` });
    progress({ stage: 'model', phase: 'start', message: 'reading the operations' });
    const core = await checkResourceTypes(readOpenApi(set, overlay), paths);
    model = withCoreSearchParameters(core.model, core.resources);
    progress({ stage: 'model', phase: 'end', message: `${model.operations.length} operations modelled` });
    progress({ stage: 'emit', phase: 'start', message: 'emitting the client' });
    const bundle = bundleOpenApi(set);
    const requestTypes = astToString(await openapiTS(bundle as never, { silent: true, emptyObjectsUnknown: true }));
    const seed = sandboxSeed(openApiExamples(bundle), servedTypes(model));
    files = emitClient({ model, layout: overlay.client, requestTypes, bundle, seed });
  } else {
    const source = overlay.source.capabilityStatement;
    progress({ stage: 'load', phase: 'start', message: `loading ${source.package} and its dependencies` });
    await syncSpecs({ paths, mode: process.env['CI'] === 'true' ? 'frozen' : 'sync' });
    const store = new PackageStore(paths.cache, await readManifest(paths.manifest));
    const graph = await loadPackageGraph(store, source.package);
    progress({ stage: 'load', phase: 'end', message: `${graph.closure.length} package(s) loaded` });
    progress({ stage: 'model', phase: 'start', message: 'reading the CapabilityStatement' });
    model = readCapabilityStatement(graph, source, overlay);
    await checkResourceTypes(model, paths);
    progress({ stage: 'model', phase: 'end', message: `${model.operations.length} operations modelled` });
    progress({ stage: 'emit', phase: 'start', message: 'emitting the client' });
    const seed = sandboxSeed(
      graph.root.examples.map((example) => example.json),
      servedTypes(model),
    );
    files = emitClient({ model, layout: overlay.client, seed });
  }
  progress({ stage: 'emit', phase: 'end', message: `${files.size} files emitted` });
  const outDir = join(root, overlay.client.out);
  if (!options.dryRun) {
    progress({ stage: 'write', phase: 'start', message: `writing ${overlay.client.out}` });
    await writeGeneratedDir(outDir, files);
    progress({ stage: 'write', phase: 'end', message: `${files.size} files written to ${overlay.client.out}` });
  }
  return { model, files, outDir };
}

/**
 * A search's query parameters that a core SearchParameter of its resource type defines (PDS's `family`,
 * `birthdate`, ...) get that parameter's type and paths, so a local sandbox can search by them.
 */
function withCoreSearchParameters(model: ApiModel, resources: readonly PackageResource[]): ApiModel {
  const parameters = resources.filter((resource) => resource.resourceType === 'SearchParameter');
  const operations = model.operations.map((operation) => {
    if (!operation.search) return operation;
    const types = operation.responses.flatMap((response) => response.resources.flatMap((shape) => shape.entries ?? []));
    const params = operation.params.map((param) => {
      if (param.in !== 'query' || param.search !== undefined || param.key !== undefined) return param;
      for (const type of types) {
        const found = parameters.find(
          (candidate) =>
            candidate.json['code'] === param.name.split(':')[0] &&
            Array.isArray(candidate.json['base']) &&
            candidate.json['base'].includes(type),
        );
        if (found === undefined || typeof found.json['expression'] !== 'string') continue;
        const search = { type: String(found.json['type']), expressions: simplePaths(found.json['expression'], type) };
        return { ...param, search };
      }
      return param;
    });
    return { ...operation, params };
  });
  return { ...model, operations };
}

/** Every resource type the model names must be a resource of its FHIR version; the overlay fixes those that are not. */
async function checkResourceTypes(
  model: ApiModel,
  paths: SpecPaths,
): Promise<{ model: ApiModel; resources: readonly PackageResource[] }> {
  const core = CORE_PACKAGES[model.fhirVersion];
  const mode = process.env['CI'] === 'true' ? 'frozen' : 'sync';
  await syncSpecs({ paths, mode, only: [core] });
  const store = new PackageStore(paths.cache, await readManifest(paths.manifest));
  const loaded = await store.load(core);
  const known = new Set(
    loaded.resources
      .filter(
        (r) =>
          r.resourceType === 'StructureDefinition' &&
          r.json['kind'] === 'resource' &&
          r.json['derivation'] !== 'constraint',
      )
      .map((r) => String(r.json['type'] ?? r.json['id'])),
  );
  const check = (shape: ResourceShape, where: string) => {
    for (const name of [shape.resourceType, ...(shape.entries ?? [])]) {
      if (!known.has(name)) {
        throw new SpecError(
          'MANIFEST_INVALID',
          { input: model.source.input, jsonPath: where },
          `names ${name}, which is not a ${model.fhirVersion} resource type; ` +
            `correct it in specs/apis/${model.api}.json`,
        );
      }
    }
  };
  for (const operation of model.operations) {
    if (operation.body?.resource) check(operation.body.resource, `${operation.sourceId}.requestBody`);
    for (const response of operation.responses) {
      for (const shape of response.resources) check(shape, `${operation.sourceId}.responses.${response.status}`);
    }
  }
  return { model, resources: loaded.resources };
}
