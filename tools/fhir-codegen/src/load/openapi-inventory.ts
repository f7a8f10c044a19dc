import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  collectOpenApiFiles,
  listOperations,
  openApiCacheDir,
  openApiKey,
  type OpenApiInput,
  type OpenApiOperation,
} from '@nhs-fhir/specs';
import { isRecord } from '../fhir/index.js';

export interface OpenApiInventory {
  key: string;
  title: string;
  openapi: string;
  files: number;
  operations: OpenApiOperation[];
}

/** Reads a synced OpenAPI description from the cache (every `$ref` resolved offline) and lists its operations. */
export async function inventoryOpenApi(cacheDir: string, input: OpenApiInput): Promise<OpenApiInventory> {
  const dir = openApiCacheDir(cacheDir, input.id, input.version);
  const set = await collectOpenApiFiles(input, (relativePath) =>
    readFile(join(dir, relativePath)).catch(() => undefined),
  );
  const root = set.documents.get(set.root);
  const info = isRecord(root) && isRecord(root['info']) ? root['info'] : {};
  return {
    key: openApiKey(input),
    title: typeof info['title'] === 'string' ? info['title'] : input.id,
    openapi: isRecord(root) && typeof root['openapi'] === 'string' ? root['openapi'] : 'unknown',
    files: set.bytes.size,
    operations: listOperations(set),
  };
}
