import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  collectOpenApiFiles,
  defaultSpecPaths,
  type OpenApiFileSet,
  openApiCacheDir,
  type SpecPaths,
  SpecError,
  syncSpecs,
} from '@nhs-fhir/specs';

/**
 * The load stage for an OpenAPI input: syncs the workspace's specs (a no-op when the cache matches
 * the lock; frozen under CI) and collects the description's files from the cache, every `$ref`
 * (remote ones through their pinned copies) resolved offline.
 */
export async function loadOpenApiInput(
  inputId: string,
  paths: SpecPaths = defaultSpecPaths(),
  mode: 'sync' | 'frozen' = process.env['CI'] === 'true' ? 'frozen' : 'sync',
): Promise<OpenApiFileSet> {
  const sync = await syncSpecs({ paths, mode, only: [inputId] });
  const input = sync.manifest.openapi.find((candidate) => candidate.id === inputId);
  if (input === undefined) {
    throw new SpecError('INPUT_NOT_FOUND', { input: `openapi:${inputId}`, file: paths.manifest }, 'not in specs.json');
  }
  const dir = openApiCacheDir(paths.cache, input.id, input.version);
  return collectOpenApiFiles(input, (relativePath) => readFile(join(dir, relativePath)).catch(() => undefined));
}
