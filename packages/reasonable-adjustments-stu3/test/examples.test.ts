import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { resourceTypes } from '@nhs-fhir/stu3';
import { runTsc, writeProfileExampleChecks, type ExampleInput } from '@nhs-fhir/fhir-codegen/testing';
import { defaultSpecPaths, fhirPackageCacheDir, syncSpecs } from '@nhs-fhir/specs';
import { describe, expect, it } from 'vitest';
import { profileTypeNames } from '../src/index.js';

const EXAMPLE_PACKAGES = [['nhsconnect.stu3.rarecord', '0.0.0-develop.4543c05']] as const;

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
 * Every RARecord example declares its profile in meta.profile. No exclusions: the types accept all twelve (what they
 * break is for validate to report).
 */
describe('RARecord STU3 examples type-check as the profile they declare', () => {
  it('wraps each example in a constant of its profile type (else its base type) and tsc accepts all of them', async () => {
    const examples = await loadExamples();
    const dir = join(import.meta.dirname, '..', '.tmp', 'examples');
    const files = await writeProfileExampleChecks(
      dir,
      '@nhs-fhir/reasonable-adjustments-stu3',
      '@nhs-fhir/stu3',
      profileTypeNames,
      new Set(resourceTypes),
      examples,
    );
    expect(files.unknownType).toEqual([]);
    expect(files.written.filter((written) => written.type !== 'Bundle').length).toBe(12);
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
