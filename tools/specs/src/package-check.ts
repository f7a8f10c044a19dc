import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SpecError, parseJsonText } from './errors.js';
import { isRecord } from './manifest.js';

/** Files in a FHIR package that are package metadata, not resources. */
export const PACKAGE_METADATA_FILES = new Set(['package.json', '.index.json']);

/**
 * Checks every JSON file of a staged FHIR package before it may enter the cache: it parses, and
 * each resource names its `resourceType`. `files` are relative to the staging folder (`package/...`).
 */
export async function checkPackageFiles(input: string, stagingDir: string, files: string[]): Promise<void> {
  for (const file of files) {
    if (!file.endsWith('.json')) continue;
    const text = await readFile(join(stagingDir, file), 'utf8');
    const json = parseJsonText(text, { input, file });
    const base = file.slice(file.lastIndexOf('/') + 1);
    if (PACKAGE_METADATA_FILES.has(base)) continue;
    if (!isRecord(json) || typeof json['resourceType'] !== 'string' || json['resourceType'] === '') {
      throw new SpecError(
        'RESOURCE_TYPE_MISSING',
        { input, file, jsonPath: '$.resourceType' },
        'a resource in a FHIR package must name its resourceType',
      );
    }
  }
}
