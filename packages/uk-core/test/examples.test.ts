import { createRequire } from 'node:module';
import { join } from 'node:path';
import { resourceTypes } from '@nhs-fhir/r4';
import { runTsc, writeProfileExampleChecks } from '@nhs-fhir/fhir-codegen/testing';
import { describe, expect, it } from 'vitest';
import { profileTypeNames } from '../src/index.js';
import { EXCLUDED_FROM_TYPES, loadExamples } from './example-profiles.js';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

describe('UK Core examples type-check as the profile they declare', () => {
  it('wraps each example in a constant of its profile type (else its base type) and tsc accepts all of them', async () => {
    const examples = await loadExamples(EXCLUDED_FROM_TYPES);
    const dir = join(import.meta.dirname, '..', '.tmp', 'examples');
    const files = await writeProfileExampleChecks(
      dir,
      '@nhs-fhir/uk-core',
      '@nhs-fhir/r4',
      profileTypeNames,
      new Set(resourceTypes),
      examples,
    );
    expect(files.unknownType).toEqual([]);
    const profiled = files.written.filter((written) => written.type.startsWith('UKCore'));
    expect(profiled.length).toBeGreaterThan(140);
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
