import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runTsc, writeExampleChecks, type ExampleInput } from '@nhs-fhir/fhir-codegen/testing';
import { defaultSpecPaths, fhirPackageCacheDir, syncSpecs } from '@nhs-fhir/specs';
import { describe, expect, it } from 'vitest';
import { resourceTypes } from '../src/index.js';

/** Every R4 package of the mirror that ships instance examples. */
const EXAMPLE_PACKAGES = [
  ['fhir.r4.ukcore.stu3.currentbuild', '0.22.0-pre-release'],
  ['uk.nhsengland.r4', '0.0.1'],
] as const;

/** Examples that are not valid R4 as published, each with the reason; everything else must type-check. */
const EXCLUDED: Record<string, string> = {
  'fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release/package/example/MedicationDispense-UKCore-MedicationDispense-CiprofloxacinIV-Example.json':
    'authorizingPrescription.reference is a bare id (UKCore-MedicationRequest-CiprofloxacinIV-Example), not a literal reference MedicationRequest/<id>',
  'fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release/package/example/MedicationDispense-UKCore-MedicationDispense-CiprofloxacinOral-Example.json':
    'authorizingPrescription.reference is a bare id (UKCore-MedicationRequest-CiprofloxacinOral-Example), not a literal reference MedicationRequest/<id>',
};

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

async function loadExamples(): Promise<ExampleInput[]> {
  const paths = defaultSpecPaths();
  // a no-op when the cache matches the lock; fills it when only the Nx cache restored the generated code
  await syncSpecs({ paths, only: EXAMPLE_PACKAGES.map(([id, version]) => `${id}#${version}`) });
  const cache = paths.cache;
  const examples: ExampleInput[] = [];
  for (const [id, version] of EXAMPLE_PACKAGES) {
    const dir = join(fhirPackageCacheDir(cache, id, version), 'package', 'example');
    for (const name of (await readdir(dir)).filter((file) => file.endsWith('.json') && !file.startsWith('.')).sort()) {
      const source = `${id}#${version}/package/example/${name}`;
      if (source in EXCLUDED) continue;
      examples.push({ source, json: JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, unknown> });
    }
  }
  return examples;
}

describe('R4 examples of the mirror type-check as @nhs-fhir/r4 types', () => {
  it('wraps each example in a typed constant and tsc accepts all of them', async () => {
    const examples = await loadExamples();
    const dir = join(import.meta.dirname, '..', '.tmp', 'examples');
    const files = await writeExampleChecks(dir, '@nhs-fhir/r4', new Set(resourceTypes), examples);
    expect(files.unknownType).toEqual([]);
    expect(files.written.length).toBeGreaterThan(150);
    const result = await runTsc(tsc, join(dir, 'tsconfig.json'));
    const bySource = new Map(files.written.map((written) => [written.file, written.source]));
    const errors = result.output
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.replace(/^\S*(example-\d+\.ts)/, (_, file: string) => bySource.get(file) ?? file));
    expect(errors).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});
