import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { resourceTypes } from '@nhs-fhir/r4';
import { runTsc, writeProfileExampleChecks, type ExampleInput } from '@nhs-fhir/fhir-codegen/testing';
import { defaultSpecPaths, fhirPackageCacheDir, syncSpecs } from '@nhs-fhir/specs';
import { describe, expect, it } from 'vitest';
import { profileTypeNames } from '../src/index.js';

const EXAMPLE_PACKAGES = [['uk.nhsengland.r4', '0.0.1']] as const;

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

async function loadExamples(): Promise<ExampleInput[]> {
  const paths = defaultSpecPaths();
  await syncSpecs({ paths, only: EXAMPLE_PACKAGES.map((key) => key.join('#')) });
  const examples: ExampleInput[] = [];
  for (const [id, version] of EXAMPLE_PACKAGES) {
    const dir = join(fhirPackageCacheDir(paths.cache, id, version), 'package', 'example');
    for (const name of (await readdir(dir)).filter((file) => file.endsWith('.json') && !file.startsWith('.')).sort()) {
      examples.push({
        source: `${id}#${version}/package/example/${name}`,
        json: JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, unknown>,
      });
    }
  }
  return examples;
}

/**
 * The NHS England examples declare their profiles in meta.profile (Bundles and two FGM Flags declare none: they are
 * checked as base types). No exclusions.
 */
describe('NHS England examples type-check as the profile they declare', () => {
  it('wraps each example in a constant of its profile type (else its base type) and tsc accepts all of them', async () => {
    const examples = await loadExamples();
    const dir = join(import.meta.dirname, '..', '.tmp', 'examples');
    const files = await writeProfileExampleChecks(
      dir,
      '@nhs-fhir/nhs-england',
      '@nhs-fhir/r4',
      profileTypeNames,
      new Set(resourceTypes),
      examples,
    );
    expect(files.unknownType).toEqual([]);
    expect(files.written.filter((written) => written.type.startsWith('England')).length).toBeGreaterThanOrEqual(8);
    const result = await runTsc(tsc, join(dir, 'tsconfig.json'));
    const bySource = new Map(files.written.map((written) => [written.file, `${written.source} as ${written.type}`]));
    const errors = result.output
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.replace(/^\S*(example-\d+\.ts)/, (_, file: string) => bySource.get(file) ?? file));
    expect(errors).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});
